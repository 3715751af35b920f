"""Kazakh, Russian and English user-facing text: message catalogues and locale-aware numbers.

The catalogues are the plain gettext ``.po`` files in ``locale/{kk,ru,en}/LC_MESSAGES/aimaq.po``. They are
read at run time with :func:`babel.messages.pofile.read_po`, so there is no compile step and a translator's
edit is live after a restart. Code names in English; every label a user reads comes from here (or from the
store's ``name_kk``/``name_ru``/``name_en`` columns), never from an ``if lang == ...``.

Examples
--------
>>> gettext("Territories", "ru")
'Территории'
>>> t = translator("kk")
>>> t.gettext("Territories"), t.format_number(89028.7)
('Аумақтар', '89\\xa0028,7')
>>> format_number(89028.7, "en"), format_number(None, "en")
('89,028.7', '')
>>> ngettext("%(n)s territory", "%(n)s territories", 21, "ru") % {"n": 21}
'21 территория'
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from gettext import c2py
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "Translator",
    "catalog",
    "catalog_path",
    "catalog_paths",
    "format_number",
    "gettext",
    "lookup",
    "missing_messages",
    "negotiate",
    "ngettext",
    "translator",
]

log = logging.getLogger(__name__)

#: The interface languages, in the order the language switch shows them (state language first).
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
#: Used when neither ``?lang=``, the cookie nor the browser's Accept-Language names one of :data:`LANGUAGES`.
DEFAULT_LANGUAGE = "kk"
DOMAIN = "aimaq"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalog_path(lang: str) -> Path:
    """The main ``.po`` file of ``lang``: ``locale/<lang>/LC_MESSAGES/aimaq.po``."""
    _check(lang)
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_paths(lang: str) -> list[Path]:
    """Every ``.po`` file of ``lang``: ``aimaq.po`` first, then the part files ``aimaq-<part>.po`` by name.

    Parts let one area of the app (the workflow pages, say) keep its messages in its own file, so that people
    working on different pages do not edit the same catalogue.

    Examples
    --------
    >>> catalog_paths("en")[0].name
    'aimaq.po'
    """
    main = catalog_path(lang)
    return [main, *sorted(main.parent.glob(f"{DOMAIN}-*.po"))]


def _read_po(path: Path, lang: str) -> Catalog:
    try:
        with path.open("rb") as fh:
            return read_po(fh, locale=lang, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:  # PoFileError, OSError: name the file the translator must fix
        raise ValueError(f"{path}: cannot read the message catalogue: {exc}") from exc


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> Catalog:
    """Read (once per process) the message catalogue of ``lang``: :func:`catalog_paths` merged into one.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`, a file does not parse (the message names the file and the
        line of the first syntax error, Babel's ``abort_invalid``), or two files translate the same msgid
        differently (the message names both files).
    """
    paths = catalog_paths(lang)
    merged = _read_po(paths[0], lang)
    origin = {message.id: paths[0] for message in merged if message.id}
    for path in paths[1:]:
        for message in _read_po(path, lang):
            if not message.id:
                continue
            known = merged.get(message.id)
            if known is not None and known.string != message.string:
                raise ValueError(
                    f"{path}: msgid {message.id!r} is also in {origin[message.id]} with another translation"
                )
            merged[message.id] = message
            origin.setdefault(message.id, path)
    return merged


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")


@lru_cache(maxsize=4096)
def _lookup(msgid: str, lang: str) -> str | tuple[str, ...] | None:
    message = catalog(lang).get(msgid)
    if message is None or message.fuzzy or not message.string:
        return None
    string = message.string
    if isinstance(string, tuple) and not all(string):
        return None
    return string


def gettext(msgid: str, lang: str) -> str:
    """Translate ``msgid`` into ``lang``; an untranslated message falls back to the msgid and is logged.

    A test (``tests/i18n``) keeps every msgid of the code and templates translated in all three catalogues, so
    the fallback only shows during development.
    """
    string = _lookup(msgid, lang)
    if string is None:
        log.warning("untranslated message %r in %s", msgid, catalog_path(lang))
        return msgid
    return string[0] if isinstance(string, tuple) else string


def lookup(msgid: str, lang: str) -> str | None:
    """The translation of ``msgid`` if the catalogue has one, else None (no fallback, nothing logged).

    For data that may or may not have a catalogue entry, such as units of measurement.

    Examples
    --------
    >>> lookup("mln KZT", "ru"), lookup("a unit nobody translated", "ru")
    ('млн тенге', None)
    """
    string = _lookup(msgid, lang)
    return string[0] if isinstance(string, tuple) else string


def ngettext(singular: str, plural: str, n: float, lang: str) -> str:
    """Translate a message with plural forms; the form is chosen by the catalogue's ``Plural-Forms`` rule.

    Kazakh has two forms like English, Russian three (CLDR; babel.messages.plurals).
    """
    string = _lookup(singular, lang)
    if string is None or not isinstance(string, tuple):
        if string is not None:
            return string
        log.warning("untranslated plural message %r in %s", singular, catalog_path(lang))
        return singular if n == 1 else plural
    form = _plural_index(catalog(lang).plural_expr, int(abs(n)))
    return string[min(form, len(string) - 1)]


@lru_cache(maxsize=16)
def _plural_function(expr: str) -> Callable[[int], int]:
    # The catalogue header's C expression (Plural-Forms), compiled by the standard library's gettext.
    return c2py(expr)


def _plural_index(expr: str, n: int) -> int:
    return int(_plural_function(expr)(n))


def format_number(value: float | int | None, lang: str, *, decimals: int | None = None) -> str:
    """Format a number for ``lang`` (CLDR symbols via Babel): ``89 028,7`` in kk/ru, ``89,028.7`` in en.

    Parameters
    ----------
    value : float, int or None
        None and NaN format as an empty string (a missing value is shown by its status, not by a number).
    lang : {"kk", "ru", "en"}
    decimals : int, optional
        Round to this many decimals and show them all. By default the printed precision of the value is
        kept, up to three decimals, as the seeds print it.

    Examples
    --------
    >>> format_number(1234.5, "ru", decimals=2), format_number(0.65, "kk"), format_number(-86.9, "en")
    ('1\\xa0234,50', '0,65', '-86.9')
    """
    _check(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    pattern = "#,##0." + "0" * decimals if decimals else ("#,##0" if decimals == 0 else "#,##0.###")
    return format_decimal(value, format=pattern, locale=lang)


@dataclass(frozen=True)
class Translator:
    """The text functions of one language, handed to templates as ``_``, ``ngettext`` and ``num``."""

    lang: str

    def __post_init__(self) -> None:
        _check(self.lang)

    def gettext(self, msgid: str) -> str:
        """Translate ``msgid``; see :func:`gettext`."""
        return gettext(msgid, self.lang)

    def ngettext(self, singular: str, plural: str, n: float) -> str:
        """Translate with plural forms; see :func:`ngettext`."""
        return ngettext(singular, plural, n, self.lang)

    def format_number(self, value: float | int | None, decimals: int | None = None) -> str:
        """Format a number; see :func:`format_number`."""
        return format_number(value, self.lang, decimals=decimals)

    @property
    def language_name(self) -> str:
        """The language's own name (CLDR), e.g. ``қазақ тілі``."""
        return Locale.parse(self.lang).display_name or self.lang


def translator(lang: str) -> Translator:
    """The :class:`Translator` of ``lang``."""
    return Translator(lang)


def negotiate(accept_language: str | None) -> str | None:
    """Pick the best of :data:`LANGUAGES` from an HTTP ``Accept-Language`` header (RFC 9110 §12.5.4).

    Examples
    --------
    >>> negotiate("de-DE,ru;q=0.8,en;q=0.5"), negotiate("kk-KZ"), negotiate("fr"), negotiate(None)
    ('ru', 'kk', None, None)
    """
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, val = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(val)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def missing_messages(msgids: Iterable[str]) -> list[tuple[str, str]]:
    """Every ``(lang, msgid)`` of ``msgids`` that some catalogue lacks or leaves empty or fuzzy.

    Used by the catalogue test and by ``docs/web.md``'s instructions for translators.
    """
    problems = []
    for lang in LANGUAGES:
        for msgid in sorted(set(msgids)):
            if _lookup(msgid, lang) is None:
                problems.append((lang, msgid))
    return problems
