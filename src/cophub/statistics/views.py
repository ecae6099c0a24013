"""Public statistics pages: the framework, each indicator across countries (chart and data
table), country profiles, the questionnaire module and the templates. No JavaScript needed;
only published, disclosure-controlled observations are read."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cophub.helplines import selectors as helpline_selectors
from cophub.reference.languages import RTL_LANGUAGE_CODES
from cophub.reference.models import localized

from . import aggregates, contact_counts, engine, labels, selectors
from .charts import ChartRow, chart_svg, value_text
from .mappings import mapping_template
from .models import Observation
from .questionnaire import questionnaire_build, questionnaire_items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language() -> str:
    return get_language() or "en"


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def framework_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "statistics/index.html",
        {"framework": selectors.framework_overview(), "year": _default_year()},
    )


def _default_year() -> int:
    return timezone.now().year - 1


@require_GET
def questionnaire(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "statistics/questionnaire.html",
        {"items": questionnaire_items(_language()), "framework": selectors.framework_overview()},
    )


@require_GET
def questionnaire_download(request: HttpRequest) -> HttpResponse:
    return _download(
        questionnaire_build(_language()), XLSX, f"cop-questionnaire-{_language()}.xlsx"
    )


def _template_params(request: HttpRequest) -> tuple[str, int]:
    country = selectors.country_get(request.GET.get("country", "").strip())
    year_text = request.GET.get("year", "").strip()
    if country is None or not year_text.isdigit():
        raise Http404
    return country.iso2, int(year_text)


@require_GET
def mapping_template_download(request: HttpRequest) -> HttpResponse:
    country, year = _template_params(request)
    text = mapping_template(country=country, year=year, language=_language())
    return _download(text, "application/yaml; charset=utf-8", f"mapping-{country}-{year}.yaml")


@require_GET
def aggregate_template_download(request: HttpRequest) -> HttpResponse:
    country, year = _template_params(request)
    content = aggregates.template_build(country=country, year=year, language=_language())
    return _download(content, XLSX, f"cop-aggregates-{country}-{year}.xlsx")


@require_GET
def contacts_template_download(request: HttpRequest) -> HttpResponse:
    return _download(
        contact_counts.template_csv(), "text/csv; charset=utf-8", "helpline-contacts.csv"
    )


def observation_view(row: Observation, *, percent: bool) -> dict[str, Any]:
    """One published cell as the pages show it."""
    low, high = row.ci_low, row.ci_high
    interval = ""
    if low is not None and high is not None:
        interval = f"{value_text(low, percent=percent)} – {value_text(high, percent=percent)}"
    return {
        "row": row,
        "value": value_text(row.estimate, percent=percent),
        "ci": interval,
        "se": value_text(row.se, percent=percent),
        "flag": labels.flag_label(row.flag),
        "comparability": labels.comparability_labels(row.comparability),
    }


def _filters(
    request: HttpRequest, detail: dict[str, Any]
) -> tuple[selectors.IndicatorFilters, list[str]]:
    allowed = [engine.TOTAL] + [b["id"] for b in detail["breakdowns"]]
    breakdown = request.GET.get("breakdown", engine.TOTAL)
    breakdown = breakdown if breakdown in allowed else engine.TOTAL
    values: list[str] = []
    value = engine.TOTAL
    if breakdown != engine.TOTAL:
        values = selectors.breakdown_values(detail["id"], breakdown)
        asked = request.GET.get("value", "")
        value = asked if asked in values else (values[0] if values else "")
    measures = detail["measures"]
    measure = request.GET.get("measure", "")
    measure = measure if measure in measures else (measures[0] if measures else "")
    filters = selectors.IndicatorFilters(
        breakdown=breakdown,
        value=value,
        region=request.GET.get("region", "")[:3],
        grouping=request.GET.get("grouping", "")[:8],
        measure=measure,
    )
    return filters, values


@require_GET
def indicator_page(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """All countries' latest published value of an indicator: chart (with CIs) and table."""
    detail = selectors.indicator_detail(indicator_id)
    if detail is None:
        raise Http404
    filters, values = _filters(request, detail)
    rows = selectors.indicator_latest(indicator_id, filters)
    rows.sort(
        key=lambda r: (r.suppressed or r.estimate is None, -(r.estimate or 0.0), r.country.name)
    )
    percent = detail["statistic"] == "proportion"
    suppressed = sum(1 for r in rows if r.suppressed)
    chart = None
    if rows:
        description = ngettext(
            "%(count)s country; dots are estimates and lines their 95%% confidence intervals; "
            "%(suppressed)s suppressed.",
            "%(count)s countries; dots are estimates and lines their 95%% confidence intervals; "
            "%(suppressed)s suppressed.",
            len(rows),
        ) % {"count": len(rows), "suppressed": suppressed}
        chart = chart_svg(
            [
                ChartRow(
                    label=r.country.name,
                    estimate=r.estimate,
                    ci_low=r.ci_low,
                    ci_high=r.ci_high,
                    suppressed=r.suppressed,
                    note=" *" if r.comparability else "",
                )
                for r in rows
            ],
            title=_("%(indicator)s: latest published value by country")
            % {"indicator": detail["name"]},
            description=description,
            percent=percent,
            rtl=_language() in RTL_LANGUAGE_CODES,
        )
    return render(
        request,
        "statistics/indicator.html",
        {
            "indicator": detail,
            "filters": filters,
            "values": [{"value": v, "label": labels.level_label(v)} for v in values],
            "value_label": labels.level_label(filters.value),
            "breakdown_label": labels.breakdown_label(filters.breakdown),
            "rows": [observation_view(r, percent=percent) for r in rows],
            "chart": chart,
            "regions": selectors.regions(),
            "groupings": selectors.groupings(),
        },
    )


def _country_series(observations: list[Observation]) -> list[dict[str, Any]]:
    """The country's figures grouped by indicator (and measure), years in order."""
    framework = engine.framework()
    series: dict[tuple[str, str], dict[str, Any]] = {}
    for row in observations:
        if row.indicator == "helpline_contacts":
            continue
        key = (row.indicator, row.measure)
        if key not in series:
            statistic: str = row.statistic
            try:
                statistic = framework.indicator(row.indicator).statistic
            except engine.StatsError:
                pass
            series[key] = {
                "indicator": row.indicator,
                "measure": row.measure,
                "name": labels.indicator_name(row.indicator),
                "points": [],
                "percent": statistic == "proportion",
            }
        series[key]["points"].append(observation_view(row, percent=series[key]["percent"]))
    order = {indicator.id: i for i, indicator in enumerate(framework.indicators)}
    return sorted(series.values(), key=lambda s: (order.get(s["indicator"], 999), s["measure"]))


def _last(items: list[Any]) -> Any:
    return items[-1] if items else None


@require_GET
def country_profile(request: HttpRequest, iso2: str) -> HttpResponse:
    """A country's COP figures over time, its helplines and COP numbers, and its releases."""
    country = selectors.country_get(iso2)
    if country is None:
        raise Http404
    if country.iso2 != iso2:
        return redirect("statistics:country", iso2=country.iso2)
    helplines = [
        {"name": localized(h.names), "kind": h.kind.value, "contacts": h.contacts}
        for h in helpline_selectors.helpline_directory(country=country.iso2)
    ]
    contacts = [
        {
            "row": row,
            "label": labels.level_label(row.breakdown_value)
            if row.breakdown != "topic"
            else row.breakdown_value.replace("_", " "),
            "value": value_text(row.estimate, percent=False),
            "flag": labels.flag_label(row.flag),
        }
        for row in selectors.country_helpline_contacts(country.iso2)
    ]
    return render(
        request,
        "statistics/country.html",
        {
            "country": country,
            "series": _country_series(selectors.country_observations(country.iso2)),
            "helplines": helplines,
            "numbers": [
                {"number": number, "current": _last(list(number.history.all()))}
                for number in helpline_selectors.number_list(country=country.iso2)
            ],
            "contacts": contacts,
            "releases": selectors.country_releases(country.iso2),
        },
    )
