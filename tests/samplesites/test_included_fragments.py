"""The TRS site's pages are assembled from includes that are whole documents (stray </body></html>)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.samplesites import Truth, default_specs

SITE = "http://127.0.0.1:8000/"
FOOTER = re.compile(r'<div class="footer">(.*?)</div></div>', re.S)


def test_every_page_of_the_included_site_keeps_the_footer_of_its_last_fragment(
    sample_dir: Path, truths: dict[str, Truth]
):
    spec = next(s for s in default_specs() if s.trs_includes)
    www = sample_dir / spec.site_slug / "www"
    as_of = date.fromisoformat(truths[spec.site_slug].as_of)
    rules = UrlRules(SITE, CrawlPolicy(), as_of)
    pages = sorted(www.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        html = path.read_bytes().decode("gbk")
        assert len(re.findall(r"</html\s*>", html, re.I)) >= 3, path  # header, page, comment, footer
        footer = FOOTER.findall(html)[-1]  # the footer markup, after the page's own </html>
        assert html.rindex("</html>", 0, html.rindex(footer)) > html.index("<body>"), path
        words = re.sub(r"<[^>]*>", " ", footer).split()
        url = SITE + path.relative_to(www).as_posix()
        record = analyze_page(url, 200, html, rules, as_of=as_of)
        assert words and all(word in record.footer_text for word in words), path
