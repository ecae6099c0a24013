"""Writes to reference data. ``reference_load`` (re)loads every set from the files in
``data/`` and from CLDR (via Babel) in one transaction: all of it or nothing."""

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry
from babel import Locale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Clause, Country, DataSource, Grouping, Language, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
# Babel's locale identifier for each of the platform's language codes.
BABEL_LOCALES = {"ar": "ar", "zh-hans": "zh_Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


class ReferenceDataError(Exception):
    """A reference data file is inconsistent; the message names the file and row."""


@dataclass(frozen=True)
class ReferenceLoadResult:
    countries: int
    regions: int
    groupings: int
    languages: int
    clauses: int


def _platform_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _cldr_names(kind: str, code: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for language in _platform_languages():
        table = getattr(Locale.parse(BABEL_LOCALES[language]), kind)
        if code in table:
            names[language] = table[code]
    return names


def _read_json(name: str) -> dict:  # type: ignore[type-arg]
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data: dict = json.load(handle)  # type: ignore[type-arg]
        return data


def _read_csv(name: str) -> Iterable[tuple[int, dict[str, str]]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        # Row 1 is the header, so data rows start at 2 (as a spreadsheet numbers them).
        yield from enumerate(csv.DictReader(handle), start=2)


def _load_sources() -> dict[str, DataSource]:
    now = timezone.now()
    sources = {}
    for key, fields in _read_json("sources.json").items():
        source = DataSource(
            key=key,
            title=fields["title"],
            publisher=fields.get("publisher", ""),
            url=fields.get("url", ""),
            edition=fields.get("edition", ""),
            loaded_at=now,
        )
        try:
            source.full_clean(validate_unique=False)
        except ValidationError as error:
            raise ReferenceDataError(f"sources.json {key}: {error.message_dict}") from error
        stored = DataSource.objects.filter(key=key).first()
        if stored is not None and _same_description(stored, source):
            # Unchanged: it keeps the time its current description was loaded, so a reload
            # of the same files changes nothing.
            sources[key] = stored
            continue
        source.save()
        sources[key] = source
    return sources


def _same_description(stored: DataSource, loaded: DataSource) -> bool:
    fields = ("title", "publisher", "url", "edition")
    return all(getattr(stored, name) == getattr(loaded, name) for name in fields)


def _load_regions(sources: dict[str, DataSource]) -> dict[str, Region]:
    regions = {}
    for code, names in _read_json("labels.json")["regions"].items():
        regions[code], _created = Region.objects.update_or_create(
            code=code, defaults={"names": names, "source": sources["itu-d-regions"]}
        )
    return regions


def _load_countries(sources: dict[str, DataSource], regions: dict[str, Region]) -> int:
    member_regions: dict[str, str] = {}
    for row_number, row in _read_csv("itu_regions.csv"):
        if row["itu_region"] not in regions:
            raise ReferenceDataError(
                f"itu_regions.csv row {row_number}: unknown region {row['itu_region']!r}"
            )
        member_regions[row["iso2"]] = row["itu_region"]
    known = {country.alpha_2 for country in pycountry.countries}
    unknown = sorted(set(member_regions) - known)
    if unknown:
        raise ReferenceDataError(f"itu_regions.csv: unknown ISO 3166-1 codes {unknown}")
    for country in pycountry.countries:
        names = _cldr_names("territories", country.alpha_2)
        names.setdefault("en", country.name)
        region_code = member_regions.get(country.alpha_2)
        Country.objects.update_or_create(
            iso2=country.alpha_2,
            defaults={
                "iso3": country.alpha_3,
                "numeric": country.numeric,
                "names": names,
                "itu_member": region_code is not None,
                "region": regions[region_code] if region_code else None,
                "source": sources["cldr"],
            },
        )
    return len(pycountry.countries)


def _load_groupings(sources: dict[str, DataSource]) -> int:
    labels = _read_json("labels.json")["groupings"]
    members: dict[str, list[str]] = {code: [] for code in labels}
    years: dict[str, int] = {}
    source_keys: dict[str, str] = {}
    countries = set(Country.objects.values_list("iso2", flat=True))
    for row_number, row in _read_csv("groupings.csv"):
        code = row["grouping"]
        if code not in labels or row["iso2"] not in countries or row["source"] not in sources:
            raise ReferenceDataError(f"groupings.csv row {row_number}: unknown value in {row}")
        members[code].append(row["iso2"])
        years[code] = int(row["list_year"])
        source_keys[code] = row["source"]
    for code, names in labels.items():
        grouping, _created = Grouping.objects.update_or_create(
            code=code,
            defaults={
                "names": names,
                "list_year": years[code],
                "source": sources[source_keys[code]],
            },
        )
        grouping.countries.set(Country.objects.filter(iso2__in=members[code]))
    return len(labels)


def _load_languages(sources: dict[str, DataSource]) -> int:
    """ISO 639-1 languages, plus ISO 639-3 living languages that CLDR names."""
    official = set(BABEL_LOCALES)
    english = Locale("en").languages
    count = 0
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code is None:
            if getattr(language, "type", "") != "L" or language.alpha_3 not in english:
                continue
            code = language.alpha_3
        names = _cldr_names("languages", code)
        names.setdefault("en", language.name)
        Language.objects.update_or_create(
            code=code,
            defaults={
                "iso639_3": language.alpha_3,
                "names": names,
                "itu_official": code in official,
                "source": sources["cldr"],
            },
        )
        count += 1
    # Chinese as the platform writes it (Simplified script) is an ITU language in its own right.
    Language.objects.update_or_create(
        code="zh-hans",
        defaults={
            "iso639_3": "zho",
            "names": _cldr_names("languages", "zh_Hans") or {"en": "Simplified Chinese"},
            "itu_official": True,
            "source": sources["cldr"],
        },
    )
    Language.objects.filter(code="zh").update(itu_official=False)
    return count + 1


def _load_clauses(sources: dict[str, DataSource]) -> int:
    document = _read_json("clauses.json")
    languages = set(_platform_languages())
    for position, clause in enumerate(document["clauses"], start=1):
        missing = languages - set(clause["text"])
        if missing:
            raise ReferenceDataError(
                f"clauses.json clause {clause['id']}: missing languages {sorted(missing)}"
            )
        Clause.objects.update_or_create(
            id=clause["id"],
            defaults={
                "section": clause["section"],
                "number": clause["number"],
                "position": position,
                "texts": clause["text"],
                "official_languages": clause["official"],
                "source": sources["res67-zh"],
            },
        )
    return len(document["clauses"])


@transaction.atomic
def reference_load() -> ReferenceLoadResult:
    """Load or refresh all reference data; idempotent."""
    sources = _load_sources()
    regions = _load_regions(sources)
    countries = _load_countries(sources, regions)
    groupings = _load_groupings(sources)
    languages = _load_languages(sources)
    clauses = _load_clauses(sources)
    return ReferenceLoadResult(
        countries=countries,
        regions=len(regions),
        groupings=groupings,
        languages=languages,
        clauses=clauses,
    )
