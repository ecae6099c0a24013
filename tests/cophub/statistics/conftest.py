"""Fixtures for the statistics module: small synthetic surveys in every accepted format, the
mapping of ``copstats synth`` data, datasets at each step of the workflow, and the people of
the permission matrix."""

import io
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pyreadstat
import pytest
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.models import Helpline
from cophub.helplines.selectors import directory_cache_clear
from cophub.helplines.services import topics_load
from cophub.reference.models import Country
from cophub.statistics import microdata, publishing, services
from cophub.statistics.demo import synthetic_mapping
from cophub.statistics.engine import synthetic_survey
from cophub.statistics.models import Dataset

ROWS = 600


@cache
def survey_table(rows: int = ROWS, seed: int = 5) -> pa.Table:
    return synthetic_survey(rows, seed)


def survey_bytes(kind: str = "parquet", table: pa.Table | None = None) -> bytes:
    table = table if table is not None else survey_table()
    buffer = io.BytesIO()
    if kind == "parquet":
        pq.write_table(table, buffer)
        return buffer.getvalue()
    if kind == "csv":
        pacsv.write_csv(table.drop_columns(["synthetic"]), buffer)
        return buffer.getvalue()
    frame = pl.from_arrow(table.drop_columns(["synthetic"]))
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append(list(row))
        book.save(buffer)
        return buffer.getvalue()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data.{kind}"
        (pyreadstat.write_sav if kind == "sav" else pyreadstat.write_dta)(frame, str(path))
        return path.read_bytes()


@pytest.fixture
def mapping() -> dict[str, Any]:
    return json.loads(json.dumps(synthetic_mapping()))


@pytest.fixture
def stats_office(make_user: Callable[..., User]) -> User:
    """A statistics-office user with no role: only a grant lets them see a dataset."""
    return make_user(None, username="nso-ke")


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    return make_user(None, username="outsider")


def dataset_make(user: User, country: str = "KE", **kwargs: Any) -> Dataset:
    defaults: dict[str, Any] = {
        "kind": Dataset.Kind.SURVEY,
        "year": 2024,
        "title": "Test survey",
        "source": "Test",
    }
    defaults.update(kwargs)
    return services.dataset_create(
        actor=user, country=Country.objects.get(iso2=country), **defaults
    )


def upload(user: User, dataset: Dataset, mapping: dict[str, Any], kind: str = "parquet") -> Dataset:
    services.dataset_mapping_set(actor=user, dataset=dataset, document=mapping)
    return microdata.microdata_upload(
        actor=user,
        dataset=Dataset.objects.get(pk=dataset.pk),
        name=f"survey.{kind}",
        content=survey_bytes(kind),
    )


def publish(dataset: Dataset, focal: User, bdt: User) -> Dataset:
    submitted = services.dataset_submit(actor=focal, dataset=dataset)
    approved = services.dataset_approve(actor=focal, dataset=submitted)
    reviewed = services.dataset_review(actor=bdt, dataset=approved)
    publishing.dataset_publish(actor=focal, dataset=reviewed)
    return Dataset.objects.get(pk=dataset.pk)


@pytest.fixture
def checked_survey(focal_ke: User, mapping: dict[str, Any]) -> Dataset:
    return upload(focal_ke, dataset_make(focal_ke), mapping)


@pytest.fixture
def published_survey(checked_survey: Dataset, focal_ke: User, bdt_staff: User) -> Dataset:
    return publish(checked_survey, focal_ke, bdt_staff)


@pytest.fixture
def helpline_setup(make_user: Callable[..., User]) -> dict[str, Any]:
    """Two Kenyan helplines of two organisations, each with its own editor."""
    topics_load()
    directory_cache_clear()
    people: dict[str, Any] = {}
    for slug, name in (("ke-test-line", "Test Childline"), ("ke-other-line", "Other line")):
        organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.CHILD_HELPLINE)
        Helpline.objects.create(
            slug=slug,
            names={"en": name},
            country_id="KE",
            kind="child_helpline",
            timezone="Africa/Nairobi",
            organisation=organisation,
            source_url="https://example.org/",
            source_type="other",
        )
        people[slug] = make_user(
            Role.HELPLINE_EDITOR, username=f"editor-{slug}", organisation=organisation
        )
    return people


def api(client: Client, method: str, url: str, headers: dict[str, str], body: Any = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url, headers=headers)
    return call(url, data=json.dumps(body), content_type="application/json", headers=headers)
