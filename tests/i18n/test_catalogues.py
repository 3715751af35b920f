"""The kk/ru/en message catalogues: complete, non-empty, really translated, with correct plural rules."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from aimaq.i18n import (
    LANGUAGES,
    catalog,
    catalog_paths,
    format_number,
    gettext,
    missing_messages,
    negotiate,
    ngettext,
    translator,
)
from aimaq.i18n.extract import extract, used_msgids

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# Latin words allowed in a translation: names, formats, placeholders.
LATIN_OK = r"%\(\w+\)s|aimaq|plotly\.js|kz-adm1\.geojson|CLDR|JSON|MIT|lang=\w+"
KAZAKH_ONLY = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def test_every_msgid_of_code_and_templates_is_in_all_three_catalogues() -> None:
    used = used_msgids()
    assert len(used) > 80  # the extraction found the templates, not only the Python files
    assert missing_messages(used) == []


def test_extraction_reads_templates_and_python_markers() -> None:
    files = {f.rsplit("/", 1)[-1] for f, _line, _msg in extract()}
    assert {"base.html", "map.html", "territory.html", "data.py", "about.py"} <= files


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_parses_and_has_no_empty_or_fuzzy_entry(lang: str) -> None:
    problems = []
    for path in catalog_paths(lang):
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang, abort_invalid=True)
        for message in cat:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append((path.name, message.id))
    assert problems == []


def test_part_files_merge_into_the_catalogue_and_a_clash_names_both_files(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aimaq.i18n as i18n

    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (folder / "aimaq.po").write_text(header + 'msgid "Map"\nmsgstr "Map"\n', encoding="utf-8")
    (folder / "aimaq-workflow.po").write_text(header + 'msgid "Needs"\nmsgstr "Needs"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        merged = i18n.catalog("en")
        assert merged.get("Needs").string == "Needs" and merged.get("Map").string == "Map"
        (folder / "aimaq-clash.po").write_text(header + 'msgid "Map"\nmsgstr "Karta"\n', encoding="utf-8")
        i18n.catalog.cache_clear()
        with pytest.raises(ValueError, match=r"aimaq-clash\.po: msgid 'Map' is also in .*aimaq\.po"):
            i18n.catalog("en")
    finally:
        i18n.catalog.cache_clear()
        i18n._lookup.cache_clear()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_are_not_english_placeholders(lang: str) -> None:
    untranslated = []
    for message in catalog(lang):
        if not message.id:
            continue
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        # Proper names and codes may stay Latin ("API"); anything with an English word must be in Cyrillic.
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        same = text == msgid and msgid != "API"
        english = not CYRILLIC.search(text) and re.search(r"[a-z]{4,}", re.sub(LATIN_OK, "", text))
        if same or english:
            untranslated.append(msgid)
    assert untranslated == []


def test_kazakh_catalogue_uses_kazakh_letters_not_only_russian() -> None:
    texts = [m.string if isinstance(m.string, str) else m.string[0] for m in catalog("kk") if m.id]
    assert sum(bool(KAZAKH_ONLY.search(t)) for t in texts) > len(texts) / 3


def test_placeholders_survive_translation() -> None:
    for lang in ("kk", "ru"):
        for message in catalog(lang):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(re.findall(r"%\(\w+\)s", ids[0]))
            for s in strings:
                assert set(re.findall(r"%\(\w+\)s", s)) == wanted, (lang, ids[0], s)


@pytest.mark.parametrize(
    ("n", "ru", "kk", "en"),
    [
        (1, "1 территория", "1 аумақ", "1 territory"),
        (3, "3 территории", "3 аумақ", "3 territories"),
        (11, "11 территорий", "11 аумақ", "11 territories"),
        (21, "21 территория", "21 аумақ", "21 territories"),
        (25, "25 территорий", "25 аумақ", "25 territories"),
    ],
)
def test_plural_forms_follow_cldr(n: int, ru: str, kk: str, en: str) -> None:
    got = {
        lang: ngettext("%(n)s territory", "%(n)s territories", n, lang) % {"n": n}
        for lang in ("ru", "kk", "en")
    }
    assert got == {"ru": ru, "kk": kk, "en": en}


def test_gettext_falls_back_to_the_msgid_for_an_unknown_message(caplog: pytest.LogCaptureFixture) -> None:
    assert gettext("A message nobody wrote", "kk") == "A message nobody wrote"
    assert "untranslated message" in caplog.text


def test_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="language 'de' is not one of kk, ru, en"):
        gettext("Map", "de")
    with pytest.raises(ValueError, match="'fr' is not one of"):
        translator("fr")


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (219669.8, "en", None, "219,669.8"),  # seed 001, Table 1, l.727: Kazakhstan 2024
        (219669.8, "ru", None, "219\xa0669,8"),
        (219669.8, "kk", None, "219\xa0669,8"),
        (-86.9, "ru", None, "-86,9"),
        (0.65, "en", 2, "0.65"),
        (40, "kk", 1, "40,0"),
        (1234.5678, "en", 0, "1,235"),
        (float("nan"), "en", None, ""),
        (None, "ru", None, ""),
    ],
)
def test_format_number_per_locale(value, lang: str, decimals, expected: str) -> None:
    assert format_number(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en;q=0.5, kk;q=0.9", "kk"),
        ("de-DE,fr;q=0.9", None),
        ("kk;q=0, en", "en"),
        ("", None),
    ],
)
def test_negotiate_accept_language(header: str, expected: str | None) -> None:
    assert negotiate(header) == expected


def test_translator_names_each_language_in_itself() -> None:
    assert [translator(lang).language_name.lower() for lang in LANGUAGES] == [
        "қазақ тілі",
        "русский",
        "english",
    ]
