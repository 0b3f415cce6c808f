"""The chat platforms the service runs, one line each. Adding a platform is its folder under
bot/platforms/ (exposing `PLATFORM`, see bot/platforms/__init__.py) and one line here."""

from __future__ import annotations

from bot.platforms import ChatPlatform, telegram, zalo

PLATFORMS: tuple[ChatPlatform, ...] = (
    telegram.PLATFORM,
    zalo.PLATFORM,
)


def sandboxed(settings: object, platforms: tuple[ChatPlatform, ...] = PLATFORMS) -> bool:
    """Without any platform's token the sandbox stands in for all of them."""
    return not any(platform.has_token(settings) for platform in platforms)


def configured(
    settings: object, platforms: tuple[ChatPlatform, ...] = PLATFORMS, *, sandbox: bool
) -> list[ChatPlatform]:
    """The platforms that run: those with a token, or every one the sandbox stands in for."""
    return [platform for platform in platforms if platform.configured(settings, sandbox=sandbox)]


__all__ = ["PLATFORMS", "configured", "sandboxed"]
