"""The check report in the reader's language: one line per problem, naming the variable, the
column, the value and the first rows (numbered from 1, the first data row).

The report is stored as data (codes and parameters), so it reads in whichever of the six
languages the page is shown in. Problems of the mapping and the data have their texts here;
problems of an aggregate template have theirs from :mod:`cophub.statistics.aggregates`, a
file beyond the upload limits from :mod:`cophub.portal.uploads`, and errors of the engine
itself (a PSU in two strata, an unreadable file) from the engine's own catalogues."""

from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext

from cophub.portal.uploads import PROBLEM_CODES, problem_message

from . import aggregates, engine
from .designs import variance_text

PROBLEM_TEXTS = {
    "mapping_value_unmapped": gettext_lazy(
        "%(variable)s (column “%(column)s”): value “%(value)s” has no code in the mapping"
    ),
    "mapping_value_out_of_range": gettext_lazy(
        "%(variable)s (column “%(column)s”): value %(value)s is outside %(detail)s"
    ),
    "mapping_value_not_integer": gettext_lazy(
        "%(variable)s (column “%(column)s”): value %(value)s is not a whole number"
    ),
    "mapping_value_not_numeric": gettext_lazy(
        "%(variable)s (column “%(column)s”): value “%(value)s” is not a number"
    ),
    "mapping_column_missing": gettext_lazy(
        "%(variable)s: the mapping names column “%(column)s”, which is not in the file"
    ),
    "mapping_no_valid_value": gettext_lazy("%(variable)s: no row has a valid value"),
    "mapping_variable_unknown": gettext_lazy(
        "%(variable)s is not a variable of the indicator framework"
    ),
    "mapping_target_invalid": gettext_lazy(
        "%(variable)s: “%(value)s” is not one of its values (%(detail)s)"
    ),
    "mapping_codes_required": gettext_lazy(
        "%(variable)s (column “%(column)s”): this variable needs a list of codes"
    ),
    "mapping_any_of_not_boolean": gettext_lazy(
        "%(variable)s: several columns can only be combined for yes/no variables"
    ),
    "mapping_age_required": gettext_lazy(
        "age: the mapping must say which column holds the single year of age"
    ),
    "mapping_framework_mismatch": gettext_lazy(
        "The mapping is for framework “%(value)s”, not “%(detail)s”"
    ),
    "mapping_framework_version": gettext_lazy(
        "The mapping was written for framework version %(value)s; the platform uses %(detail)s"
    ),
    "mapping_composite_partial": gettext_lazy(
        "%(variable)s is derived without %(detail)s; its indicators are flagged"
    ),
    "mapping_design_column_missing": gettext_lazy(
        "Design column “%(column)s” (%(detail)s) is not in the file"
    ),
    "mapping_design_value_missing": gettext_lazy(
        "Design column “%(column)s” (%(detail)s) is empty"
    ),
    "mapping_weight_not_positive": gettext_lazy(
        "Weight column “%(column)s”: zero, negative or infinite weight"
    ),
    "mapping_weight_not_numeric": gettext_lazy(
        "Weight column “%(column)s”: value “%(value)s” is not a number"
    ),
}

ERROR_TEXTS = {
    "microdata_key_mismatch": gettext_lazy(
        "The stored file cannot be decrypted with the current key; upload it again."
    ),
    "check_crashed": gettext_lazy(
        "The check stopped on an unexpected error; the file was deleted. Try again or contact "
        "BDT staff."
    ),
    "check_interrupted": gettext_lazy(
        "The check did not finish: it stopped on an unexpected error, or its worker stopped. "
        "Nothing of it was kept but the encrypted file: retry the check. If it stops again, "
        "contact BDT staff."
    ),
    "microdata_missing": gettext_lazy("The stored file is missing; upload it again."),
}


def _language() -> str:
    return get_language() or "en"


def engine_error_text(code: str, params: dict[str, Any]) -> str:
    """An engine error (stored as code and parameters) in the active language."""
    if code in ERROR_TEXTS:
        return str(ERROR_TEXTS[code])
    if code in PROBLEM_CODES:
        return problem_message(code, params)
    if code in aggregates.PROBLEM_TEXTS:
        return aggregates.problem_text(code, params)
    return engine.engine_message(engine.StatsError(code, **params), _language())


def problem_line(problem: dict[str, Any]) -> dict[str, Any]:
    """One problem as the page shows it: severity, text, and where it was found."""
    code = problem.get("code", "")
    template = PROBLEM_TEXTS.get(code)
    if template is not None:
        text = str(template) % {
            "variable": problem.get("variable") or "-",
            "column": problem.get("column") or "-",
            "value": problem.get("value") or "",
            "detail": problem.get("detail") or "",
        }
    else:
        text = engine_error_text(code, dict(problem.get("params") or {}))
    rows = list(problem.get("rows") or [])
    where = ""
    if problem.get("count"):
        where = ngettext(
            "%(count)s row: %(rows)s", "%(count)s rows, first: %(rows)s", int(problem["count"])
        ) % {
            "count": problem["count"],
            "rows": ", ".join(str(r) for r in rows) or "-",
        }
    return {
        "severity": problem.get("severity", "error"),
        "code": code,
        "text": text,
        "where": where,
        "variable": problem.get("variable", ""),
        "column": problem.get("column", ""),
        "rows": rows,
        "count": problem.get("count", 0),
    }


def report_view(report: dict[str, Any]) -> dict[str, Any]:
    """The whole report, translated, grouped as the page shows it."""
    framework = engine.framework()
    language = _language()
    lines = [problem_line(p) for p in report.get("problems", [])]
    error = report.get("error")
    not_computable = []
    for entry in report.get("not_computable", []):
        try:
            name = framework.indicator(entry["indicator"]).name.get(language)
        except engine.StatsError:
            name = entry["indicator"]
        not_computable.append(
            {"indicator": entry["indicator"], "name": name, "variables": entry["variables"]}
        )
    return {
        "rows": report.get("rows"),
        "errors": [line for line in lines if line["severity"] == "error"],
        "warnings": [line for line in lines if line["severity"] == "warning"],
        "error": engine_error_text(error["code"], error.get("params", {})) if error else "",
        "error_code": error["code"] if error else "",
        "not_computable": not_computable,
        "cells": report.get("cells"),
        "suppressed": report.get("suppressed"),
        "dp": report.get("dp"),
        "variance": variance_text(report.get("variance")),
        "audit_suppressed": report.get("audit_suppressed"),
    }
