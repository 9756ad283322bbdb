"""The Scrapy spider: one site per spider, every outcome recorded.

Scrapy gives us the engine, scheduler, downloader, robots.txt, AutoThrottle
and retries; this spider adds what a monitoring crawl needs on top:

- every request ends in exactly one FetchRecord (success or failure), written
  to the site's store and archive; for a page or attachment that is read,
  after its WARC record and its page or document record, so that a fetch
  on record always has them;
- redirects are followed here, not by Scrapy's middleware, so that a loop is
  seen as a loop (Scrapy's duplicate filter would silently drop it) and the
  record keeps the URL the page linked to; a URL reached through a redirect
  is not fetched again when a page links to it;
- URLs equal by the URL rules (`policy.url_key`: case of scheme and host, `./`,
  an empty `?`, a fragment, the default port) are fetched once; an HTML page's
  fetch carries its body's digest, by which the judge tells /a/ and
  /a/index.html apart or makes them one page (crawl/aliases.py);
- in-site pages are analysed and their links followed within the bounds of
  `UrlRules`; attachments are fetched and checked; external links are checked
  once per URL (HEAD, then GET when HEAD is refused; GET for a friendly link, whose title and
  first text are recorded, bounded) and never crawled;
- on resume, what the store already holds is not fetched again, and the
  frontier (linked but not fetched) is scheduled first.

Page analysis, attachment reading and their records go to the job's
`Analyser` (worker processes, crawl/workers.py), so the reactor thread goes
on fetching meanwhile; without one they run here, with the same results.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from govsite.crawl.aliases import content_digest
from govsite.crawl.archive import WarcArchive
from govsite.crawl.attachments import attachment_problem
from govsite.crawl.policy import CrawlPolicy, UrlRules, clean_url, is_loopback, same_site, url_key
from govsite.crawl.records import FetchRecord
from govsite.crawl.stable import external_excerpt
from govsite.crawl.store import CrawlStore
from govsite.crawl.workers import Analyser, PageTask, Processed, ResponseTask

MAX_REDIRECTS = 10
MAX_HEADER_CHARS = 2_000
HTML_TYPES = ("text/html", "application/xhtml")


@dataclass
class SiteJob:
    """One site's crawl: where it starts, its rules and where its records go."""

    site: str
    policy: CrawlPolicy
    as_of: date
    store: CrawlStore
    on_fetch: Callable[[str, FetchRecord], None] | None = None
    analyser: Analyser | None = None  # None: analyse on the crawler's thread
    rules: UrlRules = field(init=False)
    close_reason: str = ""  # Scrapy's: "finished" when the frontier ran dry

    def __post_init__(self) -> None:
        self.rules = UrlRules(self.site, self.policy, self.as_of)


class SiteSpider(scrapy.Spider):
    name = "govsite-site"

    def __init__(self, job: SiteJob, **kwargs) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.rules = job.rules
        self.archive: WarcArchive | None = None
        self.analyser = job.analyser or Analyser(workers=0)
        self.seen: set[str] = set()
        self.pages_scheduled = 0

    # -- start and resume ----------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        store = self.job.store
        fetches = store.load_fetches()
        pages = store.load_pages()
        documents = store.load_documents()
        store.open()
        self.archive = WarcArchive(store.archive_dir)
        self.analyser.start()
        for fetch in fetches.values():
            if _derived_record_missing(fetch, pages, documents):
                continue  # killed between the fetch and its page/document record: fetch it again
            self.seen.update(url_key(url) for url in (fetch.url, *fetch.redirects))
            if fetch.final_url and fetch.url == self.job.site:
                self.rules.adopt_host(fetch.final_url)
        self.pages_scheduled = sum(1 for f in fetches.values() if f.kind == "page")
        if url_key(self.job.site) not in self.seen:
            self.seen.add(url_key(self.job.site))
            yield self._request(self.job.site, "page", depth=0, referrer="")
        for page in pages.values():  # the frontier of an interrupted crawl
            links = [(link.url, link.kind) for link in page.links]
            for request in self._follow(page.url, page.depth, links, page.pagination, page.friendly_links):
                yield request

    def closed(self, reason: str) -> None:
        self.job.close_reason = reason
        self.analyser.release()
        self.job.store.close()
        if self.archive is not None:
            self.archive.close()

    # -- requests ------------------------------------------------------------------------
    def _request(
        self,
        url: str,
        kind: str,
        *,
        depth: int,
        referrer: str,
        method: str = "GET",
        chain: tuple[str, ...] = (),
    ) -> scrapy.Request | None:
        if self.job.policy.loopback_only and not is_loopback(url):
            detail = "loopback-only 模式下不访问非本机地址"
            self._record(FetchRecord(url, kind, error="blocked", error_detail=detail, depth=depth, referrer=referrer))
            return None
        maxsize = self.job.policy.max_attachment_bytes if kind == "attachment" else self.job.policy.max_page_bytes
        meta = {
            "kind": kind,
            "depth": depth,
            "referrer": referrer,
            "chain": chain or (url,),
            "dont_redirect": True,
            "handle_httpstatus_all": True,
            "download_maxsize": maxsize,
            "allow_offsite": True,
        }
        return scrapy.Request(
            url, method=method, callback=self.on_response, errback=self.on_error, meta=meta, dont_filter=True
        )

    def _follow(
        self,
        page_url: str,
        page_depth: int,
        links: list[tuple[str, str]],
        pagination: list[str],
        friendly: list[str] = (),
    ):
        """Requests for the links (url, kind) of an analysed page that have not been seen yet.

        A list's further pages are followed even when the page has no <a> to them (TRS writes its
        pager with createPageHTML(), Hanweb's jpage fetches later records from dataproxy.jsp), and
        before the page's other links: under the page bound a column's pages come first. A friendly
        link's target is fetched with GET (its title and first text are recorded), other external
        links with HEAD."""
        further = set(pagination)
        friends = set(friendly)
        paged = [(url, self.rules.kind(url)) for url in dict.fromkeys(pagination)]
        for url, kind in [*paged, *((url, kind) for url, kind in links if url not in further)]:
            if kind == "other":
                continue
            key = url_key(url)
            if key in self.seen:
                continue
            if kind == "page":
                depth = page_depth if url in further else page_depth + 1
                if not self.rules.allows(url, depth, self.pages_scheduled):
                    continue
                self.pages_scheduled += 1
                request = self._request(url, "page", depth=depth, referrer=page_url)
            elif kind == "attachment":
                request = self._request(url, "attachment", depth=page_depth + 1, referrer=page_url)
            elif self.job.policy.check_external:
                method = "GET" if url in friends else "HEAD"
                request = self._request(url, "external", depth=page_depth + 1, referrer=page_url, method=method)
            else:
                continue
            self.seen.add(key)
            if request is not None:
                yield request

    # -- responses ---------------------------------------------------------------------------
    async def on_response(self, response: Response):
        meta = response.meta
        chain: tuple[str, ...] = meta["chain"]
        if 300 <= response.status < 400 and b"Location" in response.headers:
            for request in self._redirect(response, chain):
                yield request
            return
        if meta["kind"] == "external" and response.request.method == "HEAD" and response.status in (403, 405, 501):
            request = self._request(chain[0], "external", depth=meta["depth"], referrer=meta["referrer"])
            if request is not None:
                yield request
            return
        fetch = self._fetch_record(response, chain)
        if meta["kind"] == "external" and response.request.method == "GET" and fetch.ok and _is_html(response):
            fetch.title, fetch.text_excerpt = external_excerpt(response.body, response.encoding)
        if meta["kind"] == "attachment" and fetch.status and fetch.status < 400:
            fetch.attachment_problem = attachment_problem(response.url, fetch.content_type, response.body)
        status_line, headers = _status_line(response), _header_pairs(response)
        page = self._page_task(response) if meta["kind"] == "page" and fetch.ok and _is_html(response) else None
        if page is not None:
            fetch.content_hash = content_digest(response.body)
        document = meta["kind"] == "attachment" and fetch.ok and not fetch.attachment_problem
        if self.archive is None or not (page or document):
            self._record(fetch)
            if self.archive is not None:
                self.archive.write_response(fetch, status_line, headers, response.body)
            return
        # The analyser writes the WARC record and the page's or document's record, then the fetch is
        # recorded: a kill while pages wait for analysis loses no finished work (they are fetched
        # again on resume, as the one in flight is), and a fetch on record has its derived record.
        store = self.job.store
        index = store.pages_path if page else store.documents_path
        task = ResponseTask(
            fetch, status_line, headers, response.body, str(self.archive.path), str(index), page, document
        )
        done = await self._process(task)
        self._record(fetch)
        if done.page is not None:
            found = done.page
            for request in self._follow(found.url, found.depth, found.links, found.pagination, found.friendly):
                yield request

    def _redirect(self, response: Response, chain: tuple[str, ...]):
        meta = response.meta
        location = response.headers.get("Location", b"").decode("latin-1")
        target = clean_url(location, response.url)
        hops = chain  # ends with this response's URL
        if target is None or target in hops or len(hops) > MAX_REDIRECTS:
            error = "redirect_loop" if target in hops or len(hops) > MAX_REDIRECTS else "error"
            detail = " → ".join([*hops, target or location])[:MAX_HEADER_CHARS]
            self._record(
                FetchRecord(
                    chain[0],
                    meta["kind"],
                    status=response.status,
                    error=error,
                    error_detail=detail,
                    redirects=list(hops[1:]),
                    depth=meta["depth"],
                    referrer=meta["referrer"],
                    fetched_at=_now(),
                )
            )
            return
        self.seen.add(url_key(target))  # reached through this chain: a link to it is not fetched again
        kind = meta["kind"]
        if meta["depth"] == 0 and same_site(self.job.site, target):
            self.rules.adopt_host(target)
        elif kind in ("page", "attachment") and self.rules.kind(target) == "external":
            kind = "external"  # an in-site link that leads away: check it, do not crawl it
        request = self._request(
            target,
            kind,
            depth=meta["depth"],
            referrer=meta["referrer"],
            method=response.request.method,
            chain=(*hops, target),
        )
        if request is not None:
            yield request

    def _page_task(self, response: Response) -> PageTask:
        meta = response.meta
        return PageTask(
            response.url,
            response.status,
            response.encoding,
            meta["depth"],
            meta["referrer"],
            self.job.site,
            frozenset(self.rules.hosts),
            self.job.as_of,
        )

    async def _process(self, task: ResponseTask) -> Processed:
        """The analyser's result; when the work is lost (a worker died twice), the WARC record alone."""
        try:
            done = await self.analyser.process(task)
        except Exception as exc:
            if self.archive is not None:
                self.archive.write_response(task.fetch, task.status_line, task.headers, task.body)
            done = Processed(problem=str(exc))
        if done.problem:  # hostile HTML or a broken file must not stop the crawl of the site
            what = "页面解析失败" if task.page is not None else "附件读取失败"
            self.logger.warning("%s %s: %s", what, task.page.url if task.page else task.fetch.url, done.problem)
        return done

    def on_error(self, failure: Failure):
        request = failure.request
        meta = request.meta
        chain: tuple[str, ...] = meta.get("chain", (request.url,))
        error, detail = _classify_failure(failure)
        if meta.get("kind") == "external" and request.method == "HEAD" and error in ("refused", "error"):
            retry = self._request(chain[0], "external", depth=meta["depth"], referrer=meta["referrer"])
            if retry is not None:
                yield retry
            return
        fetch = FetchRecord(
            chain[0],
            meta.get("kind", "page"),
            error=error,
            error_detail=detail,
            final_url=request.url,
            redirects=list(chain[1:]),
            depth=meta.get("depth", 0),
            referrer=meta.get("referrer", ""),
            fetched_at=_now(),
        )
        self._record(fetch)

    # -- recording --------------------------------------------------------------------------
    def _fetch_record(self, response: Response, chain: tuple[str, ...]) -> FetchRecord:
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")[:MAX_HEADER_CHARS]
            for k, v in response.headers.items()
        }
        latency = response.meta.get("download_latency", 0.0)
        return FetchRecord(
            url=chain[0],
            kind=response.meta["kind"],
            status=response.status,
            final_url=response.url,
            redirects=list(chain[1:]),
            content_type=headers.get("content-type", "").split(";")[0].strip().lower(),
            size=len(response.body),
            elapsed_ms=int(latency * 1000),
            headers=headers,
            depth=response.meta["depth"],
            referrer=response.meta["referrer"],
            fetched_at=_now(),
        )

    def _record(self, fetch: FetchRecord) -> None:
        self.job.store.add_fetch(fetch)
        if fetch.error and self.archive is not None:
            self.archive.write_failure(fetch)
        if self.job.on_fetch is not None:
            self.job.on_fetch(self.job.site, fetch)


def _derived_record_missing(fetch: FetchRecord, pages: dict, documents: dict) -> bool:
    """A successful fetch whose page (HTML) or document (attachment) record was never written."""
    if not fetch.ok:
        return False
    if fetch.kind == "page" and (not fetch.content_type or any(t in fetch.content_type for t in HTML_TYPES)):
        return (fetch.final_url or fetch.url) not in pages
    if fetch.kind == "attachment" and not fetch.attachment_problem:
        return fetch.url not in documents
    return False


def _classify_failure(failure: Failure) -> tuple[str, str]:
    exc = failure.value
    message = str(exc)[:500] or type(exc).__name__
    if isinstance(exc, IgnoreRequest):
        return "blocked", message
    if isinstance(exc, DownloadTimeoutError | twisted_errors.TimeoutError):
        return "timeout", message
    if isinstance(exc, CannotResolveHostError | twisted_errors.DNSLookupError):
        return "dns", message
    if isinstance(exc, DownloadCancelledError) or "maxsize" in message:
        return "too_large", message
    if isinstance(exc, DownloadConnectionRefusedError | twisted_errors.ConnectionRefusedError):
        return "refused", message
    if "SSL" in message or "certificate" in message.lower() or "TLS" in message:
        return "tls", message
    if isinstance(exc, twisted_errors.ConnectionLost | twisted_errors.ConnectionDone):
        return "refused", message
    return "error", f"{type(exc).__name__}: {message}"


def _status_line(response: Response) -> str:
    from http import HTTPStatus

    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    return f"{response.status} {reason}".strip()


def _header_pairs(response: Response) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items() for v in values]


def _is_html(response: Response) -> bool:
    if not isinstance(response, TextResponse):
        return False
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if any(t in content_type for t in HTML_TYPES):
        return True
    return not content_type and b"<html" in response.body[:2048].lower()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
