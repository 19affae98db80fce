"""Reading printed documents back: poppler's pdftoppm/pdftotext and zbar's zbarimg."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import CaseDocument
from app.db.session import Database


def tool(name: str) -> str:
    """The path of a command-line tool; required in CI, else the test is skipped."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (apt-get install poppler-utils zbar-tools)")
        pytest.skip(f"{name} not installed")
    return path


def run(*args: str) -> str:
    """A tool's standard output (raises if it fails)."""
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def stored_pdf(db: Database, case_id: int, kind: str) -> bytes:
    """The newest saved document of ``kind`` of a case."""
    with db.read_only() as s:
        pdf = s.scalar(
            select(CaseDocument.pdf)
            .where(CaseDocument.case_id == case_id, CaseDocument.kind == kind)
            .order_by(CaseDocument.id.desc())
            .limit(1)
        )
    assert pdf is not None, f"no {kind} document saved"
    return pdf


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc") -> str:
    """The text of a PDF with line breaks removed (CJK lines wrap anywhere)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return run(tool("pdftotext"), str(path), "-").replace("\n", "")


def barcodes(pdf: bytes, tmp_path: Path, name: str = "scan") -> list[str]:
    """What zbarimg reads on the first page rendered at 200 dpi ("CODE-128:…")."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    run(
        tool("pdftoppm"), "-r", "200", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / name)
    )
    page = sorted(tmp_path.glob(f"{name}-*.png"))[0]
    return run(tool("zbarimg"), "-q", str(page)).split()
