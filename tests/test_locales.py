"""The catalogs cover every message the code can show, in NFC Vietnamese with the same placeholders."""

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from locales.catalogs import catalog_path, translator

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "scheduler", "models", "importer", "reports", "nhacviec")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def code_msgids() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def vietnamese() -> dict[str, str]:
    with catalog_path("vi").open("rb") as po:
        return {m.id: m.string for m in read_po(po, locale="vi") if m.id}


def test_every_message_in_the_code_has_a_vietnamese_translation(vietnamese: dict[str, str]) -> None:
    missing = sorted(m for m in code_msgids() if not vietnamese.get(m))
    assert missing == []


def test_the_catalog_has_no_stale_messages(vietnamese: dict[str, str]) -> None:
    assert sorted(set(vietnamese) - code_msgids()) == []


def test_vietnamese_is_nfc(vietnamese: dict[str, str]) -> None:
    assert [s for s in vietnamese.values() if unicodedata.normalize("NFC", s) != s] == []


def test_translations_keep_the_placeholders(vietnamese: dict[str, str]) -> None:
    broken = [
        msgid
        for msgid, text in vietnamese.items()
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert broken == []


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
        compiled_ids = {message.id for message in read_mo(mo)}
    # Every translated message is in the compiled catalog (English leaves most empty: the msgid is English).
    assert {m.id for m in catalog if m.id and m.string} <= compiled_ids
