"""The text preparation that makes the database search backends work in all six languages."""

from cophub.resources.search_text import index_text, normalize, query_terms


def test_chinese_runs_are_indexed_as_characters_and_bigrams() -> None:
    assert index_text("儿童保护").split() == ["儿", "童", "保", "护", "儿童", "童保", "保护"]


def test_a_chinese_query_is_cut_into_bigrams_that_all_occur_in_the_text() -> None:
    text = set(index_text("家长如何保护儿童上网安全"))
    indexed = set(index_text("家长如何保护儿童上网安全").split())
    assert text
    assert set(query_terms("保护儿童")) <= indexed
    assert not set(query_terms("儿童保护")) <= indexed  # the reversed word is not in the text
    assert query_terms("网") == ["网"]


def test_arabic_is_folded_and_indexed_with_and_without_the_article() -> None:
    assert normalize("الأطفالُ") == "الاطفال"
    indexed = index_text("حماية الأطفال والأسرة").split()
    assert "اطفال" in indexed and "الاطفال" in indexed and "اسره" in indexed
    assert query_terms("أطفال") == ["اطفال"]
    assert query_terms("إرشادات") == ["ارشادات"]


def test_latin_and_cyrillic_accents_and_case_are_folded() -> None:
    assert query_terms("Éducation Sécurité") == ["education", "securite"]
    assert normalize("Ёлка") == "елка"


def test_mixed_script_words_keep_their_latin_part() -> None:
    assert query_terms("COP指南") == ["cop", "指南"]
