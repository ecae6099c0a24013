"""Variable mappings as the platform edits them: the ``cop-survey-mapping/1`` document (the
engine's format), the compact text the mapping form shows for each harmonised variable, and
the downloadable mapping template.

In the form, a variable's *source* is a column name, several columns joined by ``+`` (the
variable is true when any of them is), or ``=value`` for a constant (``=true`` for a survey of
internet users only); *codes* read ``1=true, 2=false``; *missing* reads ``8, 9``."""

import json
from typing import Any

import yaml
from django.utils.translation import gettext as _

from cophub.portal.errors import InvalidInput
from cophub.portal.text_policy import document_check

from . import designs, engine

FORMAT = "cop-survey-mapping/1"


class MappingTextError(ValueError):
    """A form entry that cannot be read; the message is translated and names the entry."""


def _target_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _target_parse(text: str, variable_type: str) -> bool | int | str | None:
    value = text.strip()
    lowered = value.lower()
    if lowered in ("null", "none", ""):
        return None
    if variable_type == "boolean":
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise MappingTextError(
            _("“%(value)s” is not true or false.") % {"value": value},
        )
    if variable_type == "integer":
        try:
            return int(value)
        except ValueError:
            raise MappingTextError(
                _("“%(value)s” is not a whole number.") % {"value": value}
            ) from None
    return value


def codes_text(codes: dict[str, Any] | None) -> str:
    """``{"1": true, "2": false}`` → ``"1=true, 2=false"``."""
    return ", ".join(f"{code}={_target_text(target)}" for code, target in (codes or {}).items())


def codes_parse(text: str, variable_type: str) -> dict[str, Any]:
    """``"1=true, 2=false"`` → ``{"1": true, "2": false}``; :class:`MappingTextError` else."""
    out: dict[str, Any] = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise MappingTextError(
                _("“%(part)s” is not of the form code=value.") % {"part": part.strip()}
            )
        code, target = part.split("=", 1)
        if not code.strip():
            raise MappingTextError(_("A code is missing before “=%(value)s”.") % {"value": target})
        out[code.strip()] = _target_parse(target, variable_type)
    return out


def missing_parse(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def variable_entry(spec: dict[str, Any] | None) -> dict[str, str]:
    """A document's entry for one variable as the form's three texts."""
    if not spec:
        return {"source": "", "codes": "", "missing": ""}
    if "constant" in spec:
        return {"source": f"={_target_text(spec['constant'])}", "codes": "", "missing": ""}
    items = spec.get("any_of") or [spec]
    first = items[0]
    return {
        "source": " + ".join(str(item["source"]) for item in items),
        "codes": codes_text(first.get("codes")),
        "missing": ", ".join(str(m) for m in first.get("missing", [])),
    }


def variable_spec(
    source: str, codes: str, missing: str, variable_type: str
) -> dict[str, Any] | None:
    """The form's three texts for one variable as a document entry (``None`` when blank)."""
    source = source.strip()
    if not source:
        return None
    if source.startswith("="):
        constant = _target_parse(source[1:], variable_type)
        if constant is None:
            raise MappingTextError(_("A constant needs a value, such as =true."))
        return {"constant": constant}
    item: dict[str, Any] = {}
    parsed_codes = codes_parse(codes, variable_type)
    if parsed_codes:
        item["codes"] = parsed_codes
    parsed_missing = missing_parse(missing)
    if parsed_missing:
        item["missing"] = parsed_missing
    columns = [column.strip() for column in source.split("+") if column.strip()]
    if len(columns) == 1:
        return {"source": columns[0], **item}
    return {"any_of": [{"source": column, **item} for column in columns]}


def document_for_dataset(
    document: dict[str, Any], *, country: str, year: int, design: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Fix what the platform decides: the dataset's country and year, one country per file;
    then check the document with the engine, and its design with the rules of
    :mod:`.designs`. A design given with an upload (a parsed ``design`` block) wins."""
    if not isinstance(document, dict):
        raise InvalidInput(
            _("The mapping must be a YAML or JSON object."),
            details={"errors": [{"field": "mapping", "message": _("Not an object.")}]},
        )
    survey = document.get("survey")
    if isinstance(survey, dict):
        if survey.get("country_column"):
            message = _(
                "A mapping on the platform is for one country: remove survey.country_column."
            )
            raise InvalidInput(
                message,
                details={"errors": [{"field": "survey.country_column", "message": message}]},
            )
        given = survey.get("country")
        if given and str(given).upper() != country:
            message = _(
                "The mapping is for country %(given)s but the dataset is for %(country)s."
            ) % {"given": given, "country": country}
            raise InvalidInput(
                message, details={"errors": [{"field": "survey.country", "message": message}]}
            )
        survey["country"] = country
        survey["year"] = year
    if design is not None:
        document["design"] = dict(design)
    document.setdefault("framework_version", engine.framework().version)
    try:
        engine.mapping_from_document(document)
    except engine.StatsError as error:
        path = engine.error_key_path(error)
        reason = str(error.params.get("reason", ""))
        message = _("The mapping is not valid at %(path)s: %(reason)s") % {
            "path": path,
            "reason": reason,
        }
        raise InvalidInput(
            message, details={"errors": [{"field": path, "message": message}]}
        ) from error
    designs.design_check(document.get("design"))
    return document


def document_read(text: str, name: str) -> Any:
    """A mapping file's text as data (YAML or JSON, by extension; YAML reads JSON too)."""
    try:
        document = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except RecursionError as deep:
        raise InvalidInput(_("The mapping file is nested too deeply.")) from deep
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        message = _("The mapping file is not valid YAML or JSON: %(reason)s") % {
            "reason": str(error).splitlines()[0] if str(error) else type(error).__name__
        }
        raise InvalidInput(
            message, details={"errors": [{"field": "mapping_file", "message": message}]}
        ) from error
    document_check(document, source="$")
    return document


def mapping_template(*, country: str, year: int, language: str) -> str:
    """A mapping file to fill in: every harmonised variable of the framework, with its label
    (in ``language``) and allowed values as comments."""
    framework = engine.framework()
    lines = [
        f"# {_('Variable mapping for COP Hub')} ({FORMAT})",
        f"# {framework.title.get(language)} {framework.version}",
        "# " + _("Replace each SOURCE by the column of your survey, and list its codes."),
        "# " + _("Delete the variables your survey does not have."),
        f"schema: {FORMAT}",
        f"framework: {framework.id}",
        f"framework_version: {framework.version}",
        "survey:",
        "  name: SURVEY NAME",
        f"  country: {country}",
        f"  year: {year}",
        "  population: all_children   # " + _("or internet_users"),
        f"  age: [{framework.age_range[0]}, {framework.age_range[1]}]",
        "design: {weight: WEIGHT, strata: STRATUM, psu: PSU}",
        "variables:",
    ]
    for variable in framework.variables:
        if variable.derived_any_of:
            continue
        allowed = {
            "boolean": "true / false",
            "integer": f"{variable.minimum}-{variable.maximum}",
            "category": " / ".join(variable.categories),
            "code": _("your own codes"),
        }[variable.type]
        lines.append(f"  # {variable.label.get(language)} — {allowed}")
        if variable.type == "boolean":
            codes = "{1: true, 2: false}, missing: [8, 9]"
            lines.append(f"  {variable.id}: {{source: SOURCE, codes: {codes}}}")
        elif variable.type == "category":
            codes = ", ".join(f"{i + 1}: {c}" for i, c in enumerate(variable.categories))
            lines.append(f"  {variable.id}: {{source: SOURCE, codes: {{{codes}}}}}")
        else:
            lines.append(f"  {variable.id}: {{source: SOURCE}}")
    return "\n".join(lines) + "\n"
