"""What went wrong, in the reader's language: operating-system, database and chat platforms' errors become
short reasons for the one-line messages of the command line.

The libraries' own texts are English ("No such file or directory", "Connection refused", "attempt to
write a readonly database"); the common cases get a translated reason, anything else keeps the
library's first line. Pure functions: no database, no network, nothing imported until asked.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from locales import N_
from locales.catalogs import Translate

if TYPE_CHECKING:
    from nhacviec.settings import Settings

NO_DATABASE = N_("There is no database at {path}: import a plan (nhacviec plan import) or run nhacviec db upgrade.")


class ListenError(Exception):
    """The address is taken or not this machine's: a setting to fix, not a crash. Defined here, not in
    ops_server, so that catching it does not load aiohttp."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"cannot listen on {address}: {reason}")
        self.address = address
        self.reason = reason


_OS_REASONS = {
    errno.ENOENT: N_("the file or folder does not exist"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EADDRINUSE: N_("the address is already in use"),
    errno.ECONNREFUSED: N_("the connection was refused"),
}

# Lower-case pieces of database drivers' messages (psycopg, sqlite3) and what they mean; the first that
# fits wins, so the more precise come first.
_DB_REASONS = (
    (("database", "does not exist"), N_("the database does not exist")),
    (("password authentication failed",), N_("the user name or password was refused")),
    (("role", "does not exist"), N_("the user name or password was refused")),
    (("connection refused",), N_("the server does not answer")),
    (("could not translate host name",), N_("the server's name is unknown")),
    (("name or service not known",), N_("the server's name is unknown")),
    (("timeout expired",), N_("the server does not answer")),
    (("readonly database",), N_("the database file is read-only")),
    (("unable to open database file",), N_("the database file cannot be opened")),
    (("file is not a database",), N_("the file is not a database")),
    (("database is locked",), N_("the database is busy; try again in a moment")),
)


def os_reason(_: Translate, error: OSError) -> str:
    """Why a file or socket operation failed, e.g. "the file or folder does not exist"."""
    reason = _OS_REASONS.get(error.errno or -1)
    if reason is not None:
        return _(reason)
    return error.strerror or str(error) or type(error).__name__


def database_reason(_: Translate, error: BaseException) -> str:
    """Why the database could not be used; `error` is SQLAlchemy's DBAPIError or the driver's own."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    lowered = text.lower()
    for pieces, reason in _DB_REASONS:
        if all(piece in lowered for piece in pieces):
            return _(reason)
    return text.splitlines()[0] if text else type(original).__name__


def start_failure(_: Translate, error: BaseException, settings: Settings) -> str | None:
    """The one line `nhacviec run` ends with when the service cannot start; None for an error that is
    not a start failure (a bug, which keeps its traceback). Each chat platform names its own failures
    (a refused token, an unreachable server)."""
    # Imported here, when something already failed: `run` has loaded them by then anyway.
    from sqlalchemy.exc import DBAPIError

    from models.db import display_url
    from nhacviec.platforms import PLATFORMS

    if isinstance(error, DBAPIError):
        return _("Cannot use the database {url}: {reason}").format(
            url=display_url(settings.db_url), reason=database_reason(_, error)
        )
    for platform in PLATFORMS:
        message = platform.start_failure(_, error, settings)
        if message is not None:
            return message
    if isinstance(error, OSError):
        return _("Cannot start the service: {reason}").format(reason=os_reason(_, error))
    return None
