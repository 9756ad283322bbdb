"""The TRS site's pages are assembled from includes that are whole documents (stray </body></html>)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.samplesites import Truth, default_specs

SITE = "http://127.0.0.1:8000/"


def test_every_page_of_the_included_site_keeps_the_footer_of_its_last_fragment(
    sample_dir: Path, truths: dict[str, Truth]
):
    spec = next(s for s in default_specs() if s.slug == "yunchuan")
    assert spec.trs_includes and set(spec.footer_marks) >= {"site_code", "sponsor"}
    www = sample_dir / spec.slug / "www"
    as_of = date.fromisoformat(truths[spec.slug].as_of)
    rules = UrlRules(SITE, CrawlPolicy(), as_of)
    pages = sorted(www.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_bytes().decode("gbk")
        assert len(re.findall(r"</html\s*>", html, re.I)) >= 3, path  # header, comment, footer, page
        url = SITE + path.relative_to(www).as_posix()
        record = analyze_page(url, 200, html, rules, as_of=as_of)
        code = re.search(r'<meta name="SiteIDCode" content="(\d+)">', html).group(1)
        assert f"主办单位：{spec.name}办公室" in record.footer_text, path
        assert f"网站标识码：{code}" in record.footer_text, path
