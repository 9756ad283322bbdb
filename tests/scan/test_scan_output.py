"""The scan output folder's one owner: written and read back, versioned, an unknown version refused plainly."""

from __future__ import annotations

import json

import pytest

from govsite.findings import Finding
from govsite.scan import output

SITE = "http://127.0.0.1:9/"


def test_findings_and_summaries_round_trip_with_a_format_version(tmp_path):
    findings = [Finding("broken_link", SITE + "a.html", SITE, "medium", "HTTP 404", page=SITE)]
    output.write_findings(tmp_path, findings)
    output.write_summary(tmp_path, output.run_summary("2025-11-30", [{"site": SITE, "findings_by_type": {"broken_link": 1}}]))
    assert output.read_findings(tmp_path) == findings
    data = output.read_summary(tmp_path)
    assert data["format_version"] == output.FORMAT_VERSION and data["findings_by_type"] == {"broken_link": 1}
    assert output.read_site_summaries(tmp_path)[0]["site"] == SITE


def test_a_summary_of_an_unknown_version_is_refused_with_what_to_do(tmp_path):
    output.summary_path(tmp_path).write_text(json.dumps({"format_version": 99, "sites": []}), encoding="utf-8")
    with pytest.raises(output.ScanOutputError, match="输出格式版本为 99，本程序只能读取版本 0、1"):
        output.read_site_summaries(tmp_path)


def test_a_summary_written_before_versions_reads_as_version_0(tmp_path):
    output.summary_path(tmp_path).write_text(json.dumps({"sites": [{"site": SITE}]}), encoding="utf-8")
    assert output.read_site_summaries(tmp_path) == [{"site": SITE}]


def test_a_missing_folder_says_so(tmp_path):
    with pytest.raises(output.ScanOutputError, match="文件不存在"):
        output.read_summary(tmp_path / "nowhere")
