"""One-answer mode: the best result of the resolver's ranking, pairs both or neither, one
emergency number."""

from dataclasses import replace
from datetime import UTC, datetime, time

from copcore.helplines.best import helpline_one_answer, helpline_pairs, paired_order
from copcore.helplines.model import Channel, Contact, Helpline, Hours, Kind, Shift, Source
from copcore.helplines.resolve import Query, helpline_resolve
from copcore.helplines.ussd import UssdContext, ussd_screen

AT = datetime(2026, 11, 30, 9, tzinfo=UTC)  # Monday 12:00 in Nairobi
ALWAYS = Hours(always=True)
NIGHTS = Hours(shifts=(Shift(frozenset(range(7)), time(20), time(6)),))  # closed at noon
SOURCE = Source(url="https://example.org/test", type="other")


def line(
    id: str,
    *contacts: Contact,
    kind: Kind = Kind.CHILD_HELPLINE,
    languages: tuple[str, ...] = ("en",),
    paired_with: frozenset[str] = frozenset(),
) -> Helpline:
    return Helpline(
        id=id, names={"en": id}, country="KE", kind=kind, timezone="Africa/Nairobi",
        contacts=contacts, source=SOURCE, languages=languages, paired_with=paired_with,
    )  # fmt: skip


KIDS = line("kids", Contact(Channel.VOICE, "116", True, ALWAYS), Contact(Channel.SMS, "21116"))
PARENTS = line(
    "parents", Contact(Channel.WEBCHAT, "https://p.example.org", True, ALWAYS),
    Contact(Channel.VOICE, "0800 2", True, ALWAYS), kind=Kind.GENERAL_HELPLINE,
)  # fmt: skip
OTHER = line("other", Contact(Channel.VOICE, "0800 3", True, ALWAYS), kind=Kind.GENERAL_HELPLINE)
EMERGENCY = line("police", Contact(Channel.VOICE, "999"), Contact(Channel.VOICE, "112"))
EMERGENCY = replace(EMERGENCY, kind=Kind.EMERGENCY)


def answer(directory: list[Helpline], **query: object):  # type: ignore[no-untyped-def]
    resolution = helpline_resolve(directory, Query("KE", AT, AT.date(), **query))  # type: ignore[arg-type]
    return helpline_one_answer(resolution, directory)


def test_the_best_is_the_first_of_the_ranking_with_one_emergency_number() -> None:
    closed_child = line("closed", Contact(Channel.VOICE, "1190", True, NIGHTS))
    result = answer([closed_child, OTHER, KIDS, EMERGENCY])
    assert result.best is not None and (result.best.helpline, result.best.display) == (
        "kids",
        "116",
    )
    assert result.paired == ()
    assert result.fallback is not None and result.fallback.display == "999"
    # Open now comes before the kind of helpline: the closed child line is not the answer.
    assert answer([closed_child, OTHER, EMERGENCY]).best.helpline == "other"  # type: ignore[union-attr]


def test_a_paired_helpline_comes_with_its_partners_best_contact() -> None:
    kids = replace(KIDS, paired_with=frozenset({"parents"}))
    result = answer([kids, PARENTS, OTHER, EMERGENCY])
    assert result.best is not None and result.best.helpline == "kids"
    # The partner's best-ranked contact (voice before web chat), whichever side names the pair.
    assert [(r.helpline, r.display) for r in result.paired] == [("parents", "0800 2")]
    parents = replace(PARENTS, paired_with=frozenset({"kids"}))
    assert [r.helpline for r in answer([KIDS, parents, EMERGENCY]).paired] == ["parents"]


def test_pairs_both_or_neither_when_the_partner_cannot_be_given() -> None:
    kids = replace(KIDS, paired_with=frozenset({"parents"}))
    # Asked by SMS only: the parents' line has no SMS, so neither of the pair is the answer.
    result = answer([kids, PARENTS, OTHER, EMERGENCY], channels=frozenset({Channel.VOICE}))
    assert result.best is not None and result.best.helpline == "kids"
    result = answer([kids, PARENTS, OTHER, EMERGENCY], channels=frozenset({Channel.SMS}))
    assert result.best is None and result.paired == ()
    assert result.fallback is not None and not result.no_helpline_known
    # Asked by web chat: the parents' line has one, the children's line none — neither.
    chat_only = answer([kids, PARENTS, OTHER], channels=frozenset({Channel.WEBCHAT}))
    assert chat_only.best is None


def test_the_next_unpaired_helpline_is_the_answer_when_the_best_pair_breaks() -> None:
    kids = replace(KIDS, paired_with=frozenset({"missing"}))
    result = answer([kids, OTHER, EMERGENCY])
    assert result.best is not None and result.best.helpline == "other"


def test_pairs_are_symmetric_and_never_self() -> None:
    kids = replace(KIDS, paired_with=frozenset({"parents", "kids"}))
    assert helpline_pairs([kids, PARENTS]) == {
        "kids": frozenset({"parents"}),
        "parents": frozenset({"kids"}),
    }


def test_paired_order_leads_with_the_pair_then_the_rest_in_ranking_order() -> None:
    kids = replace(KIDS, paired_with=frozenset({"parents"}))
    directory = [kids, PARENTS, OTHER]
    resolution = helpline_resolve(directory, Query("KE", AT, AT.date()))
    ordered, leading = paired_order(resolution, helpline_pairs(directory))
    assert leading == 2
    assert [r.display for r in ordered] == [
        "116", "0800 2", "0800 3", "p.example.org", "21116",
    ]  # fmt: skip


def test_ussd_keeps_the_best_and_its_partner_on_the_screen() -> None:
    kids = replace(KIDS, paired_with=frozenset({"parents"}))
    context = UssdContext("KE", (kids, PARENTS, OTHER, EMERGENCY), AT, AT.date())
    screen = ussd_screen("1", context)
    assert "116" in screen.text and "0800 2" in screen.text and "999" in screen.text
    assert screen.text.index("116") < screen.text.index("0800 2") < screen.text.index("999")
