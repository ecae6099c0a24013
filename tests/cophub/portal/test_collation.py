"""Names sorted as readers of each language expect (CLDR primary strength, no ICU)."""

from cophub.portal.collation import collated, collation_key


def order(names: list[str], language: str) -> list[str]:
    return collated(names, language, key=str)


def test_russian_yo_sorts_with_ye_and_short_i_after_i() -> None:
    # By code point Ё (U+0401) comes before А, and nothing would separate Й from И.
    assert order(["Ёлка", "Жуков", "Дания", "Австрия"], "ru") == [
        "Австрия",
        "Дания",
        "Ёлка",
        "Жуков",
    ]
    assert order(["Йемен", "Израиль", "Иордания", "Ирак"], "ru") == [
        "Израиль",
        "Иордания",
        "Ирак",
        "Йемен",
    ]


def test_arabic_hamza_forms_sort_with_alef() -> None:
    assert order(["أوغندا", "الأردن", "إثيوبيا", "باكستان"], "ar") == [
        "إثيوبيا",
        "الأردن",
        "أوغندا",
        "باكستان",
    ]


def test_accents_are_ignored_but_spanish_enye_is_a_letter() -> None:
    assert order(["Équateur", "Estonie", "Égypte", "Danemark"], "fr") == [
        "Danemark",
        "Égypte",
        "Équateur",
        "Estonie",
    ]
    assert order(["Nueva Zelanda", "Ñandú", "Omán", "Níger"], "es") == [
        "Níger",
        "Nueva Zelanda",
        "Ñandú",
        "Omán",
    ]


def test_chinese_keeps_code_point_order_and_ties_are_stable() -> None:
    assert order(["中国", "丹麦"], "zh-hans") == ["中国", "丹麦"]
    assert collation_key("Chad", "en") != collation_key("chad", "en")
