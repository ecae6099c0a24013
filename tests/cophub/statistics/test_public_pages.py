"""Public pages: the framework, indicator pages (accessible SVG chart with CIs and a data
table, mirrored in Arabic, suppressed shown as suppressed), filters, a bounded number of
queries for 200 countries, country profiles and the downloads."""

import io
import re
from collections.abc import Callable

import pytest
import yaml
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cophub.accounts.models import User
from cophub.reference.models import Country
from cophub.statistics.models import Dataset, Observation, Release

pytestmark = pytest.mark.django_db


def test_framework_index_in_the_active_language(client: Client) -> None:
    english = client.get("/en/statistics/").content.decode()
    assert "COP core indicator framework" in english and "2026.1.0" in english
    assert 'href="/en/statistics/R1/"' in english
    french = client.get("/fr/statistics/").content.decode()
    assert "Cadre d'indicateurs de base" in french or "Cadre d&#x27;indicateurs de base" in french
    arabic = client.get("/ar/statistics/")
    assert 'dir="rtl"' in arabic.content.decode()


def test_indicator_definition_page_and_unknown_indicator(client: Client) -> None:
    page = client.get("/en/statistics/R9/").content.decode()
    assert "technology-facilitated sexual exploitation" in page.lower()
    assert "No country has published this figure yet." in page
    assert client.get("/en/statistics/Z99/").status_code == 404


def test_questionnaire_and_templates_download(client: Client) -> None:
    page = client.get("/es/statistics/questionnaire/").content.decode()
    assert "bothered_upset" in page
    book = load_workbook(io.BytesIO(client.get("/en/statistics/questionnaire.xlsx").content))
    values = [row[0] for row in book.active.iter_rows(min_row=5, values_only=True)]
    assert "age" in values and "tfse_coerced" in values and "tfse_any" not in values
    mapping = client.get("/en/statistics/templates/mapping/?country=KE&year=2024")
    document = yaml.safe_load(mapping.content)
    assert document["survey"]["country"] == "KE" and "bothered_upset" in document["variables"]
    assert client.get("/en/statistics/templates/mapping/?country=ZZ&year=2024").status_code == 404
    xlsx = client.get("/ru/statistics/templates/aggregate/?country=KE&year=2024")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_indicator_page_with_published_values(client: Client, published_survey: Dataset) -> None:
    page = client.get("/en/statistics/R1/").content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<title id="chart-title">' in svg and "<desc" in svg and 'role="img"' in svg
    assert 'class="ci"' in svg and "Kenya" in svg
    assert "<table" in page and "Kenya" in page and "TEST" not in page
    release = Release.objects.get(dataset=published_survey)
    assert release.code in page
    by_region = client.get("/en/statistics/R1/?region=AMS").content.decode()
    assert "No country has published this figure yet." in by_region
    by_sex = client.get("/en/statistics/R1/?breakdown=sex&value=female").content.decode()
    assert 'value="female" selected' in by_sex and "Kenya" in by_sex


def test_suppressed_cells_show_as_suppressed_not_zero(
    client: Client, published_survey: Dataset
) -> None:
    hidden = Observation.objects.filter(release__dataset=published_survey, suppressed=True).first()
    assert hidden is not None
    query = f"breakdown={hidden.breakdown}&value={hidden.breakdown_value}"
    page = client.get(f"/en/statistics/{hidden.indicator}/?{query}").content.decode()
    assert "Suppressed" in page and ">suppressed</text>" in page
    assert 'class="estimate"' not in page[page.index("<svg") : page.index("</svg>")]


def test_the_chart_is_mirrored_in_arabic(client: Client, published_survey: Dataset) -> None:
    english = client.get("/en/statistics/R1/").content.decode()
    arabic = client.get("/ar/statistics/R1/").content.decode()
    label_en = re.search(
        r'<text class="label" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)"', english
    )
    label_ar = re.search(r'<text class="label" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)"', arabic)
    assert label_en and label_ar
    assert label_en.group(2) == "end" and label_ar.group(2) == "start"
    assert float(label_ar.group(1)) > float(label_en.group(1))
    dot_en = re.search(r'<circle class="estimate" cx="([\d.]+)"', english)
    dot_ar = re.search(r'<circle class="estimate" cx="([\d.]+)"', arabic)
    assert dot_en and dot_ar  # the same distance from the start edge, on the other side
    assert abs((720 - float(dot_ar.group(1))) - float(dot_en.group(1))) < 0.2


def _many_countries(count: int, user: User) -> None:
    countries = list(Country.objects.order_by("iso2")[:count])
    now = timezone.now()
    datasets = Dataset.objects.bulk_create(
        Dataset(kind="survey", country=c, year=2024, title="x", created_by=user, status="published")
        for c in countries
    )
    releases = Release.objects.bulk_create(
        Release(dataset=d, code=f"{d.country_id}-2024-S01", country_id=d.country_id, year=2024,
                kind="survey", source="Test survey", published_at=now)
        for d in datasets
    )  # fmt: skip
    Observation.objects.bulk_create(
        Observation(release=r, country_id=r.country_id, year=2024, indicator="R1",
                    statistic="proportion", breakdown="_T", breakdown_value="_T",
                    estimate=0.1 + i / 1000, se=0.01, ci_low=0.08, ci_high=0.3, n=500,
                    suppressed=i % 17 == 0, method="design")
        for i, r in enumerate(releases)
    )  # fmt: skip


def test_an_indicator_page_for_200_countries_has_a_bounded_number_of_queries(
    client: Client, bdt_staff: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    _many_countries(200, bdt_staff)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get("/en/statistics/R1/?grouping=LDC")
    assert response.status_code == 200
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        response = client.get("/en/statistics/R1/")
    assert response.content.decode().count('<circle class="estimate"') == 200 - 12


def test_country_profile_shows_figures_helplines_and_numbers(
    client: Client, published_survey: Dataset
) -> None:
    page = client.get("/en/countries/KE/").content.decode()
    assert "Kenya" in page and "R1" in page and "2024" in page
    assert Release.objects.get(dataset=published_survey).code in page
    assert "Find a helpline now" in page
    assert client.get("/en/countries/ke/").status_code == 302
    assert client.get("/en/countries/ZZ/").status_code == 404
