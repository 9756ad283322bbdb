"""Availability monitoring in the app: probe records per Website, daily roll-ups, the week's verdict.

Probes are their own rows (`AvailabilityProbe`), per `surveys.Website` (a
website outlives a survey), never Jobs: a 1,248-site survey probed every 30
minutes makes 60,000 a day. `services.run_round` visits every monitored
website once (probes/availability.py), stores the attempts, rolls the day
up, judges the week (checks/availability.py), puts the week in place of the
one-scan guess in each of the website's `Site.verdict`, and sends
`signals.availability_changed` when a website goes down or recovers. Raw
probes are kept GOVSITE_UPTIME_RETENTION_DAYS; roll-ups are kept.
"""
