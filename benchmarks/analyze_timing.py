"""Per-page cost of the page analysis (govsite.crawl.analyze.analyze_page) on generated pages.

Generates the default sample (three sites, one of them assembled from TRS-style includes with
stray </body></html>) into a temporary folder, or reads one already generated (--pages), then
times analyze_page and, separately, the parse alone (govsite.crawl.htmltree.parse_html against a
bare lxml parse) over every HTML page, best of --rounds. Single-threaded, no network; a few
seconds on one core. To compare with another checkout, generate once and point both at it:

    PYTHONPATH=src python -m govsite.samplesites generate /tmp/sample   # or any sample folder
    PYTHONPATH=src python benchmarks/analyze_timing.py --pages /tmp/sample [--rounds 5]
    PYTHONPATH=/other/checkout/src python benchmarks/analyze_timing.py --pages /tmp/sample
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from lxml import etree

from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.samplesites import generate_sample

try:
    from govsite.crawl.htmltree import browser_html, parse_html
except ImportError:  # a checkout from before the shared parse: analyze_page and lxml alone
    browser_html = parse_html = None

SITE = "http://127.0.0.1:8000/"


def pages(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Each site's HTML pages as (url, text), decoded as the crawler decodes them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for site in json.loads((root / "sample.json").read_text(encoding="utf-8"))["sites"]:
        www = root / site["slug"] / "www"
        codec = "gbk" if site["encoding"] == "gbk" else "utf-8"
        found[site["slug"]] = [
            (SITE + path.relative_to(www).as_posix(), path.read_bytes().decode(codec))
            for path in sorted(www.rglob("*.html"))
        ]
    return found


def best(function, items, rounds: int) -> float:
    """Best CPU time (process_time: steadier than wall time on a shared machine) of `rounds` passes
    of function over items, in ms per item."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for item in items:
            function(item)
        times.append(time.process_time() - started)
    return min(times) / len(items) * 1000


def bare_parse(html: str):
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
    return etree.fromstring(html, parser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=Path, help="a generated sample folder (default: generate one)")
    args = parser.parse_args()
    as_of = date(2025, 11, 30)
    rules = UrlRules(SITE, CrawlPolicy(), as_of)
    if args.pages:
        sites = pages(args.pages)
    else:
        with tempfile.TemporaryDirectory() as folder:
            generate_sample(Path(folder))
            sites = pages(Path(folder))
    print("site        pages  KB/page  analyze_ms  lxml_ms  parse_html_ms  scan_ms")
    for slug, items in sites.items():
        texts = [html for _, html in items]
        size = sum(len(t) for t in texts) / len(texts) / 1024
        analyze = best(lambda item: analyze_page(item[0], 200, item[1], rules, as_of=as_of), items, args.rounds)
        bare = best(bare_parse, texts, args.rounds)
        parse = best(parse_html, texts, args.rounds) if parse_html else float("nan")
        scan = best(browser_html, texts, args.rounds) if browser_html else float("nan")
        print(f"{slug:<10} {len(items):>6} {size:>8.1f} {analyze:>11.3f} {bare:>8.3f} {parse:>14.3f} {scan:>8.3f}")


if __name__ == "__main__":
    main()
