"""Shared test set-up: headless Qt before anything imports it, and small store fixtures."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from tracker.store import Store  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "cramps.sqlite"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()
