"""Run the spiders of several sites in one Scrapy process.

Sites are crawled concurrently (throughput comes from many sites at once;
politeness caps each one). Twisted's reactor starts once per process, so a
process runs one `run_crawls` call; the CLI is that process, and tests run
the CLI as a subprocess. Page analysis and attachment reading run in
`policy.analysis_workers` worker processes the spiders share (crawl/workers.py),
started with the crawl and stopped before the judge.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from scrapy.crawler import CrawlerProcess

from govsite.crawl.policy import CrawlPolicy
from govsite.crawl.spider import SiteJob, SiteSpider
from govsite.crawl.workers import Analyser


def scrapy_settings(policy: CrawlPolicy, *, sites: int, log_level: str = "ERROR") -> dict:
    return {
        "USER_AGENT": policy.user_agent,
        "ROBOTSTXT_OBEY": policy.obey_robots,
        "CONCURRENT_REQUESTS": max(16, policy.concurrency * sites * 2),
        "CONCURRENT_REQUESTS_PER_DOMAIN": policy.concurrency,
        "DOWNLOAD_DELAY": policy.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_ENABLED": policy.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(policy.delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(policy.concurrency),
        "DOWNLOAD_TIMEOUT": policy.download_timeout,
        "DNS_TIMEOUT": min(10.0, policy.download_timeout),
        "DOWNLOAD_MAXSIZE": policy.max_attachment_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": policy.retries > 0,
        "RETRY_TIMES": policy.retries,
        "REDIRECT_ENABLED": False,  # the spider follows redirects itself (loop detection)
        "METAREFRESH_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
        "LOG_LEVEL": log_level,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DEPTH_LIMIT": 0,
        # The spider keeps its own depth in meta["depth"] (list pagination does not count);
        # Scrapy's DepthMiddleware would overwrite it with parent depth + 1.
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        # The spider yields requests, not items; Scrapy starts this many asyncio workers per callback.
        "CONCURRENT_ITEMS": 4,
    }


def run_crawls(jobs: Sequence[SiteJob], policy: CrawlPolicy, *, log_level: str = "ERROR") -> None:
    """Crawl every job's site; returns when all spiders have closed."""
    if not jobs:
        return
    settings = {
        **scrapy_settings(policy, sites=len(jobs), log_level=log_level),
        "LOG_INSTALL_ROOT_HANDLER": False,
    }
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(log_level)
    analyser = Analyser(policy.analysis_workers)  # shared by the sites' spiders
    try:
        for job in jobs:
            if job.analyser is None:
                job.analyser = analyser
            process.crawl(SiteSpider, job=job)
        process.start()
    finally:
        analyser.kill()  # the spiders closed it; a worker still running after the reactor stopped is stopped
