"""The sampling design a survey upload declares: one parser for the page and the API.

A design is either **Taylor linearisation** on strata and PSUs (PSU codes nested in their
stratum by default, as Stata and R's ``svydesign(nest = TRUE)`` read them, or declared unique
across strata) or **replicate weights** supplied with the data (method, the columns by prefix
or list, Fay's ρ, multipliers, degrees of freedom). The parser turns the flat text fields of the
form (the same names in the API) into the mapping document's ``design`` block, the engine's
format (``copcore.stats`` ``mapping.schema.json``); every problem names its field and nothing
is saved while one remains. Columns and values are checked against the file by the engine when
the file is checked (a missing column, a replicate weight that is not a number ≥ 0).
"""

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cophub.portal.errors import InvalidInput

TAYLOR = "taylor"
REPLICATION = "replication"
COLUMN_FIELDS = ("weight", "strata", "psu", "fpc")
REPLICATE_FIELDS = ("rep_method", "rep_columns", "rep_fay", "rep_multipliers", "rep_df")
FIELDS = (*COLUMN_FIELDS, "psu_unique", "variance", *REPLICATE_FIELDS)
VARIANCES = (
    (TAYLOR, gettext_lazy("Taylor linearisation (strata and PSUs)")),
    (REPLICATION, gettext_lazy("Replicate weights supplied with the data")),
)
METHODS = (
    ("brr", gettext_lazy("BRR (balanced repeated replication)")),
    ("fay", gettext_lazy("Fay's BRR")),
    ("jk1", gettext_lazy("Jackknife JK1 (delete one PSU, unstratified)")),
    ("jkn", gettext_lazy("Jackknife JKn (delete one PSU per stratum)")),
    ("bootstrap", gettext_lazy("Bootstrap")),
    ("sdr", gettext_lazy("Successive difference replication (SDR)")),
)
METHOD_NAMES = dict(METHODS)
# Where each field lives in a mapping document, for errors found in an uploaded mapping file.
KEYS = {
    **{field: f"design.{field}" for field in (*COLUMN_FIELDS, "psu_unique")},
    "variance": "design.replicates",
    "rep_method": "design.replicates.method",
    "rep_columns": "design.replicates.columns",
    "rep_fay": "design.replicates.fay",
    "rep_multipliers": "design.replicates.multipliers",
    "rep_df": "design.replicates.df",
}


def _text(values: Mapping[str, Any], field: str) -> str:
    value = values.get(field)
    return "" if value is None else str(value).strip()


def _flag(values: Mapping[str, Any], field: str) -> bool:
    value = values.get(field)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


def _numbers(text: str) -> list[float] | None:
    """Comma-separated numbers, or ``None`` when one is not a finite number."""
    out = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            number = float(part)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        out.append(number)
    return out


def design_parse(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``design`` block of the fields in ``values`` (empty when no column is named), or
    :class:`InvalidInput` listing every problem with the field it belongs to."""
    errors: list[dict[str, str]] = []

    def problem(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    block: dict[str, Any] = {f: _text(values, f) for f in COLUMN_FIELDS if _text(values, f)}
    variance = _text(values, "variance") or TAYLOR
    unique = _flag(values, "psu_unique")
    if variance not in (TAYLOR, REPLICATION):
        problem(
            "variance",
            _("Choose one of: %(choices)s.") % {"choices": f"{TAYLOR}, {REPLICATION}"},
        )
    elif variance == TAYLOR:
        for field in REPLICATE_FIELDS:
            if _text(values, field):
                problem(field, _("Replicate options need the variance method “replicate weights”."))
        if unique and "psu" not in block:
            problem("psu_unique", _("Unique PSU codes need a PSU column."))
        if unique and "psu" in block:
            block["psu_unique"] = True
    else:
        block["replicates"] = _replicates(values, block, unique, problem)
    if errors:
        raise InvalidInput(errors[0]["message"], details={"errors": errors})
    return block


def _replicates(
    values: Mapping[str, Any], block: dict[str, Any], unique: bool, problem: Any
) -> dict[str, Any]:
    method = _text(values, "rep_method")
    spec: dict[str, Any] = {"method": method}
    if not method:
        problem("rep_method", _("Choose the replication method."))
    elif method not in METHOD_NAMES:
        choices = ", ".join(METHOD_NAMES)
        problem("rep_method", _("Choose one of: %(choices)s.") % {"choices": choices})
    columns = [c.strip() for c in _text(values, "rep_columns").split(",") if c.strip()]
    if not columns:
        problem(
            "rep_columns",
            _("Name the replicate weight columns: a prefix (brr_ for brr_1, brr_2, …) or a list."),
        )
    spec["columns"] = columns[0] if len(columns) == 1 else columns
    if "weight" not in block:
        problem("weight", _("A replicate design needs the full-sample weight column."))
    if "fpc" in block:
        problem("fpc", _("A replicate design has no finite population correction: leave it blank."))
    if unique:
        problem("psu_unique", _("A replicate design has no PSUs of its own: leave this unticked."))
    multipliers_text = _text(values, "rep_multipliers")
    multipliers = _numbers(multipliers_text)
    if multipliers is None or any(m <= 0 for m in multipliers or ()):
        problem("rep_multipliers", _("Multipliers are numbers above 0, separated by commas."))
    elif multipliers:
        spec["multipliers"] = multipliers[0] if len(multipliers) == 1 else multipliers
    derives = method == "jkn" and not multipliers_text
    for field in ("strata", "psu"):
        if field in block and not derives:
            problem(
                field,
                _(
                    "With replicate weights, stratum and PSU columns only serve to derive the "
                    "JKn multipliers: leave this blank."
                ),
            )
    if derives and not ("strata" in block and "psu" in block):
        problem(
            "rep_multipliers",
            _(
                "The JKn method needs its multipliers, or the stratum and PSU columns to "
                "derive them."
            ),
        )
    fay_text = _text(values, "rep_fay")
    fay = _numbers(fay_text) if fay_text else []
    if fay is None or len(fay) > 1 or (fay and not 0 <= fay[0] < 1):
        problem("rep_fay", _("Fay's ρ is a number from 0 to less than 1."))
    elif fay and fay[0] and method not in ("brr", "fay"):
        problem("rep_fay", _("Fay's ρ applies only to the BRR and Fay methods."))
    elif fay and fay[0]:
        spec["fay"] = fay[0]
    elif method == "fay":
        problem("rep_fay", _("Fay's method needs ρ, a number from 0 to less than 1."))
    df_text = _text(values, "rep_df")
    if df_text:
        try:
            df = int(df_text)
        except ValueError:
            df = 0
        if df < 1:
            problem("rep_df", _("The degrees of freedom are a whole number of 1 or more."))
        else:
            spec["df"] = df
    return spec


def design_fields(block: Mapping[str, Any] | None) -> dict[str, Any]:
    """A ``design`` block as the form's fields (the inverse of :func:`design_parse`)."""
    block = block or {}
    fields: dict[str, Any] = {f: str(block.get(f) or "") for f in COLUMN_FIELDS}
    fields["psu_unique"] = bool(block.get("psu_unique"))
    spec = block.get("replicates")
    fields["variance"] = REPLICATION if spec else TAYLOR
    spec = spec or {}
    columns = spec.get("columns", "")
    multipliers = spec.get("multipliers", "")
    fields.update(
        rep_method=str(spec.get("method", "")),
        rep_columns=", ".join(columns) if isinstance(columns, list) else str(columns),
        rep_fay=f"{spec['fay']:g}" if spec.get("fay") else "",
        rep_multipliers=", ".join(f"{m:g}" for m in multipliers)
        if isinstance(multipliers, list)
        else (f"{multipliers:g}" if multipliers else ""),
        rep_df=str(spec.get("df", "")),
    )
    return fields


def design_check(block: Mapping[str, Any] | None) -> None:
    """The rules of :func:`design_parse` on a design block read from a mapping file; errors
    name the document's keys (``design.replicates.fay``)."""
    try:
        design_parse(design_fields(block))
    except InvalidInput as error:
        listed = [
            {"field": KEYS.get(item["field"], item["field"]), "message": item["message"]}
            for item in error.details.get("errors", [])
        ]
        raise InvalidInput(error.message, details={"errors": listed}) from error


def design_given(values: Mapping[str, Any]) -> bool:
    """Whether an upload declares a design (it then replaces the mapping's): a column, a
    replicate option, replicate weights as the variance method, or unique PSU codes."""
    named = any(_text(values, f) for f in (*COLUMN_FIELDS, *REPLICATE_FIELDS))
    return named or _text(values, "variance") == REPLICATION or _flag(values, "psu_unique")


def variance_text(variance: Mapping[str, Any] | None) -> str:
    """How the standard errors were computed, in words (empty when nothing was computed with
    a design: differential privacy, aggregates, counts)."""
    if not variance:
        return ""
    df = variance.get("df")
    if variance.get("method") == REPLICATION:
        method = str(variance.get("replication_method", ""))
        parts = [
            _("Replicate weights: %(method)s, %(count)s replicates")
            % {"method": METHOD_NAMES.get(method, method), "count": variance.get("replicates")}
        ]
        if variance.get("fay"):
            parts.append(_("Fay's ρ = %(rho)s") % {"rho": f"{variance['fay']:g}"})
        multipliers = variance.get("multipliers") or []
        if len(multipliers) == 1:
            parts.append(_("multiplier %(value)s") % {"value": f"{multipliers[0]:g}"})
        elif multipliers:
            parts.append(_("one multiplier per replicate"))
    else:
        nesting = {
            "nested": _("Taylor linearisation; PSUs numbered within their stratum (nested)"),
            "unique": _("Taylor linearisation; PSU codes unique across strata"),
            "none": _("Taylor linearisation; each respondent is its own PSU"),
        }
        parts = [nesting.get(str(variance.get("psu")), nesting["none"])]
    if df is not None:
        parts.append(_("%(df)s degrees of freedom") % {"df": df})
    return "; ".join(parts)
