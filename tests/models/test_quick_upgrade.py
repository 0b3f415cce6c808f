"""A restart on a current database does not load Alembic: `upgrade` reads the migrations' revision
lines and the database's alembic_version first, and calls Alembic only when there is work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from models import db


def test_the_files_name_the_head_alembic_names() -> None:
    assert db.script_head() == db.head_revision()


def test_upgrading_a_current_database_does_not_import_alembic(db_url: str) -> None:
    probe = (
        "import sys\nfrom models import db\n"
        f"engine = db.make_engine({db_url!r})\ndb.upgrade(engine)\nengine.dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako', 'pygments')))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root)
    assert result.stdout.strip() == "[]"


def test_an_older_database_is_still_migrated(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'cu.db'}")
    try:
        db.upgrade(engine, "0003")
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()
