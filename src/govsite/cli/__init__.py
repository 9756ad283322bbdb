"""The `govsite` command (the contract in docs/cli.md: exit 0 done, 2 bad input).

Each subcommand is a thin shell over the core packages: it parses options,
calls one function, and prints for a person (`govsite.console`: rich tables,
Chinese names aligned) or for a machine (`--format json|csv|xlsx`). One module
per command group; `bootstrap` sets Django up for the commands that need it.
"""

from __future__ import annotations

import click

from govsite.cli import backup, demo, frameworks, report, samplesites, scan, score, sites, text, uptime, web
from govsite.cli.errors import BAD_INPUT, BadInput
from govsite.cli.score import run_scoring

__all__ = ["BAD_INPUT", "BadInput", "main", "run_scoring"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govsite")
def main() -> None:
    """govsite：政府网站评估与监测（指标体系、评分、排名、报告）。"""


for _command in (
    frameworks.frameworks_group,
    sites.sites_group,
    score.score,
    demo.demo,
    scan.scan,
    uptime.uptime,
    samplesites.samplesites_group,
    report.report,
    text.text_group,
    web.manage,
    web.serve,
    web.worker,
    web.scheduler,
    web.survey_group,
    backup.backup,
    backup.restore,
):
    main.add_command(_command)
