"""`models.db.raw_rows`: IN lists are expanded once per combination of list lengths and reused, so a later
call with lists of another length, or the same length again, reads the right rows; the driver connection
kept for the transaction is not used once the transaction has failed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, PendingRollbackError
from sqlmodel import Session, SQLModel

from models import Unit
from models.db import raw_rows, session_scope

_UNIT = SQLModel.metadata.tables["unit"]
_NAMES_IN = (
    sa.select(_UNIT.c.name)
    .where(_UNIT.c.id.in_(sa.bindparam("ids", expanding=True)), _UNIT.c.name != sa.bindparam("not_named"))
    .order_by(_UNIT.c.id)
)
_NAMES_IN_BOTH = (
    sa.select(_UNIT.c.name)
    .where(_UNIT.c.id.in_(sa.bindparam("ids", expanding=True)), _UNIT.c.id.in_(sa.bindparam("also", expanding=True)))
    .order_by(_UNIT.c.id)
)
UNITS = ["Văn phòng Sở", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Kỹ thuật", "Thanh tra Sở"]


def _units(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return [
            int(
                session.execute(
                    sa.insert(_UNIT).values(name=name, key=name.casefold(), kind="single").returning(_UNIT.c.id)
                ).scalar_one()
            )
            for name in UNITS
        ]


def test_in_lists_of_changing_lengths_read_their_own_rows(engine: Engine) -> None:
    office, quality, centre, inspectorate = _units(engine)
    with session_scope(engine) as session:
        names = [
            [row[0] for row in raw_rows(session, _NAMES_IN, {"ids": ids, "not_named": "Thanh tra Sở"})]
            for ids in ([office, quality], [centre, inspectorate, office], [quality, centre], [], [inspectorate])
        ]
    assert names == [
        ["Văn phòng Sở", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"],
        ["Văn phòng Sở", "Trung tâm Kỹ thuật"],
        ["Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Kỹ thuật"],
        [],
        [],
    ]


def test_two_in_lists_keep_their_values_apart(engine: Engine) -> None:
    office, quality, centre, _inspectorate = _units(engine)
    with session_scope(engine) as session:
        first = raw_rows(session, _NAMES_IN_BOTH, {"ids": [office, quality], "also": [quality]})
        again = raw_rows(session, _NAMES_IN_BOTH, {"ids": [centre, office], "also": [office]})
    assert [row[0] for row in first] == ["Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng"]
    assert [row[0] for row in again] == ["Văn phòng Sở"]


def test_a_transaction_spoilt_by_a_failed_flush_is_refused_not_written_around(engine: Engine) -> None:
    (office, *_rest) = _units(engine)
    with Session(engine) as session:
        raw_rows(session, _NAMES_IN, {"ids": [office], "not_named": ""})  # the driver connection is now known
        session.add(Unit(name="Văn phòng Sở", key="văn phòng sở"))  # the same key: refused on flush
        with pytest.raises(IntegrityError):
            session.flush()
        session.expunge_all()
        with pytest.raises(PendingRollbackError):
            raw_rows(session, _NAMES_IN, {"ids": [office], "not_named": ""})
