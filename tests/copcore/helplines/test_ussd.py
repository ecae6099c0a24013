from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, time

import pytest

from copcore.helplines.channel_text import CHANNEL_LANGUAGES, channel_messages, menu_languages
from copcore.helplines.model import Channel, Contact, Helpline, Hours, Kind, Shift, Source
from copcore.helplines.resolve import Query, Resolution
from copcore.helplines.sms import gsm_fold_if_complete, sms_encoding, sms_segments, sms_units
from copcore.helplines.ussd import (
    USSD_MAX_GSM7,
    USSD_MAX_UCS2,
    Screen,
    ScreenKind,
    UssdContext,
    ussd_fits,
    ussd_safe_screen,
    ussd_screen,
)

AT = datetime(2026, 11, 30, 9, tzinfo=UTC)  # Monday 12:00 in Nairobi
ALWAYS = Hours(always=True)
OFFICE = Hours(shifts=(Shift(frozenset(range(5)), time(8), time(20)),))
SOURCE = Source(url="https://example.org/test", type="other")


def helpline(
    id: str,
    *contacts: Contact,
    kind: Kind = Kind.CHILD_HELPLINE,
    country: str = "KE",
    names: dict[str, str] | None = None,
    languages: tuple[str, ...] = ("en",),
    topics: frozenset[str] = frozenset(),
) -> Helpline:
    return Helpline(
        id=id,
        names=names or {"en": id},
        country=country,
        kind=kind,
        timezone="Africa/Nairobi",
        contacts=contacts,
        source=SOURCE,
        languages=languages,
        topics=topics,
    )


KENYA = (
    helpline(
        "ke-test-childline",
        Contact(Channel.VOICE, "116", True, ALWAYS),
        Contact(Channel.SMS, "21116", True, OFFICE),
        Contact(Channel.WEBCHAT, "https://chat.example.org/ke", True, None),
        names={"en": "Test Childline", "sw": "Simu ya Watoto (majaribio)"},
        languages=("en", "sw"),
        topics=frozenset({"online_harm"}),
    ),
    helpline(
        "ke-test-general",
        Contact(Channel.VOICE, "0800 720 000", None, ALWAYS),
        kind=Kind.GENERAL_HELPLINE,
        names={"en": "Test General Line"},
    ),
    helpline("ke-test-emergency", Contact(Channel.VOICE, "999", True, ALWAYS), kind=Kind.EMERGENCY),
)
FRANCE = (
    helpline(
        "fr-test-enfance",
        Contact(Channel.VOICE, "3018", True, ALWAYS),
        country="FR",
        names={"en": "Test Childhood Line", "fr": "Allô Enfance (test)"},
        languages=("fr",),
    ),
)


def context(helplines: tuple[Helpline, ...] = KENYA, country: str | None = "KE") -> UssdContext:
    return UssdContext(
        country=country,
        helplines=helplines,
        at=AT,
        today=AT.date(),
        topic_parents={"online_harm": None, "grooming": "online_harm"},
        country_names={"KE": {"en": "Kenya"}, "MX": {"en": "Mexico", "es": "México"}}.get(
            country or "", {}
        ),
    )


def lines(screen: Screen) -> list[str]:
    return screen.text.split("\n")


def test_first_screen_chooses_among_the_helplines_languages() -> None:
    screen = ussd_screen("", context())
    assert screen.kind is ScreenKind.CONTINUE
    assert screen.reply() == "CON Choose language / Chagua lugha\n1 English\n2 Kiswahili"


def test_menu_after_choosing_kiswahili() -> None:
    screen = ussd_screen("2", context())
    assert screen.kind is ScreenKind.CONTINUE and screen.language == "sw"
    assert lines(screen)[1:] == [
        "1 Ongea na mtu sasa",
        "2 Tatizo mtandaoni (uonevu, picha, watu usiowajua)",
        "3 Nitumie namba kwa SMS",
    ]


def test_talk_now_ends_with_what_to_dial() -> None:
    screen = ussd_screen("1*1", context())
    assert screen.kind is ScreenKind.END and screen.shows_answer and screen.send_sms is None
    assert lines(screen) == [
        "Someone will listen:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert "chat.example.org" not in screen.text  # a feature phone cannot open a web chat


def test_swahili_answer_uses_the_helplines_swahili_name() -> None:
    screen = ussd_screen("2*1", context())
    assert "Simu ya Watoto (majaribio): piga 116 (bure, saa 24)" in lines(screen)
    assert lines(screen)[-1] == "Uko hatarini? Piga 999"


def test_online_option_ranks_helplines_for_online_harm() -> None:
    screen = ussd_screen("1*2", context())
    assert lines(screen)[0] == "Trouble online? They can help:"
    assert lines(screen)[1].startswith("Test Childline")


def test_sms_option_shows_the_numbers_and_sends_the_same_in_one_segment() -> None:
    screen = ussd_screen("1*3", context())
    assert screen.kind is ScreenKind.END
    assert lines(screen)[0] == "We are also sending these numbers by SMS."
    assert "Test Childline: call 116 (free, 24/7)" in lines(screen)
    assert screen.send_sms is not None
    message = "\n".join(screen.send_sms)
    assert "call 116" in message and "999" in message
    assert sms_segments(message) == 1


def test_sms_option_without_an_sms_promises_none_and_still_shows_the_numbers() -> None:
    no_sms = replace(context(), sms_available=False)
    screen = ussd_screen("1*3", no_sms)
    assert screen.kind is ScreenKind.END and screen.shows_answer and screen.send_sms is None
    assert lines(screen) == [
        "Sorry, no SMS now. Note these numbers:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert lines(ussd_screen("2*3", no_sms))[0] == "Hatukuweza kutuma SMS sasa. Andika namba hizi:"


@pytest.mark.parametrize("language", CHANNEL_LANGUAGES)
def test_sms_option_without_an_sms_fits_in_every_language(language: str) -> None:
    messages = channel_messages(language)
    option = CHANNEL_LANGUAGES.index(language) + 1
    for available in (True, False):
        at_xx = UssdContext("XX", EVERY_LANGUAGE, AT, AT.date(), sms_available=available)
        screen = ussd_screen(f"{option}*3", at_xx)
        assert_fits(screen)
        assert screen.language == language and "116 111" in screen.text
        assert (screen.send_sms is not None) is available
        promise = messages.text("sms_sent")
        if not available:  # the intro may be dropped to fit, but never the promise kept
            assert promise not in screen.text
            assert gsm_fold_if_complete(promise) not in screen.text


@pytest.mark.parametrize("history", ["7", "1*7", "1*", "1*abc", "1**", "3*9*8"])
def test_invalid_input_re_shows_the_menu(history: str) -> None:
    screen = ussd_screen(history, context())
    assert screen.kind is ScreenKind.CONTINUE
    expected = ussd_screen(history.rsplit("*", 1)[0] if "*" in history else "", context())
    assert screen.text == expected.text


def test_zero_goes_back_to_the_language_choice() -> None:
    assert ussd_screen("1*0", context()).text == ussd_screen("", context()).text
    assert ussd_screen("1*0*2*1", context()).language == "sw"


def test_single_language_country_skips_the_language_choice() -> None:
    screen = ussd_screen("", context(FRANCE, "FR"))
    assert screen.language == "fr" and screen.text.startswith("On est là pour toi.")
    answer = ussd_screen("1", context(FRANCE, "FR"))
    assert lines(answer)[1] == "Allo Enfance (test) : appelle le 3018 (gratuit, 24h/24)"
    assert sms_encoding(answer.text) == "gsm7"  # "Allô" folded to plain GSM


def test_country_without_a_language_we_speak_falls_back_to_english() -> None:
    brazil = (helpline("br", Contact(Channel.VOICE, "100", True, ALWAYS), languages=("pt",)),)
    assert ussd_screen("", context(brazil, "BR")).text.startswith("You are not alone.")


def test_unknown_country_ends_with_a_plain_statement() -> None:
    screen = ussd_screen("", context((), None))
    assert screen.kind is ScreenKind.END and not screen.shows_answer
    assert screen.text == (
        "Sorry, we could not tell which country you are in.\n"
        "If you are in danger, call your local emergency number."
    )


def test_country_without_helpline_says_so_and_gives_emergency_numbers() -> None:
    emergency = (
        helpline(
            "mx-911", Contact(Channel.VOICE, "911", True, ALWAYS), kind=Kind.EMERGENCY, country="MX"
        ),
    )
    screen = ussd_screen("1", context(emergency, "MX"))
    assert lines(screen) == [
        "We do not know a child helpline for Mexico yet.",
        "In danger now? Call 911",
    ]


def test_resolver_failure_ends_with_the_safe_answer() -> None:
    def broken(
        helplines: Iterable[Helpline], query: Query, parents: Mapping[str, str | None] | None
    ) -> Resolution:
        raise RuntimeError("database gone")

    screen = ussd_screen("1*1", context(), resolver=broken)
    assert screen.kind is ScreenKind.END
    assert lines(screen) == [
        "Someone will listen:",
        "Test Childline: call 116",
        "In danger now? Call 999",
    ]
    assert screen == ussd_safe_screen(context(), "en")


def test_endless_history_ends_with_the_safe_answer() -> None:
    screen = ussd_screen("*".join(["9"] * 50), context())
    assert screen.kind is ScreenKind.END and "116" in screen.text


# --- Every screen in every language fits ------------------------------------------------------

CHILD_LINES = tuple(
    helpline(
        f"xx-{code}",
        Contact(Channel.VOICE, "116 111", True, ALWAYS),
        Contact(Channel.SMS, "0800 123 456", True, OFFICE),
        country="XX",
        names={code: f"Ligne d'écoute pour les enfants et les jeunes ({code})"},
        languages=(code,),
    )
    for code in CHANNEL_LANGUAGES
)
EVERY_LANGUAGE = (
    *CHILD_LINES,
    helpline(
        "xx-general",
        Contact(Channel.VOICE, "0800 000 111", None, ALWAYS),
        kind=Kind.GENERAL_HELPLINE,
        country="XX",
    ),
    helpline(
        "xx-police", Contact(Channel.VOICE, "112", True, ALWAYS), kind=Kind.EMERGENCY, country="XX"
    ),
    helpline(
        "xx-police-2",
        Contact(Channel.VOICE, "911", True, ALWAYS),
        kind=Kind.EMERGENCY,
        country="XX",
    ),
)
HISTORIES = [""] + [
    f"{option}{suffix}"
    for option in range(1, len(CHANNEL_LANGUAGES) + 1)
    for suffix in ("", "*1", "*2", "*3", "*9", "*0")
]


def assert_fits(screen: Screen) -> None:
    assert len(screen.text) <= USSD_MAX_GSM7, screen.text
    assert ussd_fits(screen.text), screen.text
    if sms_encoding(screen.text) == "ucs2":
        assert sms_units(screen.text) <= USSD_MAX_UCS2, screen.text
    assert screen.text.strip() and screen.reply()[:4] in ("CON ", "END ")


@pytest.mark.parametrize("at", [AT, datetime(2026, 11, 29, 20, tzinfo=UTC)])
def test_every_screen_in_every_language_fits_one_ussd_message(at: datetime) -> None:
    assert menu_languages(EVERY_LANGUAGE) == CHANNEL_LANGUAGES
    shown = set()
    for history in HISTORIES:
        screen = ussd_screen(history, UssdContext("XX", EVERY_LANGUAGE, at, at.date()))
        assert_fits(screen)
        shown.add(screen.language)
        if screen.shows_answer:  # the best result and the emergency number always survive
            assert "116 111" in screen.text and "112" in screen.text, screen.text
        if screen.send_sms:
            assert sms_segments("\n".join(screen.send_sms)) <= 2
    assert shown == set(CHANNEL_LANGUAGES)


@pytest.mark.parametrize("language", CHANNEL_LANGUAGES)
def test_fixed_screens_fit_in_every_language(language: str) -> None:
    messages = channel_messages(language)
    for text in (messages.text("menu"), messages.text("unknown_country")):
        assert_fits(Screen(ScreenKind.CONTINUE, gsm_fold_if_complete(text)))
    only = (
        helpline(
            "xx",
            Contact(Channel.VOICE, "116", True, ALWAYS),
            country="XX",
            names={"en": "N" * 300},  # an absurd name: the screen is still cut to fit
            languages=(language,),
        ),
    )
    for history in ("", "1", "2", "3"):
        screen = ussd_screen(history, UssdContext("XX", only, AT, AT.date()))
        assert_fits(screen)
        assert screen.kind is ScreenKind.CONTINUE or "116" in screen.text
    assert_fits(ussd_safe_screen(UssdContext("XX", only, AT, AT.date()), language))


@pytest.mark.parametrize("language", CHANNEL_LANGUAGES)
def test_no_helpline_statement_and_emergency_numbers_both_fit(language: str) -> None:
    emergency = (
        helpline(
            "xx-police",
            Contact(Channel.VOICE, "112", True, ALWAYS),
            Contact(Channel.VOICE, "911", True, ALWAYS),
            kind=Kind.EMERGENCY,
            country="XX",
            languages=(language,),
        ),
    )
    long_name = {language: "République démocratique du Congo (Kinshasa)"}
    for helplines, advice in ((emergency, "112"), ((), "")):
        nowhere = UssdContext("XX", helplines, AT, AT.date(), country_names=long_name)
        answer = ussd_screen("1", nowhere)
        assert answer.kind is ScreenKind.END and answer.language == (
            language if helplines else "en"
        )
        assert_fits(answer)
        assert len(lines(answer)) == 2 and advice in lines(answer)[1]
    assert_fits(ussd_screen("", context((), None)))
