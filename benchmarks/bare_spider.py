"""The baseline of the crawl benchmark: a bare Scrapy spider that only follows in-site links.

    .venv/bin/python benchmarks/bare_spider.py http://127.0.0.1:PORT/ --stats stats.json \
        [--concurrency 16] [--delay 0] [--no-autothrottle] [--timeout 10] [--retries 0] [--deny /calendar/] \
        [--scrapy-settings govsite-settings.json]

It uses the Scrapy settings `govsite scan` derives from the same options
(`govsite.scan.crawler.scrapy_settings` for one site: concurrency, delay,
AutoThrottle, timeouts, retries, robots.txt, user agent, scheduler queue),
written out here so that the spider does not import govsite's scan package
(a second and 80 MB of detectors it does not use). scan_benchmark.py passes
govsite's current settings in a JSON file (--scrapy-settings), which then
replace the written-out ones, so the two cannot drift apart. On top of them
it changes only what a bare crawl has no use for:

- logging off;
- Scrapy's own redirect middleware on (govsite follows redirects itself);
- DOWNLOAD_MAXSIZE = govsite's page limit (5 MB) for every request (govsite
  uses it for pages, 30 MB for attachments; the site has no large ones).

What it does per response: count it, and if it is HTML, yield a request
for every `<a href>` on the same host and port that is not an asset (the
same asset extensions govsite skips) and matches no --deny pattern (the
benchmark denies the sample's endless calendar, the way a person would
configure a plain crawler; a depth limit would also cut the long list
paginations, which govsite does not count as depth). No archive, no
analysis, no external links, no attachment checks.

By default it keeps a set of the URLs it has requested and yields only new
ones, as govsite's spider does, so the baseline is not slowed by pushing
every duplicate link through Scrapy's middlewares; `--dupefilter-only` is
the textbook spider that yields every link and lets Scrapy's duplicate
filter drop the repeats.

At the end it writes --stats: responses and failures counted, by status and
error, and the list of URLs visited (the benchmark checks that every one of
them is on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from govsite.crawl.policy import SKIPPED_EXTENSIONS, CrawlPolicy, extension

# Keys where the bare spider deliberately differs from govsite's settings (see the module docstring).
OVERRIDES = {
    "LOG_ENABLED": False,
    "LOG_INSTALL_ROOT_HANDLER": False,
    "REDIRECT_ENABLED": True,
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(
        self, start_url: str, results: dict, dedupe: bool = True, deny: tuple[str, ...] = (), **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.netloc = urlsplit(start_url).netloc.lower()
        self.results = results
        self.dedupe = dedupe
        self.deny = re.compile("|".join(f"(?:{p})" for p in deny)) if deny else None
        self.requested: set[str] = {start_url}

    async def start(self):
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.failed)

    def parse(self, response):
        self.results["visited"].append(response.url)
        self.results["status"][str(response.status)] += 1
        if not isinstance(response, TextResponse) or b"html" not in response.headers.get("Content-Type", b"html"):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if self.dedupe:
                if url in self.requested:
                    continue
                self.requested.add(url)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc.lower() != self.netloc:
                continue
            if extension(url) in SKIPPED_EXTENSIONS or (self.deny is not None and self.deny.search(url)):
                continue
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def failed(self, failure):
        if failure.check(IgnoreRequest):  # robots.txt said no: not a visit
            self.results["ignored"] += 1
            return
        self.results["visited"].append(failure.request.url)
        self.results["errors"][type(failure.value).__name__] += 1


def settings_for(args: argparse.Namespace) -> dict:
    """govsite's Scrapy settings for the same options, less what a bare crawl does not need."""
    policy = CrawlPolicy(
        concurrency=args.concurrency,
        delay=args.delay,
        autothrottle=not args.no_autothrottle,
        download_timeout=args.timeout,
        retries=args.retries,
        obey_robots=not args.ignore_robots,
    )
    if args.scrapy_settings:
        given = json.loads(args.scrapy_settings.read_text(encoding="utf-8"))
        return {**given, "DOWNLOAD_MAXSIZE": policy.max_page_bytes, **OVERRIDES}
    return {
        # as govsite.scan.crawler.scrapy_settings(policy, sites=1, log_level="ERROR")
        "USER_AGENT": policy.user_agent,
        "ROBOTSTXT_OBEY": policy.obey_robots,
        "CONCURRENT_REQUESTS": max(16, policy.concurrency * 2),
        "CONCURRENT_REQUESTS_PER_DOMAIN": policy.concurrency,
        "DOWNLOAD_DELAY": policy.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_ENABLED": policy.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(policy.delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(policy.concurrency),
        "DOWNLOAD_TIMEOUT": policy.download_timeout,
        "DNS_TIMEOUT": min(10.0, policy.download_timeout),
        "DOWNLOAD_MAXSIZE": policy.max_page_bytes,  # govsite: 30 MB, and 5 MB per page request
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": policy.retries > 0,
        "RETRY_TIMES": policy.retries,
        "METAREFRESH_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
        "LOG_LEVEL": "ERROR",
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DEPTH_LIMIT": 0,
        **OVERRIDES,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--stats", type=Path, required=True, help="where to write the counts (JSON)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--delay", type=float, default=0.25)
    parser.add_argument("--no-autothrottle", action="store_true")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("--deny", action="append", default=[], help="regex of URLs not to follow (repeatable)")
    parser.add_argument(
        "--scrapy-settings", type=Path, help="govsite's Scrapy settings as JSON (replace the options above)"
    )
    parser.add_argument("--dupefilter-only", action="store_true", help="yield every link; Scrapy drops repeats")
    args = parser.parse_args(argv)

    results: dict = {"visited": [], "status": Counter(), "errors": Counter(), "ignored": 0}
    settings = settings_for(args)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=args.url, results=results, dedupe=not args.dupefilter_only, deny=tuple(args.deny))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    report = {
        "visited": len(results["visited"]),
        "distinct": len(set(results["visited"])),
        "status": dict(results["status"]),
        "errors": dict(results["errors"]),
        "robots_ignored": results["ignored"],
        "finish_reason": stats.get("finish_reason"),
        "max_depth": stats.get("request_depth_max"),
        "settings": {k: settings[k] for k in sorted(settings)},
        "urls": sorted(set(results["visited"])),
    }
    args.stats.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
