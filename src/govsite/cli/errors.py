"""The `govsite` command's exit codes and its user error (docs/cli.md: exit 0 done, 2 bad input)."""

from __future__ import annotations

import click

from govsite.console import err_console

BAD_INPUT = 2


class BadInput(click.ClickException):
    """A user error: printed in Chinese, exit code 2."""

    exit_code = BAD_INPUT

    def show(self, file=None) -> None:
        err_console.print(f"[bold red]错误：[/]{self.message}", markup=True, highlight=False)
