"""The platform's modules as the home page lists them. Each module adds its entry when it
lands, so the home page never links to something that does not exist yet."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    title: str | Promise
    summary: str | Promise
    url_name: str
    audiences: tuple[str, ...]


AUDIENCES: tuple[tuple[str, str | Promise, str | Promise], ...] = (
    (
        "children",
        _("Children and young people"),
        _(
            "Find a child helpline you can call or message now, for free and in your language, "
            "on the web, by SMS or by USSD on any phone."
        ),
    ),
    (
        "carers",
        _("Parents, carers and educators"),
        _("Guidelines and training on keeping children safe online, in the six ITU languages."),
    ),
    (
        "member_states",
        _("Member States"),
        _(
            "Assess and build a national child online protection strategy, submit comparable "
            "statistics and follow the status of helpline numbers."
        ),
    ),
    (
        "industry",
        _("Industry"),
        _(
            "Embed the helpline finder in your products and share technical solutions and "
            "self-regulation practice."
        ),
    ),
    (
        "itu_staff",
        _("ITU staff and experts"),
        _(
            "Prepare Council Working Group meetings, liaison statements and the quarterly and "
            "WTDC reports from the work recorded on the platform."
        ),
    ),
)

MODULES: tuple[Module, ...] = (
    Module(
        key="help",
        title=_("Find a helpline"),
        summary=_("Who you can call or message now, for free, in your language."),
        url_name="helplines:help",
        audiences=("children", "carers", "industry"),
    ),
    Module(
        key="resources",
        title=_("Guidelines and training"),
        summary=_(
            "Guidelines for children, parents, educators, industry and policy-makers, courses "
            "and toolkits, in the six ITU languages."
        ),
        url_name="resources:hub",
        audiences=("children", "carers", "member_states", "industry"),
    ),
    Module(
        key="numbers",
        title=_("Child online protection numbers"),
        summary=_("The numbers allocated for child helplines, country by country, with sources."),
        url_name="helplines:numbers",
        audiences=("member_states", "itu_staff"),
    ),
    Module(
        key="resolution",
        title=_("Resolution 67"),
        summary=_(
            "What Resolution 67 (Rev. Kigali, 2022) asks of ITU and its members, clause by clause."
        ),
        url_name="portal:resolution",
        audiences=("carers", "member_states", "industry", "itu_staff"),
    ),
    Module(
        key="strategies",
        title=_("National COP strategies"),
        summary=_("Self-assess, validate a country profile, plan actions, ask ITU for support."),
        url_name="strategies:list",
        audiences=("member_states", "itu_staff"),
    ),
    Module(
        key="statistics",
        title=_("COP statistics"),
        summary=_(
            "Comparable indicators by country: submit survey data safely, compare countries, "
            "download open data."
        ),
        url_name="statistics:index",
        audiences=("member_states", "itu_staff", "carers"),
    ),
    Module(
        key="practices",
        title=_("Best practices"),
        summary=_(
            "Calls for best practices and technical solutions, their review and publication."
        ),
        url_name="practices:index",
        audiences=("member_states", "industry", "itu_staff"),
    ),
    Module(
        key="coordination",
        title=_("CWG-COP coordination"),
        summary=_(
            "Meetings, documents and liaison statements of the Council Working Group on Child "
            "Online Protection, the implementation of Resolution 67 clause by clause, and reports."
        ),
        url_name="coordination:index",
        audiences=("member_states", "itu_staff"),
    ),
    Module(
        key="api",
        title=_("Open data API"),
        summary=_("Reference data and platform data as JSON, documented with OpenAPI."),
        url_name="api:openapi-view",
        audiences=("member_states", "industry", "itu_staff"),
    ),
)


def modules_for(audience: str) -> list[Module]:
    return [module for module in MODULES if audience in module.audiences]
