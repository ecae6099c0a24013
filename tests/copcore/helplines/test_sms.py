import json
import re
from datetime import UTC, datetime, time

import pytest

from copcore.helplines.channel_text import (
    CHANNEL_LANGUAGES,
    LIST_KEYS,
    MESSAGES_DIR,
    TEXT_KEYS,
    Piece,
    channel_language,
    channel_messages,
    compose,
)
from copcore.helplines.model import Channel, Contact, Helpline, Hours, Kind, Shift, Source
from copcore.helplines.resolve import Query, helpline_resolve
from copcore.helplines.sms import (
    SmsRequest,
    gsm_fold,
    gsm_fold_if_complete,
    sms_encoding,
    sms_reply,
    sms_request_parse,
    sms_safe_reply,
    sms_segments,
    sms_units,
    sms_unknown_country_reply,
)

MONDAY_NOON_NAIROBI = datetime(2026, 11, 30, 9, tzinfo=UTC)
SUNDAY_NIGHT_NAIROBI = datetime(2026, 11, 29, 20, tzinfo=UTC)  # 23:00 local
ALWAYS = Hours(always=True)
SMS_HOURS = Hours(
    shifts=(
        Shift(frozenset(range(5)), time(8), time(20)),
        Shift(frozenset({5}), time(22), time(2)),
    )
)
SOURCE = Source(url="https://example.org/test", type="other")
KENYA = (
    Helpline(
        id="ke-test-childline",
        names={"en": "Test Childline", "sw": "Simu ya Watoto (majaribio)"},
        country="KE",
        kind=Kind.CHILD_HELPLINE,
        timezone="Africa/Nairobi",
        contacts=(
            Contact(Channel.VOICE, "116", True, ALWAYS),
            Contact(Channel.SMS, "21116", True, SMS_HOURS),
            Contact(Channel.WEBCHAT, "https://chat.example.org/ke", True, None),
        ),
        source=SOURCE,
        languages=("en", "sw"),
    ),
    Helpline(
        id="ke-test-general",
        names={"en": "Test General Line"},
        country="KE",
        kind=Kind.GENERAL_HELPLINE,
        timezone="Africa/Nairobi",
        contacts=(Contact(Channel.VOICE, "0800 720 000", None, ALWAYS),),
        source=SOURCE,
        languages=("en",),
    ),
    Helpline(
        id="ke-test-emergency",
        names={"en": "Police"},
        country="KE",
        kind=Kind.EMERGENCY,
        timezone="Africa/Nairobi",
        contacts=(Contact(Channel.VOICE, "999", True, ALWAYS),),
        source=SOURCE,
    ),
)
ZONES = {helpline.id: helpline.timezone for helpline in KENYA}
FEATURE_PHONE = frozenset({Channel.VOICE, Channel.SMS, Channel.USSD})


def kenya_reply(language: str, at: datetime = MONDAY_NOON_NAIROBI) -> str:
    query = Query(country="KE", at=at, today=at.date(), language=language, channels=FEATURE_PHONE)
    resolution = helpline_resolve(KENYA, query)
    return sms_reply(resolution, channel_messages(language), timezones=ZONES, at=at)


# --- Segments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "gsm7", 0, 1),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("€" * 80, "gsm7", 160, 1),  # extension table: two septets each
        ("€" * 81, "gsm7", 162, 2),
        ("a" * 152 + "€" + "a" * 10, "gsm7", 164, 2),  # the escape pair is not split...
        ("a" * 152 + "€" * 77, "gsm7", 306, 3),  # ...so it starts a third part here
        ("èéùìòÇØøÅåÄÖÑÜäöñüàß¿¡£¥§", "gsm7", 25, 1),
        ("ж" * 70, "ucs2", 70, 1),
        ("ж" * 71, "ucs2", 71, 2),
        ("ж" * 134, "ucs2", 134, 2),
        ("ж" * 135, "ucs2", 135, 3),
        ("a" * 159 + "ç", "ucs2", 160, 3),  # lower-case ç is not GSM-7: all goes UCS-2
        ("😀" * 35, "ucs2", 70, 1),  # surrogate pairs count two
        ("a" * 66 + "😀" + "a" * 3, "ucs2", 71, 2),
    ],
)
def test_segments_follow_gsm7_and_ucs2_rules(
    text: str, encoding: str, units: int, segments: int
) -> None:
    assert (sms_encoding(text), sms_units(text), sms_segments(text)) == (
        encoding,
        units,
        segments,
    )


def test_surrogate_pair_is_not_split_across_parts() -> None:
    # Both are 134 units (two full 67-unit parts), but in the second the pair would straddle
    # the first boundary, so it moves to the second part and pushes the rest into a third.
    assert sms_segments("a" * 65 + "😀" + "a" * 67) == 2
    assert sms_segments("a" * 66 + "😀" + "a" * 66) == 3


def test_folding_keeps_gsm_letters_and_plains_the_rest() -> None:
    assert gsm_fold("é è à ù ñ ü Ç") == "é è à ù ñ ü Ç"
    assert gsm_fold("ê î ô û ç á í ó ú") == "e i o u c a i o u"
    assert gsm_fold("l’aide « vite » – œuvre…") == 'l\'aide " vite " - oeuvre...'
    assert gsm_fold("Звони") == "Звони"
    assert gsm_fold_if_complete("Número ç") == "Numero c"
    assert gsm_fold_if_complete("Número Звони") == "Número Звони"  # UCS-2 anyway


# --- Reading a request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("HELP KE", SmsRequest("en", "KE", True)),
        ("help ke", SmsRequest("en", "KE", True)),
        ("AIDE FR", SmsRequest("fr", "FR", True)),
        ("Ayuda, MX!", SmsRequest("es", "MX", True)),
        ("AYÚDA MX", SmsRequest("es", "MX", True)),
        ("MSAADA KE", SmsRequest("sw", "KE", True)),
        ("помощь RU", SmsRequest("ru", "RU", True)),
        ("مساعدة EG", SmsRequest("ar", "EG", True)),
        ("帮助 CN", SmsRequest("zh-hans", "CN", True)),
        ("帮助CN", SmsRequest("zh-hans", "CN", True)),
        ("help", SmsRequest("en", None, True)),
        ("please help", SmsRequest("en", None, True)),
        ("help me", SmsRequest("en", None, True)),  # a word, not Montenegro
        ("ayuda me", SmsRequest("es", None, True)),
        ("msaada na", SmsRequest("sw", None, True)),
        ("help KE now", SmsRequest("en", None, True)),  # a code only in "KEYWORD CC"
        ("hello", SmsRequest(None, None, False)),
        ("мне плохо", SmsRequest("ru", None, False)),  # the script picks the language
        ("أحتاج إلى شخص", SmsRequest("ar", None, False)),
        ("我很害怕", SmsRequest("zh-hans", None, False)),
        ("", SmsRequest(None, None, False)),
    ],
)
def test_request_parse_reads_keywords_in_seven_languages(body: str, expected: SmsRequest) -> None:
    assert sms_request_parse(body, sender_country_known=True) == expected


def test_ambiguous_code_is_taken_when_the_sender_country_is_unknown() -> None:
    assert sms_request_parse("HELP ME", sender_country_known=False).country == "ME"
    assert sms_request_parse("HELP US", sender_country_known=True).country is None


# --- Replies ----------------------------------------------------------------------------------


def test_english_reply_fits_one_segment_best_result_first() -> None:
    reply = kenya_reply("en")
    assert reply.split("\n") == [
        "Help for you:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert (sms_encoding(reply), sms_segments(reply)) == ("gsm7", 1)


def test_closed_contact_says_when_it_opens_in_local_time() -> None:
    reply = kenya_reply("en", SUNDAY_NIGHT_NAIROBI)
    assert "SMS 21116 (free, opens Mon 08:00)" in reply
    assert reply.index("0800 720 000") < reply.index("21116")  # open lines first


@pytest.mark.parametrize("language", ["ar", "zh-hans", "ru"])
def test_arabic_chinese_russian_replies_are_one_ucs2_segment(language: str) -> None:
    reply = kenya_reply(language)
    assert sms_encoding(reply) == "ucs2"
    assert sms_segments(reply) == 1 and sms_units(reply) <= 70
    lines = reply.split("\n")
    assert "116" in lines[0] or "116" in lines[1]  # the best result is never dropped
    assert "999" in lines[-1]  # nor the emergency number


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw"])
def test_latin_languages_are_folded_to_gsm7(language: str) -> None:
    reply = kenya_reply(language)
    assert sms_encoding(reply) == "gsm7" and sms_segments(reply) == 1


def test_lower_ranked_results_are_dropped_before_splitting() -> None:
    many = KENYA + tuple(
        Helpline(
            id=f"ke-extra-{i}",
            names={"en": f"Extra helpline number {i} with a long name"},
            country="KE",
            kind=Kind.GENERAL_HELPLINE,
            timezone="Africa/Nairobi",
            contacts=(Contact(Channel.VOICE, f"0800 000 00{i}", True, ALWAYS),),
            source=SOURCE,
        )
        for i in range(6)
    )
    query = Query(country="KE", at=MONDAY_NOON_NAIROBI, today=MONDAY_NOON_NAIROBI.date())
    resolution = helpline_resolve(many, query)
    reply = sms_reply(resolution, channel_messages("en"), timezones={}, at=MONDAY_NOON_NAIROBI)
    assert sms_segments(reply) == 1
    assert "call 116" in reply and "999" in reply
    assert "Extra helpline number 5" not in reply


def test_best_result_is_kept_even_when_it_needs_two_segments() -> None:
    long_name = Helpline(
        id="xx-long",
        names={"en": "A" * 200},
        country="XX",
        kind=Kind.CHILD_HELPLINE,
        timezone="UTC",
        contacts=(Contact(Channel.VOICE, "116111", True, ALWAYS),),
        source=SOURCE,
    )
    query = Query(country="XX", at=MONDAY_NOON_NAIROBI, today=MONDAY_NOON_NAIROBI.date())
    reply = sms_reply(
        helpline_resolve([long_name], query),
        channel_messages("en"),
        timezones={},
        at=MONDAY_NOON_NAIROBI,
    )
    assert "Call 116111 (free, 24/7)" in reply.split("\n")  # the variant without the name
    assert "A" * 200 not in reply and sms_segments(reply) == 1


def test_country_without_helpline_gets_a_plain_statement() -> None:
    query = Query(country="MX", at=MONDAY_NOON_NAIROBI, today=MONDAY_NOON_NAIROBI.date())
    reply = sms_reply(
        helpline_resolve([], query),
        channel_messages("es"),
        timezones={},
        at=MONDAY_NOON_NAIROBI,
        country_name="México",
    )
    assert reply == (
        "Aun no conocemos una linea de ayuda infantil aqui (México).\n"
        "Si estas en peligro, llama al numero de emergencias de tu pais."
    )
    assert sms_encoding(reply) == "gsm7"


def test_unknown_country_and_safe_replies() -> None:
    unknown = sms_unknown_country_reply(channel_messages("en"))
    assert "HELP KE" in unknown and sms_segments(unknown) == 1
    safe = sms_safe_reply(KENYA, channel_messages("en"))
    assert safe.split("\n") == [
        "Someone will listen:",
        "Test Childline: call 116",
        "In danger now? Call 999",
    ]


def test_compose_keeps_priority_and_display_order() -> None:
    pieces = [
        Piece(1, ("first result long", "first"), required=True),
        Piece(3, ("emergency",)),
        Piece(0, ("intro",)),
        Piece(2, ("second result that is too long",)),
    ]
    # Greedy: a higher-priority piece keeps its long variant before a lower one is added.
    assert compose(pieces, lambda text: len(text) <= 32) == ("first result long", "emergency")
    assert compose(pieces, lambda text: len(text) <= 12) == ("intro", "first")
    assert compose(pieces, lambda text: len(text) <= 3) == ("first",)  # required stays


# --- Texts ------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("language", CHANNEL_LANGUAGES)
def test_every_language_has_every_text_with_the_same_placeholders(language: str) -> None:
    english = json.loads((MESSAGES_DIR / "en.json").read_text(encoding="utf-8"))
    texts = json.loads((MESSAGES_DIR / f"{language}.json").read_text(encoding="utf-8"))
    assert set(texts) == set(TEXT_KEYS) | set(LIST_KEYS)
    for key in TEXT_KEYS:
        assert texts[key].strip(), key
        assert set(PLACEHOLDER.findall(texts[key])) == set(PLACEHOLDER.findall(english[key])), key
    assert len(texts["weekdays"]) == 7 and texts["keywords"]
    if language != "en":
        assert texts["menu"] != english["menu"]  # translated, not copied


def test_language_tags_map_to_channel_languages() -> None:
    assert channel_language("zh-Hans") == "zh-hans"
    assert channel_language("zh") == "zh-hans"
    assert channel_language("sw-KE") == "sw"
    assert channel_language("pt") is None
    assert channel_messages("pt").language == "en"
