"""Backup and restore of a whole instance: database, uploads, scan archives (docs/deployment.md).

`archive.create_backup` / `archive.restore_backup` do the work; `manifest`
holds the archive's format and the pure decisions; `database` the engine
specifics (SQLite's online backup API, pg_dump / pg_restore).
"""
