"""`govsite backup OUT` and `govsite restore ARCHIVE [--force]` (govsite.backup)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from govsite.cli.bootstrap import _django_ready
from govsite.cli.errors import BadInput
from govsite.console import console


@contextmanager
def _progress() -> Iterator:
    """A byte progress bar on a terminal; nothing elsewhere."""
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=console
    ) as bar:
        task = bar.add_task("", total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        yield update


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup(out: Path) -> None:
    """备份整个实例到一个文件：数据库、上传的佐证材料与附件、检测存档（WARC）。

    文件名以 .tar.gz 结尾时压缩。运行中即可备份；备份文件含个人信息，权限为 0600，请妥善保管。
    """
    _django_ready()
    from govsite.backup.archive import create_backup
    from govsite.backup.manifest import ENGINE_LABELS, BackupError

    try:
        with _progress() as progress:
            report = create_backup(out, progress=progress)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    console.print(
        f"已备份到 {report.path}：{ENGINE_LABELS[report.engine]} 数据库、{report.jobs} 个检测任务的存档，"
        f"共 {report.files} 个文件 {report.bytes / 1e6:.1f} MB",
        highlight=False,
    )


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="目标实例已有数据时仍然覆盖（原有数据将被替换）")
def restore(archive: Path, force: bool) -> None:
    """从 govsite backup 的备份文件恢复到当前配置的实例（GOVSITE_DATA_DIR、DATABASE_URL）。

    先完整校验备份（校验和、迁移状态），无误后才改动目标；备份较旧时恢复后自动执行数据库迁移。
    """
    _django_ready()
    from govsite.backup.archive import restore_backup
    from govsite.backup.manifest import ENGINE_LABELS, BackupError

    try:
        with _progress() as progress:
            report = restore_backup(archive, force=force, progress=progress)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    console.print(f"已恢复 {ENGINE_LABELS[report.engine]} 数据库与 {report.files} 个文件", highlight=False)
    if report.migrated:
        count = sum(len(names) for names in report.migrated.values())
        console.print(f"备份来自较旧的版本：已执行 {count} 个数据库迁移", highlight=False)
    if report.moved_jobs:
        console.print(f"数据目录已变化：{report.moved_jobs} 个检测任务的存档路径已改写", highlight=False)
