"""Loading the gettext catalogs: the compiled .mo when the install step built it, else the .po itself."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from locales import N_

DOMAIN = "nhacviec"
SUPPORTED = ("vi", "en")
DEFAULT_LOCALE = "vi"

__all__ = [
    "DEFAULT_LOCALE",
    "DOMAIN",
    "N_",
    "SUPPORTED",
    "Plural",
    "Translate",
    "plural_translator",
    "translations",
    "translator",
]

Translate = Callable[[str], str]
# ngettext: (singular msgid, plural msgid, n) -> the form for n in the catalog's language.
Plural = Callable[[str, str, int], str]


LOCALES = Path(__file__).resolve().parent


def catalog_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """Translations for `locale`; msgids (English) are the fallback for anything missing."""
    path = catalog_path(locale)
    if locale not in SUPPORTED or not path.exists():
        return gettext.NullTranslations()
    compiled = path.with_suffix(".mo")
    if compiled.exists() and compiled.stat().st_mtime >= path.stat().st_mtime:
        with compiled.open("rb") as mo:
            return gettext.GNUTranslations(mo)
    # No compiled catalog (or an older one than the .po, as after editing it): compile in memory.
    # Babel is imported only then: an installed package has its .mo files.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(locale: str) -> Translate:
    return translations(locale).gettext


def plural_translator(locale: str) -> Plural:
    return translations(locale).ngettext
