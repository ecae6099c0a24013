"""``copstats validate DATA --mapping M``: check the data against the mapping, compute nothing
(exit 0 when they fit, 1 when problems were found), and the translated report it prints."""

from __future__ import annotations

import json
from typing import Any

from copcore.stats.cli.command import EXIT_INVALID, Command, Subparsers
from copcore.stats.cli.survey_files import framework_of, survey_options, survey_read
from copcore.stats.mapping import MappingProblem, ValidationReport, mapping_load, validate
from copcore.stats.messages import message_format
from copcore.stats.tabulate import survey_countries

_SEVERITY_CODES = {"error": "level_error", "warning": "level_warning"}


def add_parser(subparsers: Subparsers) -> None:
    """Add ``validate`` to the ``copstats`` parser."""
    val = subparsers.add_parser("validate", help="check data against a mapping; compute nothing")
    survey_options(val)
    val.add_argument("--format", choices=("text", "json"), default="text", dest="report_format")
    val.set_defaults(handler=validate_run)


def validate_run(command: Command) -> int:
    """Validate each country of DATA; print the reports; exit 1 if any has an error."""
    args = command.args
    framework = framework_of(args)
    mapping = mapping_load(args.mapping)
    table = survey_read(args, mapping)
    status = 0
    for country, part in survey_countries(table, mapping, args.country):
        report = validate(part, mapping, framework)
        if args.report_format == "json":
            document = report_json(report, country)
            command.stdout(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        else:
            if country:
                command.stdout(f"[{country}]\n")
            command.stdout(report_text(report, command.lang))
        status = status if report.ok else EXIT_INVALID
    return status


def problem_text(problem: MappingProblem, lang: str) -> str:
    """One validation problem as a translated line, ``error: …`` or ``warning: …``.

    A design error found by the engine keeps its own parameters; the mapping's problems
    speak of their variable, column, value, count, first rows and detail.
    """
    params: dict[str, str | int | float] = dict(problem.params) or {
        "variable": problem.variable,
        "column": problem.column,
        "value": problem.value,
        "count": problem.count,
        "rows": ", ".join(str(r) for r in problem.rows),
        "detail": problem.detail,
    }
    level = message_format(_SEVERITY_CODES[problem.severity], {}, lang)
    return f"{level}: {message_format(problem.code, params, lang)}"


def report_text(report: ValidationReport, lang: str) -> str:
    """A validation report as translated lines (summary last)."""
    lines = [problem_text(p, lang) for p in report.problems]
    if report.not_computable:
        names = ", ".join(f"{i} ({', '.join(v)})" for i, v in report.not_computable)
        lines.append(message_format("validate_not_computable", {"indicators": names}, lang))
    counts = {"rows": report.n_rows, "errors": len(report.errors), "warnings": len(report.warnings)}
    summary = "validate_ok" if report.ok else "validate_failed"
    lines.append(message_format(summary, counts, lang))
    return "\n".join(lines) + "\n"


def report_json(report: ValidationReport, country: str) -> dict[str, Any]:
    """A validation report as data (``--format json``)."""
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
