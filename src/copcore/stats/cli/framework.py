"""``copstats framework show [ID]`` and ``copstats framework export``: read the indicator
framework in any of the six languages, or write it as JSON, YAML or CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from copcore.stats.cli.command import Command, Parser, Subparsers, language_option
from copcore.stats.cli.survey_files import framework_of, framework_option
from copcore.stats.formats import text_write
from copcore.stats.framework import Framework, framework_as_dict
from copcore.stats.messages import LANGUAGES, message_format


def add_parser(subparsers: Subparsers) -> None:
    """Add ``framework show`` and ``framework export`` to the ``copstats`` parser."""
    fw = subparsers.add_parser("framework", help="show or export an indicator framework")
    actions = fw.add_subparsers(dest="action", required=True, parser_class=Parser)
    show = actions.add_parser("show", help="list indicators, or describe one, in a language")
    show.add_argument("indicator", nargs="?", help="an indicator id, e.g. R1")
    show.add_argument("--tier", type=int, help="1: the short first tier only")
    framework_option(show)
    language_option(show)
    export = actions.add_parser("export", help="write the framework as JSON, YAML or CSV")
    export.add_argument(
        "--format", choices=("json", "yaml", "csv"), default="json", dest="export_format"
    )
    export.add_argument("--out", type=Path)
    framework_option(export)
    language_option(export)
    fw.set_defaults(handler=framework_run)


def framework_run(command: Command) -> int:
    """Show the framework in the command's language, or export it."""
    args = command.args
    framework = framework_of(args)
    if args.action == "show":
        command.stdout(framework_show(framework, command.lang, args.indicator, args.tier))
        return 0
    fmt = args.export_format
    if fmt == "json":
        text = json.dumps(framework_as_dict(framework), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "yaml":
        text = yaml.safe_dump(framework_as_dict(framework), allow_unicode=True, sort_keys=False)
    else:
        text = framework_csv(framework)
    if args.out is None:
        command.stdout(text)
    else:
        text_write(args.out, text)
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
        return message_format(code, {}, lang)

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
