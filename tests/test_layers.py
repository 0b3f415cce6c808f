"""Imports run one way (issue 21 item 6): every module's imports, read from its syntax tree (function-level
ones and those under `if TYPE_CHECKING:` included), go to its own part or to a layer below it.

A failure names the offending edge, `importing.module -> imported.module`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom. A part is a package or subpackage; a module belongs to the longest part its name starts with.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("nhacviec", "sandbox", "bot.platforms"),  # wiring, the sandbox, the platforms' transports and senders
    ("bot", "scheduler.reminders", "scheduler.delivery"),  # the conversation; reminders; the outbox and dispatch
    ("reports", "importer"),
    ("domain",),
    ("scheduler.timing",),
    ("models", "locales", "scheduler"),  # `scheduler` alone: its __init__, a docstring and nothing else
)
# Within a layer parts do not import each other, but for these edges (importing part, imported part).
SIDEWAYS: frozenset[tuple[str, str]] = frozenset(
    {
        ("nhacviec", "bot.platforms"),  # the wiring builds the transports and senders
        ("nhacviec", "sandbox"),  # and starts the sandbox when there is no token
        ("scheduler.reminders", "scheduler.delivery"),  # reminders are queued into the outbox
        ("models", "locales"),  # user-facing errors carry msgids
    }
)
# The sandbox stands in for the chat platforms: it must not know the service it is tested with.
SANDBOX_NEVER = ("bot", "domain", "scheduler")
# Libraries of one chat platform: only the top layer (a platform's folder, the wiring) may import them.
PLATFORM_LIBRARIES = ("telegram",)
PACKAGES = ("bot", "domain", "scheduler", "reports", "importer", "models", "locales", "nhacviec", "sandbox")

LAYER_OF = {part: index for index, parts in enumerate(LAYERS) for part in parts}


def part_of(module: str) -> str | None:
    """The longest part of LAYERS that is `module` or a package above it."""
    found = [part for part in LAYER_OF if module == part or module.startswith(part + ".")]
    return max(found, key=len) if found else None


def imports_of(module: str, source: str, *, is_package: bool, known: frozenset[str]) -> Iterator[str]:
    """Every first-party module `module` imports, wherever the import statement sits. `from a import b`
    counts as importing `a.b` when that is a module (in `known`), else `a`."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in (*PACKAGES, *PLATFORM_LIBRARIES):
                yield name


def wrong_way(importing: str, imported: str) -> bool:
    if imported.split(".")[0] in PLATFORM_LIBRARIES:
        source_part = part_of(importing)
        return source_part is None or LAYER_OF[source_part] != 0
    here, there = part_of(importing), part_of(imported)
    if here is None or there is None:
        return True  # a package outside the table has no place yet: give it one
    if here == "sandbox" and any(imported == p or imported.startswith(p + ".") for p in SANDBOX_NEVER):
        return True
    if here == there:
        return False
    if LAYER_OF[there] == LAYER_OF[here]:
        return (here, there) not in SIDEWAYS
    return LAYER_OF[there] < LAYER_OF[here]


def wrong_edges(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """`module -> imported` for each import going the wrong way; `sources` maps a module's name to its
    source and whether it is a package's __init__."""
    known = frozenset(sources)
    return sorted(
        f"{module} -> {imported}"
        for module, (source, is_package) in sources.items()
        for imported in set(imports_of(module, source, is_package=is_package, known=known))
        if wrong_way(module, imported)
    )


def project_sources() -> dict[str, tuple[str, bool]]:
    sources: dict[str, tuple[str, bool]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            sources[name] = (path.read_text(encoding="utf-8"), is_package)
    return sources


def test_every_import_goes_to_its_own_part_or_a_layer_below() -> None:
    assert wrong_edges(project_sources()) == []


def test_every_module_has_a_place_in_the_layers() -> None:
    assert [name for name in project_sources() if part_of(name) is None] == []


def test_the_checker_catches_a_function_level_import_of_the_conversation_from_the_domain() -> None:
    planted = {
        "domain.replies": ("def handle() -> None:\n    from bot.conversation import Conversation\n", False),
        "bot.conversation": ("class Conversation: ...\n", False),
    }
    assert wrong_edges(planted) == ["domain.replies -> bot.conversation"]


def test_the_checker_catches_an_import_under_type_checking() -> None:
    planted = {
        "scheduler.timing.planning": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from domain.status import Standing\n",
            False,
        )
    }
    assert wrong_edges(planted) == ["scheduler.timing.planning -> domain.status"]


def test_the_conversation_and_the_reminders_do_not_import_each_other() -> None:
    planted = {
        "bot.conversation": ("from scheduler.reminders import text\n", False),
        "scheduler.reminders.text": ("", False),
        "scheduler.reminders.enqueue": ("from scheduler.delivery.outbox import enqueue\n", False),
        "scheduler.delivery.outbox": ("from scheduler.reminders.policy import VIETNAM\n", False),
    }
    assert wrong_edges(planted) == [
        "bot.conversation -> scheduler.reminders.text",
        "scheduler.delivery.outbox -> scheduler.reminders.policy",
    ]


def test_the_checker_resolves_relative_imports() -> None:
    planted = {"reports.summary": ("from ..bot import conversation\n", False), "bot.conversation": ("", False)}
    assert wrong_edges(planted) == ["reports.summary -> bot.conversation"]


def test_the_sandbox_never_imports_the_service_it_stands_in_for() -> None:
    planted = {"sandbox.server": ("import domain.messages\nfrom models import db\n", False)}
    assert wrong_edges(planted) == ["sandbox.server -> domain.messages"]


def test_delivery_never_imports_a_platform_library() -> None:
    planted = {"scheduler.delivery.dispatcher": ("from telegram import Bot\n", False)}
    assert wrong_edges(planted) == ["scheduler.delivery.dispatcher -> telegram"]
