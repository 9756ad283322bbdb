"""Indexes on surveys_finding for the monitoring queries, created by this app (docs/deployment.md, "Storage").

Finding's own (site, status, type), (type, status), (site, key_hash) and the
first_job / last_job foreign keys serve listing, scoring, upserts and per-job
history. Monitoring adds questions by time — what appeared on a site since
a date, what was fixed since a date — which at 1,000 sites × 10,000 pages
(millions of rows) would otherwise read every finding of the site:

  worker_finding_site_found   (site_id, found_at)
  worker_finding_site_fixed   (site_id, fixed_at) WHERE status = 'fixed'

No TEXT column (url, page) is indexed: a B-tree entry is limited to about
2.7 kB and a long URL would make its insert fail. On PostgreSQL they are
built CONCURRENTLY, so migrating a live database does not block the workers'
writes (hence atomic = False).
"""

from django.db import migrations

INDEXES = {
    "worker_finding_site_found": "surveys_finding (site_id, found_at)",
    "worker_finding_site_fixed": "surveys_finding (site_id, fixed_at) WHERE status = 'fixed'",
}


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("surveys", "0001_initial"),
        ("worker", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
