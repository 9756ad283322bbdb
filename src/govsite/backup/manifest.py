"""The backup archive's manifest and the pure decisions made from it (no Django, no files).

An archive is a tar file (gzip-compressed when its name ends in .gz/.tgz):

    db/govsite.sqlite3   the SQLite database (sqlite3's online backup API), or
    db/govsite.dump      PostgreSQL's custom-format dump (pg_dump -Fc)
    media/…              MEDIA_ROOT: evidence files, case attachments
    jobs/<id>/…          each job's scan folder (WARC archive, records, findings.jsonl, scan.log)
    manifest.json        last: written once every member's checksum is known

The manifest holds the format version, the govsite version, the database
engine, the migrations applied per app, where the data lived (to rewrite
stored paths when it moves), the job folders and every member's size and
SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FORMAT = "govsite-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "db/govsite.sqlite3"
POSTGRES_MEMBER = "db/govsite.dump"
MEDIA_PREFIX = "media/"
JOBS_PREFIX = "jobs/"
ENGINES = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """Why a backup or restore cannot go on, in Chinese for the person running it."""


@dataclass(frozen=True)
class MigrationCheck:
    """How the archive's migrations compare with the code's."""

    newer: dict[str, list[str]] = field(default_factory=dict)  # in the archive, unknown to this code
    pending: dict[str, list[str]] = field(default_factory=dict)  # in the code, not applied in the archive

    @property
    def restorable(self) -> bool:
        return not self.newer


def compare_migrations(archived: Mapping[str, Iterable[str]], known: Mapping[str, Iterable[str]]) -> MigrationCheck:
    """`archived`: app -> migrations applied when the backup was made; `known`: app -> the code's migrations."""
    newer, pending = {}, {}
    for app in sorted(set(archived) | set(known)):
        have, code = set(archived.get(app, ())), set(known.get(app, ()))
        if have - code:
            newer[app] = sorted(have - code)
        if code - have:
            pending[app] = sorted(code - have)
    return MigrationCheck(newer=newer, pending=pending)


def newer_message(check: MigrationCheck, archive_version: str, code_version: str) -> str:
    shown = "、".join(f"{app}.{name}" for app, names in check.newer.items() for name in names[:3])
    return (
        f"该备份来自较新的 govsite（备份版本 {archive_version}，当前版本 {code_version}）："
        f"其数据库已执行当前代码中没有的迁移（{shown}）。请先安装不低于备份版本的 govsite，再恢复。"
    )


def check_manifest(manifest: Mapping) -> None:
    """Refuse an archive that is not a govsite backup of a format this code reads."""
    if manifest.get("format") != FORMAT:
        raise BackupError("不是 govsite 备份文件（manifest.json 缺少格式标记）")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {version} 高于当前 govsite 支持的 {FORMAT_VERSION}，请先升级 govsite")
    if manifest.get("engine") not in ENGINES:
        raise BackupError(f"备份中的数据库类型无法识别：{manifest.get('engine')}")
    if ENGINES[manifest["engine"]] not in manifest.get("files", {}):
        raise BackupError("备份文件已损坏：缺少数据库文件")


def verify_members(expected: Mapping[str, Mapping], found: Mapping[str, tuple[int, str]]) -> list[str]:
    """Problems (in Chinese) between the manifest's members and what the archive holds: (size, sha256) each."""
    problems = []
    for name, meta in sorted(expected.items()):
        if name not in found:
            problems.append(f"缺少 {name}")
        elif found[name] != (meta["size"], meta["sha256"]):
            problems.append(f"{name} 校验和不符")
    problems += [f"多出未登记的文件 {name}" for name in sorted(set(found) - set(expected))]
    return problems


def job_member(job_id: int) -> str:
    return f"{JOBS_PREFIX}{job_id}"


def job_of_member(name: str) -> tuple[int, str] | None:
    """(job id, path inside its folder) of a `jobs/<id>/…` member."""
    if not name.startswith(JOBS_PREFIX):
        return None
    head, _, rest = name[len(JOBS_PREFIX) :].partition("/")
    return (int(head), rest) if head.isdigit() and rest else None
