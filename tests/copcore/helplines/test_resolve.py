from datetime import UTC, date, datetime, time, timedelta

from copcore.helplines.dial import contact_href
from copcore.helplines.model import Channel, Contact, Helpline, Hours, Kind, Shift, Source
from copcore.helplines.resolve import Query, helpline_resolve, is_stale

AT = datetime(2026, 11, 30, 9, tzinfo=UTC)  # Monday 12:00 in Nairobi
TODAY = date(2026, 11, 30)
ALWAYS = Hours(always=True)
OFFICE = Hours(shifts=(Shift(frozenset(range(5)), time(8), time(17)),))
NIGHT = Hours(shifts=(Shift(frozenset(range(7)), time(20), time(6)),))
PARENTS = {"grooming": "online_harm", "cyberbullying": "online_harm", "online_harm": None}


def line(
    id: str,
    *contacts: Contact,
    kind: Kind = Kind.CHILD_HELPLINE,
    country: str = "KE",
    verified_at: date | None = None,
    **kwargs: object,
) -> Helpline:
    return Helpline(
        id=id,
        names={"en": id.title(), "sw": f"{id} (sw)"},
        country=country,
        kind=kind,
        timezone="Africa/Nairobi",
        contacts=contacts,
        source=Source(
            url=f"https://example.org/{id}", type="operator_website", verified_at=verified_at
        ),
        **kwargs,  # type: ignore[arg-type]
    )


def query(**kwargs: object) -> Query:
    return Query(country="KE", at=AT, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_open_now_first_then_child_helplines_then_age_language_topic() -> None:
    directory = [
        line("general", Contact(Channel.VOICE, "1190", True, ALWAYS), kind=Kind.GENERAL_HELPLINE),
        line("night", Contact(Channel.VOICE, "0800 222", True, NIGHT)),
        line("child", Contact(Channel.VOICE, "116", True, ALWAYS), languages=("en", "sw")),
        line("teen", Contact(Channel.VOICE, "0800 333", None, ALWAYS), age_min=13, age_max=17),
    ]
    ids = [r.helpline for r in helpline_resolve(directory, query(age=10, language="sw")).results]
    assert ids == ["child", "teen", "general", "night"]


def test_topic_matching_uses_the_taxonomy() -> None:
    directory = [
        line(
            "a-mental",
            Contact(Channel.VOICE, "111", True, ALWAYS),
            topics=frozenset({"mental_health"}),
        ),
        line(
            "b-online",
            Contact(Channel.VOICE, "222", True, ALWAYS),
            topics=frozenset({"online_harm"}),
        ),
    ]
    ids = [
        r.helpline for r in helpline_resolve(directory, query(topic="grooming"), PARENTS).results
    ]
    assert ids == ["b-online", "a-mental"]


def test_channels_filter_keeps_only_what_the_child_can_use() -> None:
    directory = [
        line(
            "child",
            Contact(Channel.VOICE, "116", True, ALWAYS),
            Contact(Channel.WEBCHAT, "https://chat.example.org/", True, OFFICE),
            Contact(Channel.SMS, "21116", True, ALWAYS),
        )
    ]
    results = helpline_resolve(directory, query(channels=frozenset({Channel.SMS}))).results
    assert [(r.channel, r.href) for r in results] == [(Channel.SMS, "sms:21116")]


def test_name_in_the_childs_language_and_open_state_details() -> None:
    directory = [line("child", Contact(Channel.VOICE, "0800 1111", True, NIGHT))]
    result = helpline_resolve(directory, query(language="sw")).results[0]
    assert result.name == "child (sw)"
    assert result.open_now is False
    assert result.opens_at == datetime(2026, 11, 30, 17, tzinfo=UTC)  # 20:00 local
    assert result.href == "tel:08001111"
    assert result.display == "0800 1111"


def test_subdivision_limits_regional_lines() -> None:
    directory = [
        line("national", Contact(Channel.VOICE, "116", True, ALWAYS)),
        line(
            "coast",
            Contact(Channel.VOICE, "0800 9", True, ALWAYS),
            subdivisions=frozenset({"KE-28"}),
        ),
    ]
    assert [r.helpline for r in helpline_resolve(directory, query()).results] == ["national"]
    in_mombasa = helpline_resolve(directory, query(subdivision="KE-28")).results
    assert {r.helpline for r in in_mombasa} == {"national", "coast"}


def test_a_country_without_helplines_gets_fallback_and_says_so() -> None:
    directory = [
        line("police", Contact(Channel.VOICE, "999", True, ALWAYS), kind=Kind.EMERGENCY),
        line("elsewhere", Contact(Channel.VOICE, "116", True, ALWAYS), country="UG"),
    ]
    resolution = helpline_resolve(directory, query())
    assert resolution.results == ()
    assert resolution.no_helpline_known is True
    assert [r.display for r in resolution.fallback] == ["999"]


def test_staleness_unverified_is_never_fresh() -> None:
    assert is_stale(None, TODAY, timedelta(days=365)) is True
    assert is_stale(TODAY - timedelta(days=30), TODAY, timedelta(days=365)) is False
    assert is_stale(TODAY - timedelta(days=400), TODAY, timedelta(days=365)) is True
    fresh = line("child", Contact(Channel.VOICE, "116"), verified_at=TODAY - timedelta(days=1))
    assert helpline_resolve([fresh], query()).results[0].stale is False


def test_links_never_invent_international_forms() -> None:
    assert contact_href(Contact(Channel.VOICE, "116 111")) == "tel:116111"
    assert contact_href(Contact(Channel.USSD, "*384*116#")) == "tel:*384*116%23"
    assert (
        contact_href(Contact(Channel.WHATSAPP, "+254 722 116 116")) == "https://wa.me/254722116116"
    )
    assert contact_href(Contact(Channel.WEBCHAT, "http://insecure.example")) is None
    assert contact_href(Contact(Channel.EMAIL, "help@example.org")) == "mailto:help@example.org"
