from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from casegraph.ingest.pipeline import ingest_paths


@pytest.fixture
def ingest(case):
    """ingest(paths..., **options) -> summary, on the test's fresh database."""

    def run(*paths, **options):
        options.setdefault("progress", False)
        return ingest_paths(case.store, [str(p) for p in paths], **options)

    return run


def ocr_tools() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))
