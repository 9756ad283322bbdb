"""The Django project: settings, URLs and the pages people use.

Configuration comes from the environment so that the same code runs on a
laptop (SQLite under ./var, the embedded default) and in production
(PostgreSQL via DATABASE_URL). Domain apps (surveys, workorders) plug in here.
"""
