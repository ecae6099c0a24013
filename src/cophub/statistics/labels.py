"""Names shown for codes: the framework's own texts (six languages, from the engine's data) and
the few level codes the framework leaves untranslated (sex, urban/rural, yes/no, flags)."""

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import engine

TOTAL_LABEL = gettext_lazy("Total")

LEVELS = {
    "female": gettext_lazy("Female"),
    "male": gettext_lazy("Male"),
    "other": gettext_lazy("Other"),
    "unknown": gettext_lazy("Unknown"),
    "urban": gettext_lazy("Urban"),
    "rural": gettext_lazy("Rural"),
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
}

FLAGS = {
    "complementary": gettext_lazy("suppressed so that another suppressed cell cannot be derived"),
    "empty": gettext_lazy("no respondent in this cell"),
    "audit": gettext_lazy(
        "suppressed because the audit could otherwise narrow down another suppressed cell"
    ),
    "dp": gettext_lazy("differentially private estimate"),
    "dp-empty": gettext_lazy("no estimate released under differential privacy"),
    "n25-49": gettext_lazy("based on 25–49 cases: interpret with caution"),
    "neff<30": gettext_lazy("effective sample size below 30"),
    "df<8": gettext_lazy("fewer than 8 degrees of freedom"),
}

EXTRA_BREAKDOWNS = {
    "quarter": gettext_lazy("Quarter"),
    "topic": gettext_lazy("Topic"),
    "topic_group": gettext_lazy("Topic group"),
    "channel": gettext_lazy("Channel"),
    "age_band": gettext_lazy("Age band"),
    "reason": gettext_lazy("Reason for contact"),
    "reason_group": gettext_lazy("Category of reasons for contact"),
    "quarter_reason_group": gettext_lazy("Quarter and category of reasons for contact"),
    "quarter_topic_group": gettext_lazy("Quarter and topic group"),
}

EXTRA_INDICATORS = {"helpline_contacts": gettext_lazy("Child helpline contacts")}


def language() -> str:
    return get_language() or "en"


def indicator_name(indicator_id: str) -> str:
    if indicator_id in EXTRA_INDICATORS:
        return str(EXTRA_INDICATORS[indicator_id])
    try:
        return engine.framework().indicator(indicator_id).name.get(language())
    except engine.StatsError:
        return indicator_id


def breakdown_label(breakdown_id: str) -> str:
    if breakdown_id == engine.TOTAL:
        return str(TOTAL_LABEL)
    if breakdown_id in EXTRA_BREAKDOWNS:
        return str(EXTRA_BREAKDOWNS[breakdown_id])
    try:
        return engine.framework().breakdown(breakdown_id).label.get(language())
    except engine.StatsError:
        return breakdown_id


def level_label(value: str) -> str:
    if value == engine.TOTAL:
        return str(TOTAL_LABEL)
    if value in LEVELS:
        return str(LEVELS[value])
    return value.replace("_", " ")


def flag_label(flag: str) -> str:
    """A disclosure flag in words (``n<10`` → "fewer than 10 cases")."""
    if not flag:
        return ""
    if flag in FLAGS:
        return str(FLAGS[flag])
    if flag.startswith("n<"):
        return _("fewer than %(count)s cases") % {"count": flag[2:]}
    if flag.startswith(("rciw", "ciw")):
        return _("confidence interval too wide to publish")
    return flag


def comparability_labels(text: str) -> list[str]:
    """Comparability flags in words, one per flag."""
    out = []
    for flag in filter(None, text.split(";")):
        name, _sep, detail = flag.partition(":")
        if name == "age_range_differs":
            out.append(_("covers ages %(ages)s only") % {"ages": detail})
        elif name == "band_partial":
            out.append(_("age band covered in part"))
        elif name == "composite_partial":
            out.append(_("composite built without some of its items"))
        elif name == "denominator_partial":
            out.append(_("denominator lacks some of its items"))
        elif name == "df_assumed":
            out.append(_("submitted as an aggregate: degrees of freedom assumed"))
        elif name == "not_collected":
            out.append(_("not collected by this survey"))
        elif name == "population_differs":
            out.append(_("the survey covers a different population"))
        else:
            out.append(flag)
    return out
