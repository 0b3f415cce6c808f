"""A .docx as LibreOffice prints it: the tools tests need, skipped (failed on CI) where they are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = ("soffice", "pdftoppm", "pdftotext")


def office_tools() -> dict[str, str]:
    """The paths of LibreOffice and poppler's tools; the test is skipped without them (fails on CI)."""
    found = {name: shutil.which(name) for name in TOOLS}
    if None in found.values():
        reason = (
            "LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext) are needed: "
            "apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation"
        )
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {name: path for name, path in found.items() if path is not None}


def docx_to_pdf(docx: bytes, folder: Path) -> Path:
    """The .docx converted to PDF by LibreOffice (with a profile of its own in `folder`)."""
    source = folder / "bao-cao.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            office_tools()["soffice"],
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "bao-cao.pdf"


def pdf_text(pdf: Path, *, last_page: int | None = None) -> str:
    pages = ["-l", str(last_page)] if last_page is not None else []
    command = [office_tools()["pdftotext"], *pages, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, timeout=60).stdout.decode()
