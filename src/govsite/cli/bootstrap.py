"""The one Django bootstrap of the `govsite` command: settings, the data directory, then Django.

`_django_command` hands a management command line to Django (which sets itself
up); `_django_ready` sets Django up for a command that uses the models.
"""

from __future__ import annotations

from pathlib import Path


def _django_command(argv: list[str]) -> None:
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    execute_from_command_line(argv)


def _django_ready() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")
    django.setup()
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
