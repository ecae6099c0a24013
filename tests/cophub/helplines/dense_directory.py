"""A country loaded far beyond the demo's density (decision 0040), through the directory import."""

from typing import Any

from cophub.helplines.services import helplines_import

OFFICE = [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:00", "close": "17:00"}]
NIGHT = [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "open": "18:00",
          "close": "02:00"}]  # fmt: skip
HOURS: list[Any] = ["24/7", OFFICE, NIGHT, None]
KINDS = ["child_helpline", "general_helpline", "csam_hotline"]
LANGUAGES = [["en", "sw"], ["en"], ["sw"], ["fr", "en"]]
TOPICS = [["online_harm"], ["abuse"], ["mental_health"], []]


def dense_entries(country: str, count: int) -> list[dict[str, Any]]:
    """``count`` plausible entries for ``country``: kinds, ages, languages, topics and hours
    varied, two or three contacts each (a voice line and an SMS, every third a web chat)."""
    entries = []
    for i in range(count):
        contacts: list[dict[str, Any]] = [
            {"channel": "voice", "value": f"0800 {100 + i}", "free": i % 3 != 2,
             "hours": HOURS[i % 4]},
            {"channel": "sms", "value": f"2{2000 + i}", "free": True, "hours": HOURS[(i + 1) % 4]},
        ]  # fmt: skip
        if i % 3 == 0:
            contacts.append(
                {"channel": "webchat", "value": f"https://chat.example.org/{i}", "hours": None}
            )
        entries.append(
            {
                "id": f"{country.lower()}-dense-{i:02d}",
                "name": {"en": f"Dense line {i:02d}", "sw": f"Laini {i:02d}"},
                "country": country,
                "kind": KINDS[i % 3],
                "topics": TOPICS[i % 4],
                "age_min": [None, 0, 10, 13][i % 4],
                "age_max": [None, 17, 18, 24][i % 4],
                "languages": LANGUAGES[i % 4],
                "timezone": "Africa/Nairobi",
                "contacts": contacts,
                "source": {"url": f"https://example.org/dense/{i}", "type": "operator_website"},
            }
        )
    return entries


def dense_country_load(country: str, count: int) -> None:
    helplines_import({"format": "cophub.helplines/1", "helplines": dense_entries(country, count)})
