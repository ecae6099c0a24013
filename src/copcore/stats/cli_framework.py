"""The framework's ``copstats`` subcommands: ``tabulate``, ``validate`` and ``framework``.

``copstats tabulate DATA --mapping M [--framework F] [--country CC] [--disclosure RULE]
[--format csv|json|parquet|sdmx-csv] [--out FILE]`` computes every indicator × breakdown;
with ``--dp-epsilon E --dp-weight-cap C --dp-ledger L [--dp-budget B]`` it releases the
proportions under differential privacy instead and records ε in the ledger.
``copstats validate DATA --mapping M`` checks only (exit 0 fit, 1 problems found).
``copstats framework show [ID]`` lists or describes indicators in a language;
``copstats framework export --format json|yaml|csv`` writes the framework.

Errors: one translated line on stderr, exit 2, no traceback; outputs are written to a
temporary file and renamed, and a DP release is written only after the ledger accepted it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache, wraps
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from copcore.stats.ci import CI_METHODS
from copcore.stats.design import SINGLETON_RULES
from copcore.stats.errors import FileError, OptionError, StatsError
from copcore.stats.formats import FORMATS, format_parse, sdmx_id
from copcore.stats.framework import (
    DEFAULT_FRAMEWORK,
    FRAMEWORKS_DIR,
    LANGUAGES,
    Framework,
    framework_as_dict,
    framework_load,
)
from copcore.stats.io import table_read
from copcore.stats.mapping import (
    MappingInvalid,
    MappingProblem,
    SurveyMapping,
    ValidationReport,
    mapping_load,
    validate,
)
from copcore.stats.messages import language_resolve, message_format
from copcore.stats.privacy import ledger_charge, ledger_lock, ledger_read, ledger_write
from copcore.stats.tabulate import (
    TabulateOptions,
    Tabulation,
    survey_countries,
    tabulate,
    tabulate_private,
)

EXIT_ERROR = 2
EXIT_INVALID = 1
Handler = Callable[[argparse.Namespace, Callable[[str], None]], int]


# ----------------------------------------------------------------------------- messages


@cache
def _catalogue() -> Mapping[str, Mapping[str, str]]:
    data: Mapping[str, Mapping[str, str]] = json.loads(
        (FRAMEWORKS_DIR / "messages.json").read_text(encoding="utf-8")
    )
    return data


def framework_message(code: str, params: Mapping[str, Any], lang: str) -> str:
    """Render one of the framework's messages (``frameworks/messages.json``) in ``lang``."""
    catalogue = _catalogue()
    template = catalogue.get(lang, {}).get(code) or catalogue["en"].get(code)
    if template is None:
        return message_format(code, params, lang)
    return template.format_map(dict(params))


def _handles(code: str) -> bool:
    return code in _catalogue()["en"]


def _language(args: argparse.Namespace) -> str:
    return language_resolve(
        getattr(args, "sub_lang", None) or getattr(args, "lang", None), os.environ
    )


def _translated(handler: Handler) -> Handler:
    """Print the framework's own errors translated (the core renders its own codes)."""

    @wraps(handler)
    def run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
        try:
            return handler(args, stdout)
        except StatsError as error:
            if not _handles(error.code):
                raise
            lang = _language(args)
            message = framework_message(error.code, error.params, lang)
            sys.stderr.write(message_format("error_prefix", {"message": message}, lang) + "\n")
            if isinstance(error, MappingInvalid):
                sys.stderr.write(report_text(error.report, lang))
            return EXIT_ERROR

    return run


def problem_text(problem: MappingProblem, lang: str) -> str:
    """One validation problem as a translated line."""
    params = {
        "variable": problem.variable,
        "column": problem.column,
        "value": problem.value,
        "count": problem.count,
        "rows": ", ".join(str(r) for r in problem.rows),
        "detail": problem.detail,
    }
    level = framework_message(f"level_{problem.severity}", {}, lang)
    if not _handles(problem.code):  # an engine error: its own catalogue and parameters
        return f"{level}: {message_format(problem.code, dict(problem.params), lang)}"
    return f"{level}: {framework_message(problem.code, params, lang)}"


def report_text(report: ValidationReport, lang: str) -> str:
    """A validation report as translated lines (summary last)."""
    lines = [problem_text(p, lang) for p in report.problems]
    if report.not_computable:
        names = ", ".join(f"{i} ({', '.join(v)})" for i, v in report.not_computable)
        lines.append(framework_message("validate_not_computable", {"indicators": names}, lang))
    counts = {"rows": report.n_rows, "errors": len(report.errors), "warnings": len(report.warnings)}
    lines.append(framework_message("validate_ok" if report.ok else "validate_failed", counts, lang))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- output


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def tabulation_text(tabulation: Tabulation, fmt: str) -> str:
    """The table as CSV, JSON (``metadata`` + ``rows``) or SDMX-CSV 2.0 text."""
    buffer = io.StringIO()
    rows = tabulation.rows()
    if fmt == "json":
        document = {"metadata": dict(tabulation.metadata), "rows": rows}
        json.dump(document, buffer, ensure_ascii=False, indent=1, allow_nan=False)
        buffer.write("\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(tabulation.column_names)
        writer.writerows([_text(row[name]) for name in tabulation.column_names] for row in rows)
        return buffer.getvalue()
    _sdmx_rows(writer, tabulation, rows)
    return buffer.getvalue()


def _sdmx_rows(writer: Any, tabulation: Tabulation, rows: list[dict[str, Any]]) -> None:
    """SDMX-CSV 2.0 (SDMX TWG 2021): dimensions REF_AREA, INDICATOR, BREAKDOWN,
    BREAKDOWN_VALUE; measure OBS_VALUE; every other column an attribute, suppressed cells
    ``CONF_STATUS=C`` (code list CL_CONF_STATUS)."""
    version = tabulation.metadata.get("framework_version", "1.0")
    structure = f"COPHUB:DF_COP_INDICATORS({version})"
    dimensions = {"country": "REF_AREA", "indicator": "INDICATOR"}
    dimensions |= {"breakdown": "BREAKDOWN", "breakdown_value": "BREAKDOWN_VALUE"}
    skipped = {*dimensions, "estimate", "suppressed"}
    attributes = [n for n in tabulation.column_names if n not in skipped]
    header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *dimensions.values(), "OBS_VALUE"]
    header += [sdmx_id("unweighted_n" if n == "n" else n) for n in attributes]
    has_suppression = "suppressed" in tabulation.column_names
    writer.writerow([*header, "CONF_STATUS"] if has_suppression else header)
    for row in rows:
        line = ["dataflow", structure, "I", *(_text(row[n]) or "_Z" for n in dimensions)]
        line += [_text(row["estimate"]), *(_text(row[n]) for n in attributes)]
        if has_suppression:
            line.append("C" if row["suppressed"] else "F")
        writer.writerow(line)


def atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)`` then rename over ``path``; no partial file survives."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise FileError("output_unwritable", path=str(path), reason="no such directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileError("output_unwritable", path=str(path), reason=str(error)) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _text_file(text: str) -> Callable[[str], None]:
    def write(target: str) -> None:
        with open(target, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)

    return write


def tabulation_writer(tabulation: Tabulation, fmt: str) -> Callable[[str], None]:
    """A function writing the table in ``fmt`` to a given path (for :func:`atomic_write`)."""
    if fmt != "parquet":
        return _text_file(tabulation_text(tabulation, fmt))
    table = tabulation.to_arrow()
    metadata = {f"copstats.{k}".encode(): v.encode() for k, v in tabulation.metadata.items()}
    return lambda target: pq.write_table(table.replace_schema_metadata(metadata), target)


# ----------------------------------------------------------------------------- commands


def _framework(args: argparse.Namespace) -> Framework:
    return framework_load(args.framework or DEFAULT_FRAMEWORK)


def _data(args: argparse.Namespace, mapping: SurveyMapping) -> dict[str, Any]:
    wanted = [item.source for spec in mapping.variables for item in spec.items]
    design = mapping.design
    wanted += [c for c in (design.weight, design.strata, design.psu, design.fpc) if c]
    if mapping.survey.country_column:
        wanted.append(mapping.survey.country_column)
    return table_read(args.data, columns=sorted(set(wanted)))


def dataset_id(path: Path) -> str:
    """A dataset's identity for the privacy ledger: SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise FileError("file_unreadable", path=str(path), reason=str(error)) from error
    return f"sha256:{digest.hexdigest()}"


def _options(args: argparse.Namespace) -> TabulateOptions:
    chosen = tuple(i.strip() for i in (args.indicators or "").split(",") if i.strip())
    return TabulateOptions(
        country=args.country,
        ci=args.ci,
        level=args.level,
        singleton=args.singleton,
        tier=args.tier,
        indicators=chosen,
    )


def _emit(tabulation: Tabulation, args: argparse.Namespace, stdout: Callable[[str], None]) -> None:
    fmt = format_parse(args.fmt)
    if args.out is None:
        stdout(tabulation_text(tabulation, fmt))
    else:
        atomic_write(args.out, tabulation_writer(tabulation, fmt))


def _tabulate_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    fmt = format_parse(args.fmt)
    if fmt == "parquet" and args.out is None:
        raise OptionError("option_invalid", option="--out", value="", allowed="FILE")
    private = [args.dp_epsilon, args.dp_weight_cap, args.dp_ledger]
    if any(v is not None for v in private):
        return _tabulate_private_run(args, stdout)
    framework = _framework(args)
    mapping = mapping_load(args.mapping)
    table = _data(args, mapping)
    tabulation = tabulate(table, mapping, framework, _options(args), disclosure=args.disclosure)
    _emit(tabulation, args, stdout)
    return 0


def _tabulate_private_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    needed = {"--dp-epsilon": args.dp_epsilon, "--dp-weight-cap": args.dp_weight_cap}
    needed["--dp-ledger"] = args.dp_ledger
    for option, value in needed.items():
        if value is None:
            raise OptionError("option_invalid", option=option, value="", allowed="a value")
    if args.disclosure != "none":
        raise OptionError(
            "option_invalid",
            option="--disclosure",
            value=args.disclosure,
            allowed="none (with --dp-*)",
        )
    if args.out is None:
        raise OptionError("option_invalid", option="--out", value="", allowed="FILE (with --dp-*)")
    framework = _framework(args)
    mapping = mapping_load(args.mapping)
    table = _data(args, mapping)
    survey_countries(table, mapping, args.country)  # fail on a bad --country before spending
    dataset = args.dp_dataset or dataset_id(args.data)
    with ledger_lock(args.dp_ledger):
        ledger = ledger_read(args.dp_ledger)
        tabulation, calibration = tabulate_private(
            table,
            mapping,
            framework,
            _options(args),
            epsilon=args.dp_epsilon,
            weight_cap=args.dp_weight_cap,
        )
        charged = ledger_charge(
            ledger,
            dataset=dataset,
            calibration=calibration,
            budget=args.dp_budget,
            now=datetime.now(UTC),
            description=args.dp_description or f"copstats tabulate {args.data.name}",
        )
        fmt = format_parse(args.fmt)
        atomic_write(args.out, _ledger_then(tabulation, fmt, charged, args.dp_ledger))
    return 0


def _ledger_then(
    tabulation: Tabulation, fmt: str, ledger: Any, ledger_path: Path
) -> Callable[[str], None]:
    """Write the output to its temporary file, then the ledger; the output is renamed into
    place only after the ledger is safely on disk, so ε is never spent unrecorded."""
    write = tabulation_writer(tabulation, fmt)

    def both(target: str) -> None:
        write(target)
        ledger_write(ledger, ledger_path)

    return both


def _validate_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    framework = _framework(args)
    mapping = mapping_load(args.mapping)
    table = _data(args, mapping)
    lang = _language(args)
    status = 0
    for country, part in survey_countries(table, mapping, args.country):
        report = validate(part, mapping, framework)
        if args.report_format == "json":
            stdout(json.dumps(_report_json(report, country), ensure_ascii=False, indent=1) + "\n")
        else:
            if country:
                stdout(f"[{country}]\n")
            stdout(report_text(report, lang))
        status = status if report.ok else EXIT_INVALID
    return status


def _report_json(report: ValidationReport, country: str) -> dict[str, Any]:
    return {
        "country": country,
        "ok": report.ok,
        "rows": report.n_rows,
        "problems": [
            {
                "code": p.code,
                "severity": p.severity,
                "variable": p.variable,
                "column": p.column,
                "value": p.value,
                "count": p.count,
                "rows": list(p.rows),
                "detail": p.detail,
            }
            for p in report.problems
        ],
        "missing": dict(report.missing_counts),
        "not_computable": {i: list(v) for i, v in report.not_computable},
    }


def _framework_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    framework = _framework(args)
    lang = _language(args)
    if args.action == "show":
        stdout(framework_show(framework, lang, args.indicator, args.tier))
        return 0
    fmt = args.export_format
    if fmt == "json":
        text = json.dumps(framework_as_dict(framework), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "yaml":
        text = yaml.safe_dump(framework_as_dict(framework), allow_unicode=True, sort_keys=False)
    else:
        text = framework_csv(framework)
    if args.out is None:
        stdout(text)
    else:
        atomic_write(args.out, _text_file(text))
    return 0


def framework_show(
    framework: Framework, lang: str, indicator_id: str | None, tier: int | None
) -> str:
    """Indicators listed (``ID  tier  name``) or one described, in ``lang``."""
    if indicator_id is None:
        lines = [f"{framework.title.get(lang)} {framework.version}"]
        for group, group_label in framework.groups:
            lines.append(f"\n{group_label.get(lang)}")
            for i in framework.select(group=group, tier=tier):
                lines.append(f"  {i.id:<4} {i.tier}  {i.name.get(lang)}")
        return "\n".join(lines) + "\n"
    i = framework.indicator(indicator_id)

    def field(code: str) -> str:
        return framework_message(code, {}, lang)

    lines = [f"{i.id} {i.name.get(lang)}", ""]
    lines.append(f"{field('field_group')}: {framework.group_label(i.group).get(lang)}")
    lines.append(f"{field('field_tier')}: {i.tier}")
    lines.append(f"{field('field_statistic')}: {i.statistic}")
    lines.append(f"{field('field_source')}: {i.source}")
    lines.append(f"{field('field_definition')}: {i.definition.get(lang)}")
    if i.denominator:
        label = framework.population(i.denominator).label.get(lang)
        lines.append(f"{field('field_denominator')}: {label}")
        age = i.age or framework.age_range
        lines.append(f"{field('field_age')}: {age[0]}-{age[1]}")
        lines.append(f"{field('field_variables')}: {', '.join(i.variables)}")
        breakdowns = ", ".join(b.id for b in framework.indicator_breakdowns(i))
        lines.append(f"{field('field_breakdowns')}: {breakdowns}")
    recall = dict(framework.recall_periods)[i.recall].get(lang)
    lines.append(f"{field('field_recall')}: {recall}")
    lines.append(f"{field('field_comparability')}: {i.comparability.get(lang)}")
    return "\n".join(lines) + "\n"


def framework_csv(framework: Framework) -> str:
    """One row per indicator: structure, then name, definition and comparability in the six
    languages."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    texts = [
        f"{kind}_{lang}" for kind in ("name", "definition", "comparability") for lang in LANGUAGES
    ]
    head = ["id", "group", "tier", "source", "statistic", "recall", "denominator", "age_min"]
    head += ["age_max", "variables", "breakdowns", "framework", "version"]
    writer.writerow([*head, *texts])
    for i in framework.indicators:
        age = i.age or (framework.age_range if i.is_survey else None)
        breakdowns = [b.id for b in framework.indicator_breakdowns(i)] if i.is_survey else []
        row = [i.id, i.group, i.tier, i.source, i.statistic, i.recall, i.denominator or ""]
        row += ["" if age is None else age[0], "" if age is None else age[1]]
        row += [" ".join(i.variables), " ".join(breakdowns), framework.id, framework.version]
        for kind in ("name", "definition", "comparability"):
            row += [getattr(i, kind).get(lang) for lang in LANGUAGES]
        writer.writerow(row)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- parser


def _common(parser: argparse.ArgumentParser, *, data: bool) -> None:
    if data:
        parser.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
        parser.add_argument("--mapping", type=Path, required=True, help="mapping file (YAML/JSON)")
        parser.add_argument("--country", help="only this country of a pooled file; its label")
    parser.add_argument("--framework", type=Path, help="framework file (default: cop-core 2026)")
    parser.add_argument("--lang", choices=LANGUAGES, dest="sub_lang", help="language of messages")


def add_subcommands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``tabulate``, ``validate`` and ``framework`` to the ``copstats`` parser."""
    tab = subparsers.add_parser("tabulate", help="every indicator × breakdown of a framework")
    _common(tab, data=True)
    tab.add_argument("--disclosure", default="none", help="none | min-n:N | dhs | nchs")
    tab.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    tab.add_argument("--out", type=Path)
    tab.add_argument("--ci", choices=CI_METHODS, default="logit")
    tab.add_argument("--level", type=float, default=0.95)
    tab.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    tab.add_argument("--tier", type=int, help="1: the short first tier only")
    tab.add_argument("--indicators", help="comma-separated indicator ids (default: all)")
    tab.add_argument("--dp-epsilon", type=float, help="release under ε-differential privacy")
    tab.add_argument("--dp-weight-cap", type=float, help="weights are capped at this value")
    tab.add_argument("--dp-ledger", type=Path, help="privacy ledger file (JSON)")
    tab.add_argument("--dp-budget", type=float, help="ε budget of a dataset new to the ledger")
    tab.add_argument("--dp-dataset", help="dataset id in the ledger (default: SHA-256 of DATA)")
    tab.add_argument("--dp-description", help="note recorded with the release")
    tab.set_defaults(handler=_translated(_tabulate_run))

    val = subparsers.add_parser("validate", help="check data against a mapping; compute nothing")
    _common(val, data=True)
    val.add_argument("--format", choices=("text", "json"), default="text", dest="report_format")
    val.set_defaults(handler=_translated(_validate_run))

    fw = subparsers.add_parser("framework", help="show or export an indicator framework")
    actions = fw.add_subparsers(dest="action", required=True, parser_class=type(fw))
    show = actions.add_parser("show", help="list indicators, or describe one, in a language")
    show.add_argument("indicator", nargs="?", help="an indicator id, e.g. R1")
    show.add_argument("--tier", type=int, help="1: the short first tier only")
    _common(show, data=False)
    export = actions.add_parser("export", help="write the framework as JSON, YAML or CSV")
    export.add_argument(
        "--format", choices=("json", "yaml", "csv"), default="json", dest="export_format"
    )
    export.add_argument("--out", type=Path)
    _common(export, data=False)
    fw.set_defaults(handler=_translated(_framework_run))
