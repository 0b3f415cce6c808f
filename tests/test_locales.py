"""The catalogs cover every message the code can show, in NFC Vietnamese with the same placeholders.
Plural messages (ngettext) are keyed by their singular msgid and checked in every form."""

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from domain.markup import MarkupError, validate
from locales.catalogs import catalog_path, translator

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "domain", "scheduler", "models", "importer", "reports", "nhacviec")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def code_msgids() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None, "N_": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@pytest.fixture(scope="module")
def vietnamese() -> dict[str, tuple[str, ...]]:
    """msgid (the singular one of a plural message) -> its translations (one per plural form)."""
    with catalog_path("vi").open("rb") as po:
        return {forms(m.id)[0]: forms(m.string) for m in read_po(po, locale="vi") if m.id}


def test_every_message_in_the_code_has_a_vietnamese_translation(vietnamese: dict[str, tuple[str, ...]]) -> None:
    missing = sorted(m for m in code_msgids() if not all(vietnamese.get(m, ("",))))
    assert missing == []


def test_the_catalog_has_no_stale_messages(vietnamese: dict[str, tuple[str, ...]]) -> None:
    assert sorted(set(vietnamese) - code_msgids()) == []


def test_vietnamese_is_nfc(vietnamese: dict[str, tuple[str, ...]]) -> None:
    texts = [text for translations in vietnamese.values() for text in translations]
    assert [s for s in texts if unicodedata.normalize("NFC", s) != s] == []


def test_translations_keep_the_placeholders(vietnamese: dict[str, tuple[str, ...]]) -> None:
    broken = [
        msgid
        for msgid, translations in vietnamese.items()
        for text in translations
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert broken == []


def test_every_message_and_translation_is_neutral_markup(vietnamese: dict[str, tuple[str, ...]]) -> None:
    # Chat texts are the neutral markup (domain/markup.py): a bare "&" or "<" in a translation would be
    # refused when the message is made.
    texts = [text for msgid, translations in vietnamese.items() for text in (msgid, *translations)]
    refused = []
    for text in texts:
        try:
            validate(text)
        except MarkupError as error:
            refused.append(f"{text!r}: {error}")
    assert refused == []


def test_plural_forms_follow_the_number() -> None:
    from locales.catalogs import plural_translator

    english, vietnamese = plural_translator("en"), plural_translator("vi")
    assert [english("{count} use", "{count} uses", n).format(count=n) for n in (1, 2)] == ["1 use", "2 uses"]
    assert [vietnamese("{count} use", "{count} uses", n).format(count=n) for n in (1, 2)] == [
        "dùng được 1 lần",
        "dùng được 2 lần",
    ]


def test_english_falls_back_to_the_msgid() -> None:
    assert translator("en")("The plan's task registry.") == "The plan's task registry."
    assert translator("vi")("The plan's task registry.") == "Danh mục nhiệm vụ của kế hoạch."


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_both_catalogs_compile(locale: str, tmp_path: Path) -> None:
    from babel.messages.mofile import read_mo, write_mo

    with catalog_path(locale).open("rb") as po:
        catalog = read_po(po, locale=locale)
    errors = [(message.id, problems) for message, problems in catalog.check() if problems]
    assert errors == []
    compiled = tmp_path / "nhacviec.mo"
    with compiled.open("wb") as mo:
        write_mo(mo, catalog)
    with compiled.open("rb") as mo:
        compiled_ids = {forms(message.id) for message in read_mo(mo)}
    # Every translated message is in the compiled catalog (English leaves most empty: the msgid is English).
    assert {forms(m.id) for m in catalog if m.id and any(forms(m.string))} <= compiled_ids
