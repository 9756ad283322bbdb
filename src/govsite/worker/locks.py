"""The per-site lock: two workers never crawl the same website at once.

PostgreSQL (the production database) gives it as a session advisory lock,
`pg_try_advisory_lock(key)`, held on a connection of its own for as long as
the job runs. Chosen over a Redis lock with an expiry because:

- it is released by the server the moment its holder dies — a SIGKILLed
  worker's socket is closed by the kernel, the backend ends, the lock goes
  (a vanished machine: TCP keepalives, set on the lock connection below) —
  so a redelivered job waits for no expiry to run out;
- nothing has to renew it: a worker paused longer than an expiry (swap, a
  long GC, a network stall) can never find that another worker took the
  site meanwhile, so "never twice at once" does not depend on timing;
- it lives where the jobs live: one service fewer to reason about when the
  broker is restarted or flushed.
Its limits: it needs a direct session (not a transaction-pooling PgBouncer)
and it is per database, which is also the scope of a survey.

The key is the site's origin (scheme, host, port), not the Site row: the
same website in two surveys, or in a survey and a monitoring schedule, is
still crawled by one worker at a time, which is what politeness asks.

On SQLite (the embedded default, one machine) an flock on a file under
GOVSITE_DATA_DIR/locks does the same, also released by the kernel on death.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

log = logging.getLogger(__name__)
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def site_origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def lock_key(url: str) -> int:
    """A signed 64-bit advisory-lock key for the site's origin."""
    digest = hashlib.blake2b(f"govsite-site:{site_origin(url)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def site_lock(url: str) -> Iterator[bool]:
    """Try to take the site's lock without waiting; yields whether it was taken, releases it on exit."""
    if connections["default"].vendor == "postgresql":
        with _advisory_lock(lock_key(url)) as held:
            yield held
    else:
        with _file_lock(lock_key(url)) as held:
            yield held


@contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    params = copy.deepcopy(connections.settings["default"])
    params["OPTIONS"] = {**params.get("OPTIONS", {}), **KEEPALIVES}
    params["CONN_MAX_AGE"] = 0
    wrapper = load_backend(params["ENGINE"]).DatabaseWrapper(params, "govsite-site-lock")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        yield held
    finally:
        wrapper.close()  # ends the session, which releases a session lock even if unlock was never called


@contextmanager
def _file_lock(key: int) -> Iterator[bool]:
    folder = Path(settings.DATA_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"site-{key & 0xFFFFFFFFFFFFFFFF:016x}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
