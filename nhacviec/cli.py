"""The `nhacviec` command line. Wiring happens here: settings are read once and passed down."""
# No "from __future__ import annotations" here: Typer evaluates the Annotated help texts, which
# are translated inside build_app, when the commands are defined.

import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from importer.document import PlanImportError
from importer.read import read_plan
from importer.store import ImportOutcome, PlanOverrides, store_plan
from models import db
from models.errors import UserFacingError
from models.queries import list_plans, list_units, load_registry
from models.unit_admin import add_alias, merge_units
from nhacviec import __version__
from nhacviec.i18n import SUPPORTED, Translate, translator
from nhacviec.settings import Settings
from reports.registry import plan_header_lines, registry_json, registry_lines

BUNDLED_PLAN = "quang-ngai-skhcn-tdc-2025.txt"
EXIT_BAD_INPUT = 2
# How many task codes an import report names before it says "and N more".
CODES_SHOWN = 20


@dataclass(frozen=True)
class Context:
    settings: Settings
    _: Translate

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A migrated database and one transaction; connection failures become a one-line message."""
        engine = db.make_engine(self.settings.db_url)
        try:
            db.upgrade(engine)
            with db.session_scope(engine) as session:
                yield session
        except OperationalError as error:
            fail(
                self._,
                self._("Cannot use the database {url}: {reason}").format(
                    url=_safe_url(engine),
                    reason=str(error.orig).strip().splitlines()[0] if error.orig else "",
                ),
            )
        finally:
            engine.dispose()


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def fail(_: Translate, message: str) -> NoReturn:
    typer.echo(_("Error: {message}").format(message=message), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def user_message(_: Translate, error: UserFacingError) -> str:
    return _(error.message).format(**error.params)


def actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no user name in some containers; the audit still needs a who
        return "cli"


def now_utc() -> datetime:
    return datetime.now(UTC)


def bundled_plan_path() -> Path:
    return Path(str(resources.files("nhacviec") / "plans" / BUNDLED_PLAN))


def parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _lang_from_args(args: Sequence[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _codes(codes: Sequence[str], _: Translate) -> str:
    shown = ", ".join(codes[:CODES_SHOWN])
    if len(codes) > CODES_SHOWN:
        shown += " " + _("and {count} more").format(count=len(codes) - CODES_SHOWN)
    return shown


def import_report_lines(outcome: ImportOutcome, source: str, _: Translate) -> list[str]:
    if outcome.unchanged:
        lines = [
            _("Plan {code} is unchanged ({tasks} tasks): nothing to do.").format(
                code=outcome.plan_code, tasks=outcome.tasks
            )
        ]
    else:
        lines = [_("Imported plan {code} from {source}.").format(code=outcome.plan_code, source=source)]
    lines.append(
        _("Sections: {sections} · Tasks: {tasks} · Units: {units}").format(
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
    if outcome.skipped:
        lines.append(_("Rows skipped: {count}").format(count=len(outcome.skipped)))
        for row in outcome.skipped:
            reason = _(row.reason).format(**row.params)
            lines.append("  - " + _("line {line}: {reason}").format(line=row.line, reason=reason))
    else:
        lines.append(_("Rows skipped: {count}").format(count=0))
    return lines


def build_app(lang: str = "vi") -> typer.Typer:
    """The whole command tree, with help texts in `lang` (Typer reads help when commands are defined)."""
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

    @app.callback()
    def root(
        ctx: typer.Context,
        db_url: Annotated[
            str | None, typer.Option("--db", help=_("Database URL (default: NHACVIEC_DB_URL or ./data)."))
        ] = None,
        lang_option: Annotated[
            str | None, typer.Option("--lang", help=_("Language of messages: vi or en."))
        ] = None,
    ) -> None:
        chosen = lang_option or lang
        if chosen not in SUPPORTED:
            fail(_, _("Unknown language {lang}: use vi or en.").format(lang=chosen))
        overrides: dict[str, str] = {"locale": chosen}
        if db_url:
            overrides["db_url"] = db_url
        ctx.obj = Context(settings=Settings(**overrides), _=translator(chosen))  # type: ignore[arg-type]

    @app.command("version", help=_("Print the version."))
    def version(ctx: typer.Context) -> None:
        typer.echo(f"nhacviec {__version__}")

    @db_app.command("upgrade", help=_("Apply the database migrations."))
    def db_upgrade(ctx: typer.Context) -> None:
        c: Context = ctx.obj
        with c.session():
            pass
        engine = db.make_engine(c.settings.db_url)
        try:
            typer.echo(
                c._("The database is up to date (revision {revision}).").format(
                    revision=db.current_revision(engine)
                )
            )
        finally:
            engine.dispose()

    @plan_app.command(
        "import", help=_("Import a plan document (.txt, .docx, .xlsx, .csv) into the registry.")
    )
    def plan_import(
        ctx: typer.Context,
        path: Annotated[Path | None, typer.Argument(help=_("The plan file."), show_default=False)] = None,
        bundled: Annotated[
            bool, typer.Option("--bundled", help=_("Import the bundled Quảng Ngãi plan."))
        ] = False,
        code: Annotated[
            str | None, typer.Option("--code", help=_("The plan's code (default: its number)."))
        ] = None,
        horizon: Annotated[
            int | None, typer.Option("--horizon", help=_("The last year of the plan."))
        ] = None,
        issued: Annotated[str | None, typer.Option("--issued", help=_("Issue date, YYYY-MM-DD."))] = None,
    ) -> None:
        c: Context = ctx.obj
        _ = c._
        if bundled == (path is not None):
            fail(_, _("Give either a file or --bundled."))
        issued_date = None
        if issued is not None:
            issued_date = parse_date(issued)
            if issued_date is None:
                fail(
                    _, _("Invalid date {text}: write it as YYYY-MM-DD, e.g. 2025-09-15.").format(text=issued)
                )
        if horizon is not None and not 2000 <= horizon <= 2100:
            fail(_, _("Invalid horizon year {year}: it must be between 2000 and 2100.").format(year=horizon))
        source = bundled_plan_path() if bundled else path
        assert source is not None
        try:
            document = read_plan(source)
        except PlanImportError as error:
            fail(_, user_message(_, error))
        overrides = PlanOverrides(code=code, issued=issued_date, horizon_year=horizon)
        with c.session() as session:
            outcome = store_plan(session, document, overrides, actor=actor(), now=now_utc())
        for line in import_report_lines(outcome, source.name, _):
            typer.echo(line)

    @plan_app.command("show", help=_("Show a plan's registry."))
    def plan_show(
        ctx: typer.Context,
        plan: Annotated[str | None, typer.Option("--plan", help=_("The plan's code."))] = None,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
    ) -> None:
        c: Context = ctx.obj
        with c.session() as session:
            try:
                view = load_registry(session, plan)
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        if as_json:
            typer.echo(json.dumps(registry_json(view), ensure_ascii=False, indent=2))
        else:
            typer.echo("\n".join(registry_lines(view, c._)))

    @plan_app.command("list", help=_("List the plans."))
    def plan_list(ctx: typer.Context) -> None:
        c: Context = ctx.obj
        with c.session() as session:
            plans = list_plans(session)
        if not plans:
            typer.echo(c._("There is no plan yet. Import one with: nhacviec plan import PATH"))
        for summary in plans:
            typer.echo("\n".join(plan_header_lines(summary, c._)))
            typer.echo(
                "  "
                + c._("{sections} sections, {tasks} tasks").format(
                    sections=summary.sections, tasks=summary.tasks
                )
            )

    @units_app.command("list", help=_("List the units with their aliases and tasks."))
    def units_list(ctx: typer.Context) -> None:
        c: Context = ctx.obj
        with c.session() as session:
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
        c: Context = ctx.obj
        with c.session() as session:
            try:
                target = add_alias(session, alias, unit, actor=actor(), now=now_utc())
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        typer.echo(
            c._("«{alias}» now means «{unit}».").format(alias=" ".join(alias.split()), unit=target.name)
        )

    @units_app.command("merge", help=_("Merge a unit into another (its tasks and names move)."))
    def units_merge(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help=_("The unit to fold in."))],
        target: Annotated[str, typer.Argument(help=_("The unit that stays."))],
    ) -> None:
        c: Context = ctx.obj
        with c.session() as session:
            try:
                kept = merge_units(session, source, target, actor=actor(), now=now_utc())
            except UserFacingError as error:
                fail(c._, user_message(c._, error))
        typer.echo(c._("Merged «{source}» into «{target}».").format(source=source.strip(), target=kept.name))

    @app.command("run", help=_("Run the service (with no token: the local sandbox)."))
    def run(ctx: typer.Context) -> None:
        c: Context = ctx.obj
        _ = c._
        with c.session() as session:
            plans = list_plans(session)
            if not plans:
                document = read_plan(bundled_plan_path())
                outcome = store_plan(session, document, PlanOverrides(), actor=actor(), now=now_utc())
                for line in import_report_lines(outcome, BUNDLED_PLAN, _):
                    typer.echo(line)
                typer.echo("")
                plans = list_plans(session)
            view = load_registry(session, plans[0].code) if len(plans) == 1 else None
        if view is not None:
            typer.echo("\n".join(registry_lines(view, _)))
        for summary in plans if view is None else ():
            typer.echo("\n".join(plan_header_lines(summary, _)))

    return app


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_args(args) or os.environ.get("NHACVIEC_LOCALE") or "vi"
    if lang not in SUPPORTED:
        lang = "vi"
    build_app(lang)(args=args, prog_name="nhacviec")
