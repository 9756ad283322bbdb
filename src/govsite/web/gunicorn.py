"""`govsite serve --production`: the WSGI application in gunicorn, configured from the settings."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from gunicorn.app.base import BaseApplication


def gunicorn_options() -> dict[str, Any]:
    """gunicorn's settings from GOVSITE_BIND, GOVSITE_WORKERS and the optional TLS files."""
    workers = settings.GOVSITE_WORKERS or 2 * (os.cpu_count() or 1) + 1
    options: dict[str, Any] = {
        "bind": [settings.GOVSITE_BIND],
        "workers": workers,
        "accesslog": "-",
        "errorlog": "-",
        "forwarded_allow_ips": "127.0.0.1,::1",  # the proxy on the same host may set X-Forwarded-*
        "timeout": 120,  # a PDF report may take a while
    }
    if settings.GOVSITE_TLS_CERT:
        options["certfile"] = settings.GOVSITE_TLS_CERT
        options["keyfile"] = settings.GOVSITE_TLS_KEY or None
    return options


class GovsiteApplication(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from govsite.web.wsgi import application

        return application


def serve_production() -> None:
    GovsiteApplication(gunicorn_options()).run()
