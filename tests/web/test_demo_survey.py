"""`govsite demo` (the README's main command) leaves a demo survey in the embedded database."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_leaves_a_survey_with_findings_and_role_accounts(tmp_path):
    env = {**os.environ, "GOVSITE_DATA_DIR": str(tmp_path / "var"), "GOVSITE_LOOPBACK_ONLY": "1"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "govsite.cli", "demo", "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "演示调查" in result.stdout
    db = sqlite3.connect(tmp_path / "var" / "govsite.sqlite3")
    (surveys,) = db.execute("select count(*) from surveys_survey").fetchone()
    sites = db.execute("select name, verdict from surveys_site order by id").fetchall()
    by_type = dict(db.execute("select type, count(*) from surveys_finding group by type").fetchall())
    users = {row[0] for row in db.execute("select username from auth_user")}
    prescored = db.execute("select count(*) from surveys_indicatorscore where auto_score is not null").fetchone()[0]
    assert surveys == 1
    assert [name for name, _ in sites] == ["青禾市人民政府", "云川县人民政府", "石桥区人民政府"]
    assert all(json.loads(verdict)["state"] in ("pass", "fail", "unknown") for _, verdict in sites)
    assert by_type.get("broken_link", 0) > 0 and by_type.get("stale_column", 0) > 0
    assert {"manager", "assessor", "reviewer", "operator"} <= users
    assert prescored > 0
