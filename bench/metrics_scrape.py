"""Times one Prometheus scrape of the service's /metrics on a database holding years of outbox rows.

The outbox collector reads the database at every scrape (rows by state, the oldest due row's lag,
reminder steps per day), so the scrape's cost grows with the outbox. This fills a fresh SQLite
database (or `--db URL`, an empty PostgreSQL one) with `--rows` outbox rows (default 200,000: a
department's reminders over several years, nearly all sent, a few hundred pending), then prints the
median of five scrapes after a first one. The last line:

    metrics_scrape: rows=<n> scrape_ms=<ms>

Goal: well under a second, so a scrape every 15 seconds costs the database little.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy.engine import Engine

from models import OutboxMessage, db
from nhacviec.metrics import Metrics, OutboxCollector

NOW = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PENDING = 300


def fill(engine: Engine, rows: int) -> None:
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    batch: list[dict[str, object]] = []
    with engine.begin() as connection:
        for n in range(rows):
            due = NOW - timedelta(minutes=rows - n) if n < rows - PENDING else NOW + timedelta(minutes=n % 600)
            sent = n < rows - PENDING
            batch.append(
                {
                    "idempotency_key": f"bench:{n}",
                    "platform": "telegram",
                    "chat_id": str(1000 + n % 2000),
                    "chat_kind": "private",
                    "text": f"🔔 Nhắc hạn nhiệm vụ II.{n % 40} — còn 7 ngày",
                    "buttons": [],
                    "reason": {},
                    "due_at": due,
                    "state": "sent" if sent else "pending",
                    "attempts": 0,
                    "created_at": due,
                    "sent_at": due if sent else None,
                }
            )
            if len(batch) == 5000:
                connection.execute(table.insert(), batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", default=None, help="an empty database to use (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(args.db or f"sqlite:///{folder}/metrics.db")
        db.upgrade(engine)
        fill(engine, args.rows)
        registry = CollectorRegistry()
        registry.register(OutboxCollector(engine, clock=lambda: NOW, tz=TZ))
        Metrics(registry)
        generate_latest(registry)  # the first scrape warms the connection pool and caches
        times = []
        for _ in range(5):
            started = time.perf_counter()
            generate_latest(registry)
            times.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    print(f"metrics_scrape: rows={args.rows} scrape_ms={statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
