"""What an admin does to units: name aliases and merge near-duplicates. Every change is audited."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from locales import N_
from locales.text import fold
from models.audit import AuditLog
from models.errors import UserFacingError
from models.registry import TaskUnit, Unit, UnitAlias, UnitKind, unit_key

UNIT_NOT_FOUND = N_("No unit is called «{name}». See the list with: nhacviec units list")
MANY_UNITS = N_("«{text}» fits several units: {units}. Please write more of the name.")
ALIAS_TAKEN = N_("«{alias}» already names the unit «{unit}».")
MERGE_SAME = N_("«{name}» and «{other}» are already the same unit.")


def unit_named(session: Session, name: str) -> Unit | None:
    """The unit a name means: its own name, else one of its aliases (matched by `unit_key`)."""
    key = unit_key(name)
    unit = session.exec(select(Unit).where(Unit.key == key)).first()
    if unit is None:
        alias = session.exec(select(UnitAlias).where(UnitAlias.key == key)).first()
        if alias is not None:
            unit = session.get(Unit, alias.unit_id)
    return unit


_UNITS = sa.select(col(Unit.id), col(Unit.name), col(Unit.key), col(Unit.kind)).order_by(col(Unit.id))
_ALIASES = sa.select(col(UnitAlias.unit_id), col(UnitAlias.key))


def match_unit(session: Session, text: str, among: set[int] | None = None) -> tuple[int, str]:
    """The unit `text` names, as (id, name): its number in `units list`, its name or an alias, with or
    without diacritics, or a part of one of them when only one unit fits. `among` limits the units
    considered. Raises UNIT_NOT_FOUND, or MANY_UNITS listing the candidates of an ambiguous part."""
    units = [row for row in session.execute(_UNITS) if among is None or row.id in among]
    if text.strip().isdigit():
        number = int(text.strip())
        for unit in units:
            if unit.id == number:
                return unit.id, unit.name
    key = unit_key(text)
    folded = fold(key)
    names: dict[int, list[str]] = {unit.id: [unit.key] for unit in units}
    for unit_id, alias_key in session.execute(_ALIASES):
        if unit_id in names:
            names[unit_id].append(alias_key)
    exact = [u for u in units if key in names[u.id]]
    if not exact:
        exact = [u for u in units if any(folded == fold(k) for k in names[u.id])]
    if exact:
        return exact[0].id, exact[0].name
    partial = [u for u in units if any(folded in fold(k) for k in names[u.id])]
    if len(partial) > 1:
        # "Văn phòng" fits one unit and the group "Các phòng, đơn vị …" may fit too: a single unit wins.
        singles = [u for u in partial if u.kind != UnitKind.GROUP.value]
        partial = singles if len(singles) == 1 else partial
    if len(partial) == 1:
        return partial[0].id, partial[0].name
    if partial:
        raise UserFacingError(MANY_UNITS, text=text.strip(), units="; ".join(u.name for u in partial))
    raise UserFacingError(UNIT_NOT_FOUND, name=text.strip())


def find_unit(session: Session, name: str) -> Unit:
    """A unit by its number, its name, an alias or an unambiguous part of one (see `match_unit`)."""
    unit = session.get(Unit, match_unit(session, name)[0])
    assert unit is not None
    return unit


def add_alias(session: Session, alias: str, unit_name: str, *, actor: str, now: datetime) -> Unit:
    unit = find_unit(session, unit_name)
    alias = " ".join(alias.split())
    key = unit_key(alias)
    holder = unit_named(session, alias)
    if holder is not None:
        raise UserFacingError(ALIAS_TAKEN, alias=alias, unit=holder.name)
    assert unit.id is not None
    session.add(UnitAlias(alias=alias, key=key, unit_id=unit.id))
    session.add(AuditLog(at=now, actor=actor, action="unit.alias", entity=f"unit:{unit.id}", detail={"alias": alias}))
    session.flush()
    return unit


def merge_units(session: Session, source_name: str, target_name: str, *, actor: str, now: datetime) -> Unit:
    """Folds `source` into `target`: its tasks, its aliases and its name (kept as an alias)."""
    source = find_unit(session, source_name)
    target = find_unit(session, target_name)
    if source.id == target.id:
        raise UserFacingError(MERGE_SAME, name=source_name.strip(), other=target_name.strip())
    assert source.id is not None and target.id is not None
    target_links = {
        (link.task_id, link.role) for link in session.exec(select(TaskUnit).where(TaskUnit.unit_id == target.id))
    }
    moved = 0
    for link in session.exec(select(TaskUnit).where(TaskUnit.unit_id == source.id)).all():
        if (link.task_id, link.role) in target_links:
            continue  # the task already names the target in that role
        session.execute(
            update(TaskUnit)
            .where(
                col(TaskUnit.task_id) == link.task_id,
                col(TaskUnit.unit_id) == source.id,
                col(TaskUnit.role) == link.role,
            )
            .values(unit_id=target.id)
        )
        moved += 1
    session.execute(delete(TaskUnit).where(col(TaskUnit.unit_id) == source.id))
    session.execute(update(UnitAlias).where(col(UnitAlias.unit_id) == source.id).values(unit_id=target.id))
    session.flush()
    session.delete(source)
    session.flush()
    # The old spelling keeps resolving, so a re-import of the same document does not split them again.
    session.add(UnitAlias(alias=source.name, key=source.key, unit_id=target.id))
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action="unit.merge",
            entity=f"unit:{target.id}",
            detail={"merged": source.name, "into": target.name, "links_moved": moved},
        )
    )
    session.flush()
    return target
