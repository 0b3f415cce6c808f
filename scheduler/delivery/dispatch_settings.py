"""How the outbox dispatcher paces and retries; one section of the service's settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scheduler.delivery.ratelimit import TELEGRAM_LIMITS, ZALO_LIMITS, PlatformLimits


class UnknownPlatformError(LookupError):
    """A platform the dispatcher has no send limits for: sending to it blind could get the bot banned."""

    def __init__(self, platform: str, known: list[str]) -> None:
        super().__init__(
            f"no send limits for platform {platform!r} (limits are known for {', '.join(known)}): "
            f"add them to DispatchSettings.extra_platforms before giving the dispatcher a sender for it"
        )
        self.platform = platform


class DispatchSettings(BaseModel):
    """The dispatcher's settings, part of `nhacviec.settings.Settings` (environment variables
    `NHACVIEC_DISPATCH__*`, nested limits too, e.g. `NHACVIEC_DISPATCH__TELEGRAM__OVERALL_PER_SECOND=25`)."""

    model_config = ConfigDict(frozen=True)

    # Sends that got an error are retried with backoff until this long after the first one (an outage
    # of hours must not lose a reminder); then the row is failed, `nhacviec outbox retry` requeues it.
    retry_horizon_seconds: float = 24 * 3600.0
    backoff_base_seconds: float = 30.0  # first retry after 15–30 s, then doubling…
    backoff_cap_seconds: float = 3600.0  # …up to an hour
    # Rows held for someone who blocked the bot or paused reminders go out when they can take them
    # again, unless they are older than this by then: a reminder days old was overtaken by the next step.
    held_stale_seconds: float = 3 * 24 * 3600.0
    # A due row for a platform this dispatcher has no sender for is held (with the reason, shown by
    # `nhacviec outbox`) once it is this late: another worker that has the sender may take it meanwhile.
    no_sender_grace_seconds: float = 300.0
    lease_seconds: float = 60.0  # a claimed row is this dispatcher's until then (renewed every third)
    batch_size: int = 100  # rows per claim
    max_held: int = 1000  # rows held in memory at most (waiting for their chat's limit)
    concurrency: int = 16  # requests in flight at once (the bot's connection pool must be as large)
    poll_seconds: float = 10.0  # longest sleep: rows queued by another process are seen within it
    claim_interval_seconds: float = 1.0  # while sending, how often to look for newly due rows
    hold_retry_after_seconds: float = 30.0  # a longer 429 puts the rows back in the database instead
    stop_timeout_seconds: float = 10.0  # on stop, how long sends already on their way may take
    telegram: PlatformLimits = TELEGRAM_LIMITS
    zalo: PlatformLimits = ZALO_LIMITS
    # The limits of a platform added later (its folder under bot/platforms/), by platform name.
    extra_platforms: dict[str, PlatformLimits] = Field(default_factory=dict)

    def known_platforms(self) -> list[str]:
        return sorted({"telegram", "zalo", *self.extra_platforms})

    def limits_for(self, platform: str) -> PlatformLimits:
        """The platform's limits; UnknownPlatformError when there are none (never another platform's)."""
        if platform == "telegram":
            return self.telegram
        if platform == "zalo":
            return self.zalo
        limits = self.extra_platforms.get(platform)
        if limits is None:
            raise UnknownPlatformError(platform, self.known_platforms())
        return limits
