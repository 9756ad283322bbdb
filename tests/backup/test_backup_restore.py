"""`govsite backup` → `govsite restore` into a fresh instance finds the same data; bad archives touch nothing."""

from __future__ import annotations

import io
import json
import stat
import tarfile
from pathlib import Path

import pytest
from backuphelpers import Instance


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Instance:
    instance = Instance(tmp_path_factory.mktemp("source") / "var")
    instance.populate()
    return instance


@pytest.fixture(scope="module")
def archive(source: Instance, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("backups") / "govsite.tar.gz"
    source.govsite("backup", str(out))
    return out


def _manifest(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def test_restore_into_a_fresh_instance_finds_everything(source, archive, tmp_path):
    target = Instance(tmp_path / "elsewhere" / "data")
    done = target.govsite("restore", str(archive))
    assert "已恢复 SQLite 数据库" in done.stdout
    before, after = source.snapshot(), target.snapshot()
    assert before["findings"] and before["audit"] and before["workorders"] and before["evidence"]
    assert after == before
    # the job folders moved with the data dir, and the jobs point at where they are now
    dirs = target.job_dirs()
    assert dirs and all(Path(d).is_relative_to(target.data_dir) and Path(d).is_dir() for d in dirs.values())
    assert "存档路径已改写" in done.stdout
    assert stat.S_IMODE(Path(next(iter(dirs.values()))).stat().st_mode) == 0o700
    # the restored instance works: its findings are where the web app looks
    assert target.govsite("manage", "migrate", "--check").returncode == 0


def test_the_archive_is_private_and_its_manifest_describes_it(source, archive):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    manifest = _manifest(archive)
    assert manifest["format"] == "govsite-backup" and manifest["format_version"] == 1
    assert manifest["engine"] == "sqlite"
    assert "0005_website_required" in manifest["migrations"]["surveys"]
    assert manifest["data_dir"] == str(source.data_dir.resolve())
    names = set(manifest["files"])
    assert "db/govsite.sqlite3" in names
    assert any(n.startswith("media/evidence/") for n in names) and any(n.startswith("media/cases/") for n in names)
    assert any(n.startswith("jobs/") and n.endswith(".warc.gz") for n in names)
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())


def test_a_target_that_holds_data_is_refused_without_force(source, archive, tmp_path):
    target = Instance(tmp_path / "var")
    target.populate()
    target.call(
        "from govsite.surveys.models import Survey\n"
        "Survey.objects.create(name='另一个调查', year=2026, as_of='2026-01-01')"
    )
    refused = target.govsite("restore", str(archive), check=False)
    assert refused.returncode == 2 and "目标实例不是空的" in refused.stderr and "--force" in refused.stderr
    assert len(target.snapshot()["surveys"]) == 2  # untouched
    target.govsite("restore", str(archive), "--force")
    assert target.snapshot() == source.snapshot()


def _rewrite(archive: Path, out: Path, change) -> Path:
    """A copy of `archive` whose members pass through change(name, data) -> data."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def _untouched(target: Instance) -> None:
    assert not (target.data_dir / "govsite.sqlite3").exists()
    assert not (target.data_dir / "uploads").exists() and not (target.data_dir / "jobs").exists()


def test_a_corrupted_member_is_a_clear_error_and_the_target_stays_untouched(archive, tmp_path):
    def flip(name: str, data: bytes) -> bytes:
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/evidence/") else data

    bad = _rewrite(archive, tmp_path / "bad.tar.gz", flip)
    target = Instance(tmp_path / "var")
    refused = target.govsite("restore", str(bad), check=False)
    assert refused.returncode == 2
    assert "备份文件已损坏" in refused.stderr and "校验和不符" in refused.stderr
    _untouched(target)


def test_a_truncated_archive_is_a_clear_error_and_the_target_stays_untouched(archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = Instance(tmp_path / "var")
    refused = target.govsite("restore", str(cut), check=False)
    assert refused.returncode == 2 and "备份文件已损坏或不完整" in refused.stderr
    _untouched(target)


def test_an_archive_from_a_newer_schema_is_refused(archive, tmp_path):
    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["surveys"].append("0099_from_the_future")
        manifest["govsite_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    future = _rewrite(archive, tmp_path / "future.tar.gz", newer)
    target = Instance(tmp_path / "var")
    refused = target.govsite("restore", str(future), check=False)
    assert refused.returncode == 2
    assert "较新的 govsite" in refused.stderr and "surveys.0099_from_the_future" in refused.stderr
    _untouched(target)


def test_backup_never_overwrites_a_file(source, archive):
    refused = source.govsite("backup", str(archive), check=False)
    assert refused.returncode == 2 and "已存在" in refused.stderr
