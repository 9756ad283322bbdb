"""The signal the monitoring app sends; the alert module connects its receiver.

`availability_changed(sender=Website, website, up, reason, at)` is sent once
when a website goes down (GOVSITE_UPTIME_DOWN_AFTER consecutive failed
probes, default 2) and once when it recovers (the first probe that opens
after that): `up` False/True, `reason` a Chinese sentence, `at` the probe's
time. Sent after the probes and the new state are saved (inside the
caller's transaction when there is one: a finished job's scan counted as a
probe), never twice for one change.
"""

from __future__ import annotations

from django.dispatch import Signal

availability_changed = Signal()  # kwargs: website, up (bool), reason (str, Chinese), at (datetime)
