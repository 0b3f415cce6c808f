"""`/summary` for the chat and the command line: who sees what, which period and unit the words ask
for, and the message and files that answer.

Visibility: the monitor and admins see the whole plan (and any unit of it); a unit lead sees the units
they lead, staff their units, in the short version. The chat offers the files as buttons whose payload
("sum:docx:q4/2025 #3") names the period and unit explicitly, so a file asked for later is the same
summary the message showed.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from domain.markup import escape
from domain.payloads import Choice, ChoiceKind, encode
from domain.permissions import Audience, audience_of, sees_whole_plan
from locales import N_
from locales.catalogs import translator
from models import Role
from models.errors import UserFacingError
from models.unit_admin import UNIT_NOT_FOUND, match_unit
from reports.periods import (
    PeriodError,
    PeriodRequest,
    current_period,
    parse_period,
    period_token,
    previous_period,
    split_request,
)
from reports.summary import Summary, build_summary
from reports.summary_facts import RegistryCache, cycle_kind, load_facts, newest_plan_id
from reports.summary_text import summary_message
from scheduler.timing.periods import Period, period_label

__all__ = [
    "BAD_PERIOD",
    "FileKind",
    "SummaryView",
    "cli_view",
    "find_unit_like",
    "make_summary",
    "summary_files",
    "summary_reply",
]

FileKind = Literal["docx", "xlsx", "png"]
DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHART_PERIODS = 4  # the chart's on-time rate: this period and up to three before it

BAD_PERIOD = N_(
    "I could not read the period «{text}». For example: /summary 2026, /summary quý 4/2025, "
    "/summary tháng 11/2026 or /summary Văn phòng Sở."
)
NO_UNIT = N_("No unit is called «{text}». For example: /summary Văn phòng Sở or /summary quý 4/2025.")
NOT_YOUR_UNIT = N_("You can only see the summary of your own units.")
NO_ROLE = N_("Sorry, you cannot use /summary.")
NO_PLAN = N_("No plan has been imported yet.")

_MEMBERSHIPS = SQLModel.metadata.tables["membership"].c
_ROLES_OF = sa.select(_MEMBERSHIPS.role, _MEMBERSHIPS.unit_id).where(_MEMBERSHIPS.member_id == sa.bindparam("member"))


def find_unit_like(session: Session, text: str, among: set[int] | None = None) -> tuple[int, str]:
    """The unit named by `text` in a chat (see `match_unit`); an unknown name gets the chat's example."""
    try:
        return match_unit(session, text, among)
    except UserFacingError as error:
        if error.message == UNIT_NOT_FOUND:
            raise UserFacingError(NO_UNIT, text=text.strip()) from None
        raise


@dataclass(frozen=True)
class SummaryView:
    """What to summarise: resolved from the words and the viewer's rights."""

    plan_id: int
    period: Period
    unit_id: int | None
    short: bool  # staff's short version

    @property
    def token(self) -> str:
        """The request in a button's payload, read back by `split_request`."""
        token = period_token(self.period)
        return f"{token} #{self.unit_id}" if self.unit_id is not None else token


def _request(text: str) -> PeriodRequest:
    try:
        return split_request(text)
    except PeriodError as error:
        raise UserFacingError(BAD_PERIOD, text=error.text) from error


def resolve_view(
    session: Session,
    *,
    plan_id: int,
    args: str,
    today: date,
    allowed_units: set[int] | None,
    default_unit: int | None = None,
    short: bool = False,
) -> SummaryView:
    """`allowed_units` None: the whole plan may be seen."""
    request = _request(args)
    period = request.period or current_period(today, cycle_kind(session, plan_id))
    unit_id = request.unit_id
    if unit_id is not None and allowed_units is not None and unit_id not in allowed_units:
        raise UserFacingError(NOT_YOUR_UNIT)
    if request.unit_text:
        try:
            unit_id, _name = find_unit_like(session, request.unit_text, allowed_units)
        except UserFacingError:
            if allowed_units is not None and find_unit_like(session, request.unit_text)[0] not in allowed_units:
                raise UserFacingError(NOT_YOUR_UNIT) from None
            raise
    if unit_id is None:
        unit_id = default_unit
    return SummaryView(plan_id, period, unit_id, short)


CLI_BAD_PERIOD = N_("I could not read the period «{text}»: write e.g. 2026, quarter 4/2025 or month 11/2026.")


def cli_view(
    session: Session, *, plan_id: int, period_text: str | None, unit_text: str | None, today: date
) -> SummaryView:
    """`nhacviec summary --period … --unit …`: the whole plan, or one unit (its name, part of it, or its
    number in `units list`)."""
    try:
        period = parse_period(period_text or "")
    except PeriodError as error:
        raise UserFacingError(CLI_BAD_PERIOD, text=error.text) from error
    unit_id = None
    if unit_text is not None and unit_text.strip():
        unit_id, _name = match_unit(session, unit_text)
    return SummaryView(plan_id, period or current_period(today, cycle_kind(session, plan_id)), unit_id, short=False)


def viewer_view(session: Session, *, member_id: int, args: str, today: date) -> SummaryView:
    """The view a member's `/summary ARGS` asks for, within what they may see."""
    plan_id = newest_plan_id(session)
    if plan_id is None:
        raise UserFacingError(NO_PLAN)
    memberships = [(Role(role), unit) for role, unit in session.execute(_ROLES_OF, {"member": member_id})]
    audience = audience_of(frozenset(role for role, _unit in memberships))
    if audience == Audience.GUEST:
        raise UserFacingError(NO_ROLE)
    if sees_whole_plan(audience):
        return resolve_view(session, plan_id=plan_id, args=args, today=today, allowed_units=None)
    wanted = Role.UNIT_LEAD if audience == Audience.UNIT_LEAD else Role.STAFF
    units = sorted({unit for role, unit in memberships if unit is not None and role == wanted}) or sorted(
        {unit for _role, unit in memberships if unit is not None}
    )
    if not units:
        raise UserFacingError(NO_ROLE)
    return resolve_view(
        session,
        plan_id=plan_id,
        args=args,
        today=today,
        allowed_units={unit for _role, unit in memberships if unit is not None},
        default_unit=units[0],
        short=audience == Audience.STAFF,
    )


def make_summary(
    session: Session,
    view: SummaryView,
    *,
    today: date,
    tz: ZoneInfo = DEFAULT_TZ,
    chart: bool = False,
    registry: RegistryCache | None = None,
) -> Summary:
    previous = previous_period(view.period)
    history = [view.period]
    if chart:
        while len(history) < CHART_PERIODS and (before := previous_period(history[0])) is not None:
            history.insert(0, before)
    others = [p for p in [previous, *history] if p is not None and p != view.period]
    with _without_cycle_collection():
        facts = load_facts(session, view.plan_id, main=view.period, others=others, tz=tz, registry=registry)
        return build_summary(
            facts,
            period=view.period,
            previous=previous,
            today=today,
            unit_id=view.unit_id,
            history=history if chart else (),
        )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A summary of a large plan makes tens of thousands of small objects without reference cycles
    (reference counting frees them all); Python's cycle collector would walk them again and again
    while they are made, a quarter of the time of a 10,000-task summary. It is paused meanwhile and
    resumed after, unless something else had paused it (the collector is one for the process)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _error_text(locale: str, error: UserFacingError) -> str:
    _ = translator(locale)
    return _(error.message).format(**{k: escape(v) for k, v in error.params.items()})


def summary_reply(
    session: Session,
    *,
    viewer_member_id: int,
    args: str,
    platform_limit: int,
    today: date,
    locale: str,
    tz: ZoneInfo = DEFAULT_TZ,
    registry: RegistryCache | None = None,
) -> tuple[str, list[tuple[str, str]]]:
    """The answer to `/summary ARGS`: one message (neutral markup) of at most `platform_limit` characters, and the
    file buttons as (label, payload); payloads are "sum:docx|xlsx|png:<token>" (≤ 64 bytes), and the
    token goes back to `summary_files` as its `args`."""
    _ = translator(locale)
    try:
        view = viewer_view(session, member_id=viewer_member_id, args=args, today=today)
    except UserFacingError as error:
        return _error_text(locale, error), []
    with _without_cycle_collection():
        summary = make_summary(session, view, today=today, tz=tz, registry=registry)
        text = summary_message(summary, _, locale, limit=platform_limit, short=view.short, footer=not view.short)
        has_items = bool(summary.sections)
        # Freed before the collector resumes, it leaves the collector none of its objects to walk
        # (5-10 ms a reply on a 10,000-task plan).
        del summary
    if view.short or not has_items:
        return text, []
    labels = {"docx": _("📄 Report (.docx)"), "xlsx": _("📊 Table (.xlsx)"), "png": _("📈 Chart (.png)")}
    return text, [
        (label, encode(Choice(ChoiceKind.SUMMARY_FILE, file=kind, token=view.token))) for kind, label in labels.items()
    ]


def file_name(summary: Summary, kind: str) -> str:
    label = unicodedata.normalize("NFD", period_label(summary.period, "vi").lower().replace("đ", "d"))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(c for c in label if not unicodedata.combining(c))).strip("-")
    unit = f"-don-vi-{summary.unit.id}" if summary.unit is not None else ""
    return f"tong-hop-{slug}{unit}.{kind}"


def render_file(summary: Summary, kind: FileKind) -> bytes:
    # Imported here: python-docx, openpyxl and matplotlib take time to load, and a chat reply needs none.
    if kind == "docx":
        from reports.docx_report import build_docx

        return build_docx(summary)
    if kind == "xlsx":
        from reports.xlsx_report import build_xlsx

        return build_xlsx(summary)
    from reports.chart import build_chart

    return build_chart(summary)


def summary_files(
    session: Session,
    *,
    viewer_member_id: int,
    args: str,
    kind: FileKind,
    today: date,
    locale: str,
    tz: ZoneInfo = DEFAULT_TZ,
    registry: RegistryCache | None = None,
) -> tuple[str, bytes]:
    """A summary file (filename, content) for the same words `summary_reply` takes (or a button's token).

    Raises `UserFacingError` (a msgid and its parameters) when the words or the viewer's rights do not
    allow it. The files are in Vietnamese: the report's layout is the one Nghị định 30/2020 prescribes.
    """
    del locale  # the files are Vietnamese documents whatever the chat's language
    view = viewer_view(session, member_id=viewer_member_id, args=args, today=today)
    summary = make_summary(session, view, today=today, tz=tz, chart=kind == "png", registry=registry)
    return file_name(summary, kind), render_file(summary, kind)
