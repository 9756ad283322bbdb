"""`govsite backup OUT` and `govsite restore ARCHIVE`: one tar file holds an instance (see manifest.py).

Backup reads the live instance without stopping it: the database through a
consistent snapshot, the job folders listed in that snapshot, MEDIA_ROOT.
A job folder still being written is archived as far as it was written when
its turn came (its checksum is of exactly those bytes).

Restore never touches the target before the whole archive has been read,
every member's checksum verified and the migration state checked; it
refuses a target that holds data unless `force`. Then: the database, the
files, `migrate` when the archive is older than the code, and every job's
stored folder rewritten to where its files now are (the data dir may have
moved). The archive is written 0600: it holds personal data.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from govsite.backup import database
from govsite.backup.manifest import (
    ENGINES,
    FORMAT,
    FORMAT_VERSION,
    JOBS_PREFIX,
    MANIFEST,
    MEDIA_PREFIX,
    BackupError,
    check_manifest,
    compare_migrations,
    job_member,
    job_of_member,
    newer_message,
    verify_members,
)

Progress = Callable[[str, int, int], None]  # (stage, bytes done, bytes in all)
CHUNK = 1024 * 1024
GZIP_LEVEL = 1


@dataclass
class BackupReport:
    path: Path
    engine: str
    files: int
    bytes: int
    jobs: int


@dataclass
class RestoreReport:
    engine: str
    files: int
    migrated: dict[str, list[str]] = field(default_factory=dict)  # migrations applied after the restore
    moved_jobs: int = 0  # jobs whose stored folder was rewritten


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def govsite_version() -> str:
    return version("govsite")


# ------------------------------------------------------------------------------------------- backup


def create_backup(out: Path, *, progress: Progress = _no_progress) -> BackupReport:
    kind = database.engine()
    out = out.resolve()
    if out.exists():
        raise BackupError(f"{out} 已存在：请换一个文件名（备份不覆盖已有文件）")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="govsite-backup-") as scratch:
        db_file = Path(scratch) / Path(ENGINES[kind]).name
        progress("数据库快照", 0, 1)
        database.snapshot(db_file)
        migrations = database.applied_migrations_of_snapshot(db_file, kind)
        jobs = _job_folders(db_file, kind)
        members = [(ENGINES[kind], db_file), *_tree(Path(settings.MEDIA_ROOT), MEDIA_PREFIX)]
        for job_id, folder in jobs.items():
            members += _tree(folder, job_member(job_id) + "/")
        total = sum(_size(path) for _, path in members)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, _open_tar(raw, out) as tar:
                files = _add_members(tar, members, total, progress)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "govsite_version": govsite_version(),
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "engine": kind,
                    "data_dir": str(settings.DATA_DIR),
                    "media_root": str(settings.MEDIA_ROOT),
                    "migrations": migrations,
                    "jobs": {str(job_id): str(folder) for job_id, folder in jobs.items()},
                    "files": files,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupReport(out, kind, len(files), sum(m["size"] for m in files.values()), len(jobs))


def _open_tar(raw, out: Path) -> tarfile.TarFile:
    """gzip level 1 for a .gz name: the WARC segments are gzip already, the database compresses at any level."""
    if out.name.endswith((".gz", ".tgz")):
        return tarfile.open(fileobj=raw, mode="w:gz", compresslevel=GZIP_LEVEL)
    return tarfile.open(fileobj=raw, mode="w")


def _job_folders(db_file: Path, kind: str) -> dict[int, Path]:
    """Job id -> its scan folder, for the jobs in the snapshot whose folder this host has."""
    if kind == "sqlite":
        import sqlite3

        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT id, out_dir FROM surveys_job WHERE out_dir != '' ORDER BY id").fetchall()
    else:
        from govsite.surveys.models import Job

        rows = list(Job.objects.exclude(out_dir="").order_by("pk").values_list("pk", "out_dir"))
    return {job_id: Path(out_dir) for job_id, out_dir in rows if Path(out_dir).is_dir()}


def _tree(root: Path, prefix: str) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    return [
        (prefix + path.relative_to(root).as_posix(), path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


class _HashingReader(io.RawIOBase):
    """Reads a file for tarfile, hashing what it hands over."""

    def __init__(self, handle, on_read: Callable[[int], None]) -> None:
        self.handle, self.on_read, self.sha = handle, on_read, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha.update(data)
        self.on_read(len(data))
        return data


def _add_members(tar: tarfile.TarFile, members: list[tuple[str, Path]], total: int, progress: Progress) -> dict:
    files: dict[str, dict] = {}
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress("写入备份", done, total)

    for name, path in members:
        try:
            handle = path.open("rb")
        except FileNotFoundError:  # pruned or deleted since it was listed
            continue
        with handle:
            info = tar.gettarinfo(fileobj=handle, arcname=name)
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            reader = _HashingReader(handle, advance)
            tar.addfile(info, reader)
        files[name] = {"size": info.size, "sha256": reader.sha.hexdigest()}
    return files


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# ------------------------------------------------------------------------------------------ restore


def restore_backup(archive: Path, *, force: bool = False, progress: Progress = _no_progress) -> RestoreReport:
    archive = archive.resolve()
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}")
    data_dir = Path(settings.DATA_DIR)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}-restore-", dir=data_dir.parent))
    try:
        manifest = _unpack(archive, staging, progress)
        kind = manifest["engine"]
        check = compare_migrations(manifest["migrations"], database.code_migrations())
        if not check.restorable:
            raise BackupError(newer_message(check, manifest.get("govsite_version", "?"), govsite_version()))
        database.check_engine(kind)
        if not force and (_files_present(data_dir) or database.holds_data()):
            raise BackupError(
                f"目标实例不是空的（数据库中已有数据，或 {data_dir} 中已有上传文件与检测存档）；确认要覆盖请加 --force"
            )
        progress("恢复数据库", 0, 1)
        database.load(staging / ENGINES[kind], kind)
        migrated = _migrate(check.pending)
        files = _place_files(staging, manifest, data_dir)
        moved = _rewrite_job_folders()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreReport(kind, files, migrated, moved)


def _unpack(archive: Path, staging: Path, progress: Progress) -> dict:
    """Every member into `staging`, checked against the manifest; the manifest."""
    total = archive.stat().st_size
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    try:
        with archive.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:
            for member in _members(tar):
                if member.name == MANIFEST:
                    manifest_bytes = tar.extractfile(member).read()
                    continue
                found[member.name] = _extract(tar, member, staging)
                progress("读取备份", raw.tell(), total)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"备份文件已损坏或不完整，无法读取：{exc}") from exc
    if manifest_bytes is None:
        raise BackupError("备份文件已损坏或不完整：缺少 manifest.json")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"备份文件已损坏：manifest.json 无法解析（{exc}）") from exc
    check_manifest(manifest)
    problems = verify_members(manifest["files"], found)
    if problems:
        shown = "；".join(problems[:5]) + ("…" if len(problems) > 5 else "")
        raise BackupError(f"备份文件已损坏，未做任何恢复：{shown}")
    return manifest


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in tar:
        if not member.isfile():
            raise BackupError(f"备份文件中有不应出现的条目：{member.name}")
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"备份文件中有越界路径：{name}")
        yield member


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path) -> tuple[int, str]:
    target = staging / member.name
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    sha, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, sha.hexdigest()


def _files_present(data_dir: Path) -> bool:
    roots = [Path(settings.MEDIA_ROOT), data_dir / "jobs"]
    return any(path.is_file() for root in roots if root.is_dir() for path in root.rglob("*"))


def _migrate(pending: dict[str, list[str]]) -> dict[str, list[str]]:
    if not pending:
        return {}
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return pending


def _place_files(staging: Path, manifest: dict, data_dir: Path) -> int:
    """Media into MEDIA_ROOT, each job's folder into the folder this instance gives it."""
    from govsite.surveys.jobs import job_folder
    from govsite.surveys.models import Job

    placed = 0
    media = Path(settings.MEDIA_ROOT)
    if (staging / MEDIA_PREFIX).is_dir():
        shutil.rmtree(media, ignore_errors=True)
        media.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / MEDIA_PREFIX, media)
        placed += sum(1 for name in manifest["files"] if name.startswith(MEDIA_PREFIX))
    jobs_root = staging / JOBS_PREFIX
    known = set(Job.objects.values_list("pk", flat=True))
    for folder in sorted(jobs_root.iterdir()) if jobs_root.is_dir() else []:
        if not folder.name.isdigit() or int(folder.name) not in known:
            continue  # a job deleted between the listing and the snapshot
        target = job_folder(Job(pk=int(folder.name)))
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(folder, target)
        os.chmod(target, 0o700)
        placed += sum(1 for name in manifest["files"] if (job_of_member(name) or (0,))[0] == int(folder.name))
    return placed


def _rewrite_job_folders() -> int:
    """Point every job whose folder came with the archive at where it now is."""
    from govsite.surveys.jobs import job_folder
    from govsite.surveys.models import Job

    moved = 0
    for job in Job.objects.exclude(out_dir="").only("pk", "out_dir"):
        here = str(job_folder(job))
        if job.out_dir != here and Path(here).is_dir():
            Job.objects.filter(pk=job.pk).update(out_dir=here)
            moved += 1
    return moved
