"""The `nhacviec` command line. Wiring happens here: settings are read once and passed down.

Importing this module does no work and loads nothing heavy, not even Typer: every command imports what it uses (the
database layer, the bot, the report writers) when it runs, so `version` and `--help` answer at once and
`run` loads only its own share. tests/cli/test_cli_imports.py pins it.
"""
# No "from __future__ import annotations" here: Typer evaluates the Annotated help texts, which
# are translated inside build_app, when the commands are defined.

import getpass
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

from locales.catalogs import DEFAULT_LOCALE, SUPPORTED, Plural, Translate, plural_translator, translator
from nhacviec import __version__

if TYPE_CHECKING:
    import typer
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from importer.store import ImportResult
    from models.errors import UserFacingError
    from nhacviec.settings import Settings
    from scheduler.timing.events import EventView

EXIT_BAD_INPUT = 2
MAX_PLAN_CODE = 120  # the plan table's code column
# How many task codes an import report names before it says "and N more".
CODES_SHOWN = 20


@dataclass(frozen=True)
class Context:
    """What every command gets: the chosen language, and the settings (read when a command needs them,
    so `version` and `--help` never load pydantic or the database layer)."""

    lang: str
    db_url_option: str | None
    _: Translate
    ngettext: Plural

    @cached_property
    def settings(self) -> "Settings":
        return load_settings(self._, self.lang, self.db_url_option)

    @contextmanager
    def engine(self, *, read_only: bool = False) -> Iterator["Engine"]:
        """An engine for the configured database; database failures become a one-line message.

        `read_only`: a missing SQLite file is reported instead of created."""
        from models import db
        from nhacviec.failures import NO_DATABASE

        with self.database_errors():
            path = db.sqlite_file(self.settings.db_url)
            if read_only and path is not None and not path.is_file():
                fail(self._, self._(NO_DATABASE).format(path=path))
            engine = db.make_engine(self.settings.db_url)
            try:
                yield engine
            finally:
                engine.dispose()

    @contextmanager
    def database_errors(self) -> Iterator[None]:
        """A bad database URL or a database failure becomes one line (the password hidden)."""
        from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

        from models import db
        from nhacviec.failures import database_reason

        _ = self._
        try:
            yield
        except (ArgumentError, NoSuchModuleError):
            fail(_, _("The database address is not valid: use e.g. sqlite:///data/nhacviec.db"))
        except DBAPIError as error:
            url = db.display_url(self.settings.db_url)
            fail(_, _("Cannot use the database {url}: {reason}").format(url=url, reason=database_reason(_, error)))

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator["Session"]:
        """A migrated database and one transaction; database failures become a one-line message (the
        transaction is rolled back first, so nothing is half written).

        `read_only` commands neither create nor migrate a database: a missing file or an older schema
        is reported instead, with the command that fixes it."""
        from models import db

        with self.engine(read_only=read_only) as engine:
            if read_only:
                self.require_current_schema(engine)
            else:
                db.upgrade(engine)
            with db.session_scope(engine) as session:
                yield session

    def require_current_schema(self, engine: "Engine") -> None:
        from models import db

        current, head = db.current_revision(engine), db.head_revision()
        if current is None:
            fail(
                self._,
                self._("The database {url} has no tables yet: run nhacviec db upgrade.").format(
                    url=db.display_url(self.settings.db_url)
                ),
            )
        if current != head:
            fail(
                self._,
                self._(
                    "The database {url} has an older structure (revision {current}, this version needs {head}): "
                    "run nhacviec db upgrade."
                ).format(url=db.display_url(self.settings.db_url), current=current, head=head),
            )


def load_settings(_: Translate, lang: str, db_url: str | None) -> "Settings":
    from pydantic import ValidationError

    from nhacviec.settings import Settings

    overrides: dict[str, str] = {"locale": lang}
    if db_url:
        overrides["db_url"] = db_url
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        # Name the setting, never echo its value: it may be a token.
        names = ", ".join("NHACVIEC_" + str(e["loc"][0]).upper() for e in error.errors() if e["loc"])
        fail(_, _("Invalid setting {names}; check the environment or the .env file.").format(names=names))


def fail(_: Translate, message: str) -> NoReturn:
    import typer

    typer.echo(_("Error: {message}").format(message=message), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def user_message(_: Translate, error: "UserFacingError") -> str:
    return _(error.message).format(**error.params)


def actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no user name in some containers; the audit still needs a who
        return "cli"


def now_utc() -> datetime:
    return datetime.now(UTC)


def parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def require_date(_: Translate, text: str) -> date:
    day = parse_date(text)
    if day is None:
        fail(_, _("Invalid date {text}: write it as YYYY-MM-DD, e.g. 2025-09-15.").format(text=text))
    return day


def require_horizon(_: Translate, year: int | None, issued: date | None = None) -> int | None:
    if year is not None and not 2000 <= year <= 2100:
        fail(_, _("Invalid horizon year {year}: it must be between 2000 and 2100.").format(year=year))
    if year is not None and issued is not None and year < issued.year:
        fail(_, _("The horizon year {year} is before the issue year {issued}.").format(year=year, issued=issued.year))
    return year


def require_span(_: Translate, text: str) -> int:
    days = parse_span(text)
    if days is None:
        fail(_, _("Invalid span {text}: write it like 90d, 12w or 3m.").format(text=text))
    return days


def _lang_from_args(args: Sequence[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


GLOBAL_OPTIONS = ("--db", "--lang")


def global_options_first(args: Sequence[str]) -> list[str]:
    """`--db URL` and `--lang en` may come anywhere (`nhacviec units list --db …`): they are moved in
    front of the command, where the root reads them. Nothing after `--` moves."""
    moved: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in GLOBAL_OPTIONS and index + 1 < len(args):
            moved.extend(args[index : index + 2])
            index += 2
            continue
        if arg.startswith(tuple(option + "=" for option in GLOBAL_OPTIONS)):
            moved.append(arg)
        else:
            rest.append(arg)
        index += 1
    return moved + rest


def configured_locale() -> str:
    """NHACVIEC_LOCALE from the environment or .env, as Settings reads it; pydantic is loaded only when
    a .env file may hold it, so `version` and `--help` stay quick."""
    for name, value in os.environ.items():
        if name.upper() == "NHACVIEC_LOCALE":  # pydantic-settings matches names case-insensitively
            return value
    if not Path(".env").is_file():
        return DEFAULT_LOCALE
    from pydantic import ValidationError

    from nhacviec.settings import Settings

    try:
        return Settings().locale
    except ValidationError:
        return DEFAULT_LOCALE  # the command itself reports the bad setting, in Vietnamese


def _codes(codes: Sequence[str], _: Translate) -> str:
    shown = ", ".join(codes[:CODES_SHOWN])
    if len(codes) > CODES_SHOWN:
        shown += " " + _("and {count} more").format(count=len(codes) - CODES_SHOWN)
    return shown


def import_report_lines(result: "ImportResult", source: str, _: Translate) -> list[str]:
    outcome, planning = result.outcome, result.planning
    if outcome.unchanged:
        lines = [
            _("Plan {code} is unchanged ({tasks} tasks in the plan's table): nothing to do.").format(
                code=outcome.plan_code, tasks=outcome.tasks
            )
        ]
    else:
        lines = [_("Imported plan {code} from {source}.").format(code=outcome.plan_code, source=source)]
    lines.append(
        _("Sections: {sections} · Tasks in the plan's table: {tasks} · Units: {units}").format(
            sections=outcome.sections, tasks=outcome.tasks, units=outcome.units
        )
    )
    if not outcome.unchanged:
        lines.append(
            _("Added: {added} · Changed: {changed} · Archived: {removed}").format(
                added=len(outcome.added), changed=len(outcome.changed), removed=len(outcome.removed)
            )
        )
        if outcome.added and not outcome.plan_created:
            lines.append("  " + _("added: {codes}").format(codes=_codes(outcome.added, _)))
        if outcome.changed:
            lines.append("  " + _("changed: {codes}").format(codes=_codes(outcome.changed, _)))
        if outcome.removed:
            lines.append("  " + _("archived: {codes}").format(codes=_codes(outcome.removed, _)))
    if outcome.new_units:
        lines.append(_("New units ({count}):").format(count=len(outcome.new_units)))
        lines.extend(f"  - {name}" for name in outcome.new_units)
    if outcome.near_duplicates:
        lines.append(_("Please confirm, these may be the same unit:"))
        why_words = {
            "diacritics": _("differ only in diacritics"),
            "abbreviation": _("one is an abbreviation"),
            "spelling": _("nearly the same spelling"),
        }
        for pair in outcome.near_duplicates:
            lines.append(
                "  - "
                + _('«{name}» ~ «{other}» ({why}); to merge: nhacviec units merge "{name}" "{other}"').format(
                    name=pair.name, other=pair.other, why=why_words.get(pair.why, pair.why)
                )
            )
    if planning.added or planning.archived or planning.restored:
        lines.append(
            _("Deadlines and check-ins: {added} new, {archived} archived, {restored} restored").format(
                added=planning.added, archived=planning.archived, restored=planning.restored
            )
        )
    if planning.needs_date:
        lines.append(
            _("Tasks that need a date (their time text could not be read): {codes}").format(
                codes=", ".join(planning.needs_date)
            )
        )
    if planning.awaiting_event:
        lines.append(
            _("Tasks waiting for an outside event (record it with nhacviec event record): {codes}").format(
                codes=", ".join(planning.awaiting_event)
            )
        )
    for code in result.obligations_accepted:
        lines.append(_("Plan-wide duty accepted as task {code}.").format(code=code))
    if result.obligations_proposed and not result.obligations_accepted:
        lines.append(
            _("Plan-wide duties found in the text ({times}); to accept: nhacviec plan obligations --accept").format(
                times="; ".join(result.obligations_proposed)
            )
        )
    if outcome.skipped:
        lines.append(_("Rows skipped: {count}").format(count=len(outcome.skipped)))
        for row in outcome.skipped:
            reason = _(row.reason).format(**row.params)
            lines.append("  - " + _("line {line}: {reason}").format(line=row.line, reason=reason))
    else:
        lines.append(_("Rows skipped: {count}").format(count=0))
    return lines


SPAN = re.compile(r"^\s*(\d{1,4})\s*(d|ngày|ngay|w|tuần|tuan|m|tháng|thang)?\s*$", re.IGNORECASE)
SPAN_DAYS = {"d": 1, "ngày": 1, "ngay": 1, "w": 7, "tuần": 7, "tuan": 7, "m": 30, "tháng": 30, "thang": 30}


def parse_span(text: str) -> int | None:
    """ "90d", "90 ngày", "12w", "3 tháng" (30 days each) or a bare number of days."""
    match = SPAN.match(text)
    if match is None:
        return None
    return int(match.group(1)) * SPAN_DAYS[(match.group(2) or "d").lower()]


def event_lines(event: "EventView", _: Translate, locale: str) -> list[str]:
    from domain.dates import day_with_weekday, short_day

    return [
        _("Event {id}: {description}").format(id=event.id, description=event.description),
        "  "
        + _("happened on {date}; due {days} days later: {due}").format(
            date=short_day(event.occurred_on), days=event.due_in_days, due=day_with_weekday(event.due, locale)
        ),
        "  " + _("tasks: {codes}").format(codes=", ".join(event.tasks)),
    ]


def add_outbox_commands(app: "typer.Typer", _: Translate) -> None:
    """`nhacviec outbox` (counts, the oldest waiting, recent failures) and `nhacviec outbox retry`."""
    import typer

    outbox_app = typer.Typer(
        help=_("The outbox: messages by state, the oldest waiting, recent failures."), invoke_without_command=True
    )
    app.add_typer(outbox_app, name="outbox")

    @outbox_app.callback()
    def outbox_command(
        ctx: typer.Context,
        failures: Annotated[int, typer.Option("--failures", help=_("How many recent failures to show."))] = 10,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from scheduler.delivery.outbox import stats, stats_lines

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            summary = stats(session, now=now_utc(), failures=max(0, failures))
        for line in stats_lines(summary, c._, c.settings.tz):
            typer.echo(line)

    @outbox_app.command("retry", help=_("Queue failed messages again (all, or one with --id) once the cause is fixed."))
    def outbox_retry(
        ctx: typer.Context,
        row_id: Annotated[int | None, typer.Option("--id", help=_("Only this message (its # in the outbox)."))] = None,
    ) -> None:
        from scheduler.delivery.outbox import requeue_failed

        c: Context = ctx.obj
        _ = c._
        with c.session() as session:
            requeued = requeue_failed(session, ids=None if row_id is None else [row_id])
        if requeued:
            numbers = ", ".join(f"#{number}" for number in requeued)
            typer.echo(_("Queued {count} failed messages again: {ids}.").format(count=len(requeued), ids=numbers))
        elif row_id is not None:
            fail(_, _("Message #{id} is not a failed message of the outbox.").format(id=row_id))
        else:
            typer.echo(_("No failed messages."))


def build_app(lang: str = "vi") -> "typer.Typer":
    """The whole command tree, with help texts in `lang` (Typer reads help when commands are defined)."""
    import typer

    _ = translator(lang)
    app = typer.Typer(
        name="nhacviec",
        help=_("nhacviec: reminders, progress replies and summaries for an implementation plan."),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    plan_app = typer.Typer(help=_("The plan's task registry."), no_args_is_help=True)
    units_app = typer.Typer(help=_("Units: list, aliases, merge."), no_args_is_help=True)
    alias_app = typer.Typer(help=_("Other names of a unit."), no_args_is_help=True)
    db_app = typer.Typer(help=_("The database."), no_args_is_help=True)
    app.add_typer(plan_app, name="plan")
    app.add_typer(units_app, name="units")
    units_app.add_typer(alias_app, name="alias")
    app.add_typer(db_app, name="db")
    invite_app = typer.Typer(help=_("Invite codes for people and group chats."), no_args_is_help=True)
    reply_app = typer.Typer(help=_("The progress-reply language."), no_args_is_help=True)
    app.add_typer(invite_app, name="invite")
    app.add_typer(reply_app, name="reply")
    schedule_app = typer.Typer(help=_("The schedule language of time texts."), no_args_is_help=True)
    event_app = typer.Typer(help=_("Outside events that tasks wait for."), no_args_is_help=True)
    app.add_typer(schedule_app, name="schedule")
    app.add_typer(event_app, name="event")

    @app.callback()
    def root(
        ctx: typer.Context,
        db_url: Annotated[
            str | None, typer.Option("--db", help=_("Database URL (default: NHACVIEC_DB_URL or ./data)."))
        ] = None,
        lang_option: Annotated[str | None, typer.Option("--lang", help=_("Language of messages: vi or en."))] = None,
    ) -> None:
        chosen = lang_option or lang
        if chosen not in SUPPORTED:
            fail(_, _("Unknown language {lang}: use vi or en.").format(lang=chosen))
        ctx.obj = Context(lang=chosen, db_url_option=db_url, _=translator(chosen), ngettext=plural_translator(chosen))

    @app.command("version", help=_("Print the version."))
    def version(ctx: typer.Context) -> None:
        typer.echo(f"nhacviec {__version__}")

    @db_app.command("upgrade", help=_("Apply the database migrations."))
    def db_upgrade(ctx: typer.Context) -> None:
        from models import db

        c: Context = ctx.obj
        with c.engine() as engine:
            db.upgrade(engine)
            revision = db.current_revision(engine)
        typer.echo(c._("The database is up to date (revision {revision}).").format(revision=revision))

    @app.command(
        "backup", help=_("Back up the database to a file (SQLite: safe while the service runs; PostgreSQL: pg_dump).")
    )
    def backup_command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help=_("The backup file to write."), show_default=False)],
    ) -> None:
        from models.db import display_url
        from models.errors import UserFacingError
        from nhacviec.backup import backup
        from nhacviec.failures import os_reason

        c: Context = ctx.obj
        _ = c._
        with c.database_errors():
            try:
                backup(c.settings.db_url, path)
            except UserFacingError as error:
                fail(_, user_message(_, error))
            except OSError as error:
                fail(_, _("Cannot write {path}: {reason}").format(path=path, reason=os_reason(_, error)))
        typer.echo(_("Backed up {url} to {path}.").format(url=display_url(c.settings.db_url), path=path))

    @app.command(
        "restore",
        help=_("Restore a backup into the database (refused if it holds data, unless --force), then migrate it."),
    )
    def restore_command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help=_("The backup file to read."), show_default=False)],
        force: Annotated[bool, typer.Option("--force", help=_("Replace a database that holds data."))] = False,
    ) -> None:
        from models.db import display_url
        from models.errors import UserFacingError
        from nhacviec.backup import restore
        from nhacviec.failures import os_reason

        c: Context = ctx.obj
        _ = c._
        with c.database_errors():
            try:
                revision = restore(c.settings.db_url, path, force=force)
            except UserFacingError as error:
                fail(_, user_message(_, error))
            except OSError as error:
                fail(_, _("Cannot read {path}: {reason}").format(path=path, reason=os_reason(_, error)))
        typer.echo(
            _("Restored {path} into {url} (revision {revision}).").format(
                path=path, url=display_url(c.settings.db_url), revision=revision
            )
        )

    @plan_app.command("import", help=_("Import a plan document (.txt, .docx, .xlsx, .csv) into the registry."))
    def plan_import(
        ctx: typer.Context,
        path: Annotated[Path | None, typer.Argument(help=_("The plan file."), show_default=False)] = None,
        bundled: Annotated[bool, typer.Option("--bundled", help=_("Import the bundled Quảng Ngãi plan."))] = False,
        code: Annotated[str | None, typer.Option("--code", help=_("The plan's code (default: its number)."))] = None,
        horizon: Annotated[int | None, typer.Option("--horizon", help=_("The last year of the plan."))] = None,
        issued: Annotated[str | None, typer.Option("--issued", help=_("Issue date, YYYY-MM-DD."))] = None,
    ) -> None:
        from importer.document import PlanImportError
        from importer.read import read_plan
        from importer.store import PlanOverrides, import_plan
        from nhacviec.bundled import bundled_plan_path

        c: Context = ctx.obj
        _ = c._
        if bundled == (path is not None):
            fail(_, _("Give either a file or --bundled."))
        issued_date = require_date(_, issued) if issued is not None else None
        require_horizon(_, horizon, issued_date)
        if code is not None and not 1 <= len(code.strip()) <= MAX_PLAN_CODE:
            fail(_, _("The plan code must be 1 to {limit} characters long.").format(limit=MAX_PLAN_CODE))
        source = bundled_plan_path() if bundled else path
        assert source is not None
        try:
            document = read_plan(source)
        except PlanImportError as error:
            fail(_, user_message(_, error))
        require_horizon(_, horizon or document.metadata.horizon_year, issued_date or document.metadata.issued)
        overrides = PlanOverrides(code=code, issued=issued_date, horizon_year=horizon)
        with c.session() as session:
            # The bundled plan is ours: its reporting duty (every unit before 15/11) needs no confirmation.
            result = import_plan(session, document, overrides, actor=actor(), now=now_utc(), accept_obligations=bundled)
        for line in import_report_lines(result, source.name, _):
            typer.echo(line)

    @plan_app.command("show", help=_("Show a plan's registry."))
    def plan_show(
        ctx: typer.Context,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    ) -> None:
        from models.errors import UserFacingError
        from models.queries import load_registry
        from reports.registry import registry_json, registry_lines

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            try:
                view = load_registry(session, plan)
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        if as_json:
            typer.echo(json.dumps(registry_json(view), ensure_ascii=False, indent=2))
        else:
            typer.echo("\n".join(registry_lines(view, c._)))

    @plan_app.command("occurrences", help=_("List the deadlines and check-ins of a plan or a task."))
    def plan_occurrences_command(
        ctx: typer.Context,
        task: Annotated[str | None, typer.Option("--task", help=_("Only this task, e.g. II.3."))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from domain.dates import day_with_weekday
        from models.errors import UserFacingError
        from models.queries import list_occurrences
        from scheduler.timing.periods import period_label
        from scheduler.timing.planning import period_of

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            try:
                occurrences = list_occurrences(session, plan, task)
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        if not occurrences:
            typer.echo(c._("No deadlines yet (tasks waiting for an event get theirs when it is recorded)."))
        for o in occurrences:
            label = period_label(period_of(o.period_kind, o.period_year, o.period_index, o.due), c.settings.locale)
            kind = c._("check-in") if o.checkin else c._("deadline")
            typer.echo(f"{o.task:<10} {day_with_weekday(o.due, c.settings.locale):<24} {kind:<10} {label}")

    @plan_app.command("obligations", help=_("Plan-wide duties found in the plan's text; --accept makes them tasks."))
    def plan_obligations(
        ctx: typer.Context,
        accept: Annotated[bool, typer.Option("--accept", help=_("Accept the proposed duties."))] = False,
        ids: Annotated[list[int] | None, typer.Option("--id", help=_("Only this proposal (may be repeated)."))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from importer.obligations_store import accept_obligations, list_obligations
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.timing.planning import plan_occurrences

        c: Context = ctx.obj
        _ = c._
        with c.session() as session:
            try:
                target = find_plan(session, plan)
                if accept:
                    created = accept_obligations(session, target, ids or None, actor=actor(), now=now_utc())
                    plan_occurrences(session, target, now=now_utc())
                    for code in created:
                        typer.echo(_("Plan-wide duty accepted as task {code}.").format(code=code))
                    if not created:
                        typer.echo(_("No proposed duty is waiting for acceptance."))
                obligations = list_obligations(session, target)
            except UserFacingError as error:
                fail(_, user_message(_, error))
        if not obligations:
            typer.echo(_("No plan-wide duty was found in the plan's text."))
        for o in obligations:
            state = (
                _("accepted as task {code}").format(code=o.task_code)
                if o.task_code
                else _("proposed, waiting for acceptance")
            )
            typer.echo(f"{o.id}. [{state}] {o.time_text}")
            typer.echo("   " + o.sentence)

    @plan_app.command("list", help=_("List the plans."))
    def plan_list(ctx: typer.Context) -> None:
        from models.queries import list_plans
        from reports.registry import plan_header_lines

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            plans = list_plans(session)
        if not plans:
            typer.echo(c._("There is no plan yet. Import one with: nhacviec plan import PATH"))
        for summary in plans:
            typer.echo("\n".join(plan_header_lines(summary, c._)))
            from reports.registry import plan_count_line

            typer.echo("  " + plan_count_line(summary, c._))

    @units_app.command("list", help=_("List the units with their aliases and tasks."))
    def units_list(ctx: typer.Context) -> None:
        from models.queries import list_units

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            units = list_units(session)
        if not units:
            typer.echo(c._("No units yet: they come with the plan import."))
        for unit in units:
            kind = c._("group") if unit.kind == "group" else c._("unit")
            typer.echo(
                c._("{id}. {name} ({kind}) — lead {lead}, coordinating {coordinating}").format(
                    id=unit.id,
                    name=unit.name,
                    kind=kind,
                    lead=unit.lead_tasks,
                    coordinating=unit.coordinating_tasks,
                )
            )
            if unit.aliases:
                typer.echo("    " + c._("also called: {aliases}").format(aliases="; ".join(unit.aliases)))

    @alias_app.command("add", help=_("Add another name for a unit."))
    def units_alias_add(
        ctx: typer.Context,
        alias: Annotated[str, typer.Argument(help=_("The other name."))],
        unit: Annotated[str, typer.Argument(help=_("The unit: its name, an alias or its number."))],
    ) -> None:
        from models.errors import UserFacingError
        from models.unit_admin import add_alias

        c: Context = ctx.obj
        with c.session() as session:
            try:
                target = add_alias(session, alias, unit, actor=actor(), now=now_utc())
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        typer.echo(c._("«{alias}» now means «{unit}».").format(alias=" ".join(alias.split()), unit=target.name))

    @units_app.command("merge", help=_("Merge a unit into another (its tasks and names move)."))
    def units_merge(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help=_("The unit to fold in."))],
        target: Annotated[str, typer.Argument(help=_("The unit that stays."))],
    ) -> None:
        from models.errors import UserFacingError
        from models.unit_admin import merge_units

        c: Context = ctx.obj
        with c.session() as session:
            try:
                kept = merge_units(session, source, target, actor=actor(), now=now_utc())
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        typer.echo(c._("Merged «{source}» into «{target}».").format(source=source.strip(), target=kept.name))

    @app.command("run", help=_("Run the service (with no token: the local sandbox)."))
    def run(
        ctx: typer.Context,
        role: Annotated[
            str, typer.Option("--role", help=_("all (default), bot (no dispatcher) or worker (dispatcher only)."))
        ] = "all",
    ) -> None:
        import asyncio

        from nhacviec.bundled import BUNDLED_PLAN
        from nhacviec.failures import start_failure
        from nhacviec.service import prepare_database, serve

        c: Context = ctx.obj
        _ = c._
        if role not in ("all", "bot", "worker"):
            fail(_, _("Unknown role {role}: use all, bot or worker.").format(role=role))
        with c.engine() as engine:
            result = prepare_database(engine, actor())
        if result is not None:
            for line in import_report_lines(result, BUNDLED_PLAN, _):
                typer.echo(line)
        try:
            asyncio.run(serve(c.settings, _, typer.echo, role))
        except Exception as error:
            # The database, Telegram or the sandbox's port failing at start: one line and exit 2, as
            # for any other bad input (issue 24); anything else is a bug and keeps its traceback.
            message = start_failure(_, error, c.settings)
            if message is None:
                raise
            fail(_, message)

    @schedule_app.command("parse", help=_("Read a time text into schedules and deadlines."))
    def schedule_parse(
        ctx: typer.Context,
        text: Annotated[str, typer.Argument(help=_('The time text, e.g. "Quý IV năm 2025".'))],
        issued: Annotated[str, typer.Option("--issued", help=_("Issue date, YYYY-MM-DD."))],
        horizon: Annotated[int | None, typer.Option("--horizon", help=_("The last year of the plan."))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    ) -> None:
        from domain.dates import short_day
        from scheduler.timing.periods import deadline_dates
        from scheduler.timing.schedule_language import parse_time_text
        from scheduler.timing.schedules import schedule_to_json

        c: Context = ctx.obj
        _ = c._
        # The issue date is required: a default of "today" would make the answer depend on the day.
        issued_date = require_date(_, issued)
        require_horizon(_, horizon, issued_date)
        parsed = parse_time_text(text, issued_date, horizon)
        deadlines = deadline_dates(parsed.schedules, issued_date, horizon)
        if as_json:
            # Public contract (outside checks use it): keep the keys and shapes exactly.
            payload = {
                "text": text,
                "needs_date": parsed.needs_date,
                "schedules": [schedule_to_json(s) for s in parsed.schedules],
                "occurrences": [d.isoformat() for d in deadlines],
            }
            typer.echo(json.dumps(payload, ensure_ascii=False))
            return
        if parsed.needs_date:
            typer.echo(_('Could not read a date from this text; the task will be flagged "needs a date".'))
        for schedule in parsed.schedules:
            typer.echo("  " + json.dumps(schedule_to_json(schedule), ensure_ascii=False))
        if deadlines:
            typer.echo(_("Deadlines: {dates}").format(dates=", ".join(short_day(d) for d in deadlines)))

    @event_app.command("record", help=_("Record an outside event; its tasks get a deadline after it."))
    def event_record(
        ctx: typer.Context,
        description: Annotated[str, typer.Argument(help=_("What happened."))],
        tasks: Annotated[str, typer.Option("--tasks", help=_("Task codes, comma-separated."))],
        on: Annotated[str, typer.Option("--date", help=_("When it happened, YYYY-MM-DD."))],
        due_in: Annotated[
            str | None,
            typer.Option("--due-in", help=_("Span to the deadline, e.g. 90d (default: the plan's).")),
        ] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.timing.events import record_event

        c: Context = ctx.obj
        _ = c._
        occurred_on = require_date(_, on)
        days = require_span(_, due_in) if due_in is not None else None
        with c.session() as session:
            try:
                event = record_event(
                    session,
                    find_plan(session, plan),
                    description,
                    occurred_on,
                    tasks.split(","),
                    due_in_days=days,
                    actor=actor(),
                    now=now_utc(),
                )
            except UserFacingError as error:
                fail(_, user_message(_, error))
        typer.echo(_("Recorded."))
        typer.echo("\n".join(event_lines(event, _, c.settings.locale)))

    @event_app.command("list", help=_("List the recorded events."))
    def event_list(
        ctx: typer.Context,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.timing.events import list_events

        c: Context = ctx.obj
        with c.session(read_only=True) as session:
            try:
                events = list_events(session, find_plan(session, plan))
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        if not events:
            typer.echo(c._("No events recorded yet."))
        for event in events:
            typer.echo("\n".join(event_lines(event, c._, c.settings.locale)))

    @event_app.command("correct", help=_("Correct a recorded event."))
    def event_correct(
        ctx: typer.Context,
        event_id: Annotated[int, typer.Argument(help=_("The event's number in the list."))],
        description: Annotated[str | None, typer.Option("--text", help=_("What happened."))] = None,
        on: Annotated[str | None, typer.Option("--date", help=_("When it happened, YYYY-MM-DD."))] = None,
        due_in: Annotated[str | None, typer.Option("--due-in", help=_("Span to the deadline, e.g. 90d."))] = None,
        tasks: Annotated[str | None, typer.Option("--tasks", help=_("Task codes, comma-separated."))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.timing.events import correct_event

        c: Context = ctx.obj
        _ = c._
        occurred_on = require_date(_, on) if on is not None else None
        days = require_span(_, due_in) if due_in is not None else None
        with c.session() as session:
            try:
                event = correct_event(
                    session,
                    find_plan(session, plan),
                    event_id,
                    description=description,
                    occurred_on=occurred_on,
                    due_in_days=days,
                    task_codes=tasks.split(",") if tasks is not None else None,
                    actor=actor(),
                    now=now_utc(),
                )
            except UserFacingError as error:
                fail(_, user_message(_, error))
        typer.echo(_("Corrected."))
        typer.echo("\n".join(event_lines(event, _, c.settings.locale)))

    @invite_app.command("create", help=_("Create an invite code for a unit and a role."))
    def invite_create(
        ctx: typer.Context,
        role: Annotated[str, typer.Option("--role", help=_("staff, unit_lead, monitor or admin."))],
        unit: Annotated[
            str | None, typer.Option("--unit", help=_("The unit: its name, an alias or its number."))
        ] = None,
        uses: Annotated[int, typer.Option("--uses", help=_("How many people may use it."))] = 1,
        expires: Annotated[str, typer.Option("--expires", help=_("How long it stays valid, e.g. 14d."))] = "14d",
    ) -> None:
        from bot.conversation import ROLE_WORDS
        from domain.dates import day_with_weekday
        from domain.invites import create_invite, how_to_use
        from models import Role
        from models.errors import UserFacingError

        c: Context = ctx.obj
        _ = c._
        try:
            chosen_role = Role(role)
        except ValueError:
            fail(_, _("Unknown role {role}: use staff, unit_lead, monitor or admin.").format(role=role))
        valid_for = timedelta(days=require_span(_, expires))
        with c.session() as session:
            try:
                invite = create_invite(
                    session,
                    unit_name=unit,
                    role=chosen_role,
                    uses=uses,
                    valid_for=valid_for,
                    actor=actor(),
                    now=now_utc(),
                )
            except UserFacingError as error:
                fail(_, user_message(_, error))
        typer.echo(_("Invite code: {code}").format(code=invite.code))
        typer.echo(
            _("For {unit}, role {role}, {uses}, valid until {date}.").format(
                unit=invite.unit or _("the whole plan"),
                role=_(ROLE_WORDS[chosen_role]),
                uses=c.ngettext("{count} use", "{count} uses", invite.uses).format(count=invite.uses),
                date=day_with_weekday(invite.expires_at.astimezone(c.settings.tz).date(), c.settings.locale)
                if invite.expires_at
                else "-",
            )
        )
        typer.echo(
            _("Telegram link: https://t.me/{bot}?start={code}").format(
                bot=c.settings.telegram_bot_username, code=invite.code
            )
        )
        typer.echo(how_to_use(_, invite))

    @reply_app.command("parse", help=_("Read a progress reply into a status, percent and reason."))
    def reply_parse(
        ctx: typer.Context,
        text: Annotated[str, typer.Argument(help=_('The reply, e.g. "đã trình lãnh đạo Sở, đạt 80%".'))],
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    ) -> None:
        from domain.progress_language import parse_progress, reading_to_json

        c: Context = ctx.obj
        reading = parse_progress(text)
        if as_json:
            # Public contract (outside checks use it): {"status", "percent", "reason"} exactly.
            typer.echo(json.dumps(reading_to_json(reading), ensure_ascii=False))
            return
        payload = reading_to_json(reading)
        typer.echo(
            c._("status: {status}; percent: {percent}; reason: {reason}").format(
                status=payload["status"],
                percent="-" if payload["percent"] is None else payload["percent"],
                reason=payload["reason"] or "-",
            )
        )

    @app.command(
        "calendar",
        help=_(
            "The working calendar: 'calendar YEAR' lists the days off; 'calendar add-off DATE REASON', "
            "'calendar add-workday DATE' and 'calendar remove DATE' record the government's day swaps."
        ),
    )
    def calendar(
        ctx: typer.Context,
        what: Annotated[str, typer.Argument(help=_("A year, or add-off, add-workday, remove."))],
        rest: Annotated[list[str] | None, typer.Argument(help=_("The date (YYYY-MM-DD) and the reason."))] = None,
    ) -> None:
        from domain.dates import day_with_weekday, short_day
        from models import CalendarOverrideKind
        from models.errors import UserFacingError
        from scheduler.timing.calendar_overrides import list_overrides, load_calendar, remove_override, set_override

        c: Context = ctx.obj
        _ = c._
        args = rest or []
        if what.isdigit():
            year = int(what)
            if not 2000 <= year <= 2100 or args:
                fail(_, _("Usage: nhacviec calendar YEAR, e.g. nhacviec calendar 2026"))
            with c.session() as session:
                working = load_calendar(session)
                overrides = list_overrides(session, year)
            days_off = working.days_off(year)
            typer.echo(_("Days off in {year} ({count}):").format(year=year, count=len(days_off)))
            for day, name in days_off:
                typer.echo(f"  {day_with_weekday(day, c.settings.locale)}  {name}")
            weekend_work = working.weekend_working_days(year)
            if weekend_work:
                typer.echo(_("Weekend working days:"))
                for day in weekend_work:
                    typer.echo(f"  {day_with_weekday(day, c.settings.locale)}")
            if overrides:
                typer.echo(
                    _("Recorded by an admin: {dates}").format(dates=", ".join(short_day(o.day) for o in overrides))
                )
            return
        actions = {"add-off": CalendarOverrideKind.DAY_OFF, "add-workday": CalendarOverrideKind.WORKDAY}
        if what not in (*actions, "remove") or not args:
            fail(_, _("Usage: nhacviec calendar YEAR | add-off DATE REASON | add-workday DATE | remove DATE"))
        day = require_date(_, args[0])
        reason = " ".join(args[1:])
        with c.session() as session:
            try:
                if what == "remove":
                    remove_override(session, day, actor=actor(), now=now_utc())
                else:
                    set_override(session, day, actions[what], reason, actor=actor(), now=now_utc())
            except UserFacingError as error:
                fail(_, user_message(_, error))
        messages = {
            "add-off": _("{date} is now a day off: {reason}"),
            "add-workday": _("{date} is now a working day."),
            "remove": _("The admin's change for {date} is removed."),
        }
        typer.echo(messages[what].format(date=day_with_weekday(day, c.settings.locale), reason=reason))

    reminders_app = typer.Typer(help=_("Reminders: what the policy sends, and when."), no_args_is_help=True)
    app.add_typer(reminders_app, name="reminders")

    @reminders_app.command("policy", help=_("Show or change the reminder policy of the plan, a task or a unit."))
    def reminders_policy(
        ctx: typer.Context,
        task: Annotated[str | None, typer.Option("--task", help=_("Only for this task, e.g. II.3."))] = None,
        unit: Annotated[str | None, typer.Option("--unit", help=_("Only for this unit."))] = None,
        lead_days: Annotated[
            str | None, typer.Option("--lead-days", help=_("Days before a deadline, e.g. 14,7,3,1,0."))
        ] = None,
        obligation_days: Annotated[
            str | None, typer.Option("--obligation-days", help=_("Days before a plan-wide duty, e.g. 30,15,7,3,1."))
        ] = None,
        checkin_days: Annotated[
            int | None, typer.Option("--checkin-days", help=_("Days before a quarter's end."))
        ] = None,
        overdue_every: Annotated[
            int | None, typer.Option("--overdue-every", help=_("Working days between overdue nudges."))
        ] = None,
        escalate_after: Annotated[
            int | None, typer.Option("--escalate-after", help=_("Unanswered nudges before escalating."))
        ] = None,
        send_at: Annotated[str | None, typer.Option("--send-at", help=_("Local send time, e.g. 08:30."))] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from models import Task, Unit
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.reminders.policy_admin import PolicyChange, list_policies, set_policy

        c: Context = ctx.obj
        _ = c._
        change = PolicyChange(lead_days, obligation_days, checkin_days, overdue_every, escalate_after, send_at)
        with c.session() as session:
            try:
                target = find_plan(session, plan)
                if change != PolicyChange():
                    set_policy(session, target, change, task_code=task, unit_name=unit, actor=actor(), now=now_utc())
                rows = list_policies(session, target)
            except UserFacingError as error:
                fail(_, user_message(_, error))
            if not rows:
                typer.echo(_("The plan uses the default policy: 14,7,3,1,0 days before; at 08:30 on working days."))
            for row in rows:
                scope = _("plan") if row.task_id is None and row.unit_id is None else _("override")
                task_code = session.get(Task, row.task_id).code if row.task_id else "-"  # type: ignore[union-attr]
                unit_name = session.get(Unit, row.unit_id).name if row.unit_id else "-"  # type: ignore[union-attr]
                typer.echo(
                    _(
                        "{scope} (task {task}, unit {unit}): before {lead} days; duties {duty} days; check-in "
                        "{checkin} days; overdue every {every} working days; escalate after {after}; at {at}"
                    ).format(
                        scope=scope,
                        task=task_code,
                        unit=unit_name,
                        lead=",".join(map(str, row.lead_days)),
                        duty=",".join(map(str, row.obligation_days)),
                        checkin=row.checkin_days_before,
                        every=row.overdue_every_working_days,
                        after=row.escalate_after_nudges,
                        at=row.send_at,
                    )
                )

    @reminders_app.command(
        "preview", help=_("List the reminders the policy would send between two days if nobody answered.")
    )
    def reminders_preview(
        ctx: typer.Context,
        start: Annotated[str, typer.Option("--from", help=_("First day, YYYY-MM-DD."))],
        end: Annotated[str, typer.Option("--to", help=_("Last day, YYYY-MM-DD."))],
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code (default: every plan)."))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    ) -> None:
        from domain.dates import short_day
        from models.errors import UserFacingError
        from models.queries import find_plan
        from scheduler.reminders.enqueue import preview_reminders
        from scheduler.reminders.text import preview_json, preview_lines

        c: Context = ctx.obj
        _ = c._
        first, last = require_date(_, start), require_date(_, end)
        if first > last:
            fail(
                _,
                _("The first day {start} is after the last day {end}.").format(
                    start=short_day(first), end=short_day(last)
                ),
            )
        with c.session(read_only=True) as session:
            try:
                plan_id = find_plan(session, plan).id if plan is not None else None
            except UserFacingError as error:
                fail(_, user_message(_, error))
            reminders = preview_reminders(session, first, last, plan_id=plan_id, tz=c.settings.tz)
        if as_json:
            # Public contract (outside checks use it): a list of {"at", "task", "unit", "kind", "due"} exactly.
            typer.echo(json.dumps(preview_json(reminders), ensure_ascii=False))
            return
        for line in preview_lines(reminders, first, last, c.settings.locale):
            typer.echo(line)

    add_outbox_commands(app, _)

    report_app = typer.Typer(help=_("Progress reports recorded from the command line."), no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @app.command(
        "summary",
        help=_(
            "Where the plan stands in a period: states, late and blocked tasks, units that have not reported; "
            "or the report as .docx, .xlsx or a chart."
        ),
    )
    def summary_command(
        ctx: typer.Context,
        period: Annotated[
            str | None,
            typer.Option(
                "--period",
                help=_("2026, quarter 4/2025 or month 11/2026 (default: the current reporting cycle)."),
            ),
        ] = None,
        unit: Annotated[
            str | None, typer.Option("--unit", help=_("Only this unit's tasks: its name, part of it or its number."))
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
        docx_path: Annotated[
            Path | None, typer.Option("--docx", help=_("Write the report (.docx) to this file."))
        ] = None,
        xlsx_path: Annotated[
            Path | None, typer.Option("--xlsx", help=_("Write the table (.xlsx) to this file."))
        ] = None,
        chart_path: Annotated[
            Path | None, typer.Option("--chart", help=_("Write the chart (.png) to this file."))
        ] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
        today_text: Annotated[
            str | None, typer.Option("--today", hidden=True, help=_("The day the summary is as of, YYYY-MM-DD."))
        ] = None,
    ) -> None:
        from models.errors import UserFacingError
        from models.queries import find_plan
        from nhacviec.failures import os_reason
        from reports.summary_chat import FileKind, cli_view, make_summary, render_file
        from reports.summary_text import summary_json, summary_message

        c: Context = ctx.obj
        _ = c._
        wanted: tuple[tuple[FileKind, Path | None], ...] = (
            ("docx", docx_path),
            ("xlsx", xlsx_path),
            ("png", chart_path),
        )
        files = [(kind, path) for kind, path in wanted if path is not None]
        if len(files) + as_json > 1:
            fail(_, _("Choose one of --json, --docx, --xlsx and --chart."))
        today = require_date(_, today_text) if today_text else now_utc().astimezone(c.settings.tz).date()
        with c.session(read_only=True) as session:
            try:
                target = find_plan(session, plan)
                assert target.id is not None
                view = cli_view(session, plan_id=target.id, period_text=period, unit_text=unit, today=today)
            except UserFacingError as error:
                fail(_, user_message(_, error))
            result = make_summary(
                session, view, today=today, tz=c.settings.tz, chart=bool(files) and files[0][0] == "png"
            )
        if as_json:
            # Public contract (outside checks use it): keep the keys and shapes exactly.
            typer.echo(json.dumps(summary_json(result), ensure_ascii=False))
            return
        if files:
            kind, path = files[0]
            try:
                path.write_bytes(render_file(result, kind))
            except OSError as error:
                fail(_, _("Cannot write {path}: {reason}").format(path=path, reason=os_reason(_, error)))
            typer.echo(_("Wrote {path}.").format(path=path))
            return
        typer.echo(summary_message(result, _, c.settings.locale, as_markup=False))

    @report_app.command("add", help=_("Record a unit's progress report on a task, as a chat reply would."))
    def report_add(
        ctx: typer.Context,
        task: Annotated[str, typer.Option("--task", help=_("The task's code, e.g. II.3."))],
        unit: Annotated[str, typer.Option("--unit", help=_("The reporting unit: its name or part of it."))],
        text: Annotated[str, typer.Option("--text", help=_('The reply, e.g. "đã xong".'))],
        at: Annotated[
            str | None, typer.Option("--at", help=_("When it was reported, e.g. 2026-03-15T09:30 (default: now)."))
        ] = None,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
    ) -> None:
        from domain.dates import short_day
        from models.errors import UserFacingError
        from models.queries import find_plan
        from reports.report_entry import STATUS_WORDS, add_report, parse_moment
        from scheduler.timing.periods import period_label

        c: Context = ctx.obj
        _ = c._
        moment = parse_moment(at, c.settings.tz) if at is not None else now_utc()
        if moment is None:
            fail(
                _,
                _("Invalid time {text}: write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-03-15T09:30.").format(
                    text=at
                ),
            )
        with c.session() as session:
            try:
                added = add_report(
                    session,
                    find_plan(session, plan),
                    task_code=task,
                    unit_text=unit,
                    text=text,
                    at=moment,
                    actor=actor(),
                    tz=c.settings.tz,
                )
            except UserFacingError as error:
                fail(_, user_message(_, error))
        reading = added.reading
        words = _(STATUS_WORDS[reading.status.value])
        if reading.percent is not None:
            words += f", {reading.percent} %"
        if reading.reason:
            words += f": {reading.reason}"
        typer.echo(
            _("Recorded for task {code} ({unit}), {period}, due {date}: {status}.").format(
                code=added.task_code,
                unit=added.unit,
                period=period_label(added.period, c.settings.locale),
                date=short_day(added.due),
                status=words,
            )
        )

    return app


def answers_version(args: Sequence[str]) -> bool:
    """`nhacviec [--db URL] [--lang vi|en] version`: answered before Typer loads (Typer converts a
    command's parameters with pydantic, ~0.3 s of CPU for one line). An unknown --lang still goes
    through the root, which reports it."""
    rest = [arg for arg in args if not arg.startswith(tuple(option + "=" for option in GLOBAL_OPTIONS))]
    while rest[:1] and rest[0] in GLOBAL_OPTIONS:
        rest = rest[2:]
    return rest == ["version"] and _lang_from_args(args) in (None, *SUPPORTED)


def main(argv: Sequence[str] | None = None) -> None:
    args = global_options_first(sys.argv[1:] if argv is None else argv)
    if answers_version(args):
        print(f"nhacviec {__version__}")
        sys.exit(0)
    lang = _lang_from_args(args) or configured_locale()
    if lang not in SUPPORTED:
        lang = "vi"
    import typer

    _ = translator(lang)
    try:
        code = build_app(lang)(args=args, prog_name="nhacviec", standalone_mode=False)
    except Exception as error:
        # Typer's usage errors (unknown option, a word where a number belongs …) carry an exit code and a
        # message; they are shown as one line like every other bad input, never as a usage block.
        if not hasattr(error, "format_message") or not hasattr(error, "exit_code"):
            raise
        typer.echo(
            _("Error: {message}").format(
                message=_("wrong command or option ({detail}); see: nhacviec --help").format(
                    detail=error.format_message()
                )
            ),
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if isinstance(code, int) else 0)
