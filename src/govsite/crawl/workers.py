"""Page analysis and attachment reading off the crawler's thread, in worker processes.

Scrapy runs every spider of a scan on one thread; analysing a page (parse,
links, list reading, text), reading an attachment (docx, xlsx, pdf …) and
writing their records cost that thread more than fetching them. An
`Analyser` hands that work to worker processes the spiders share
(`run_crawls` makes one analyser per scan): for each response
(`ResponseTask`) a worker appends its WARC record to the crawl's segment and
the page's record to pages.jsonl (an attachment's to documents.jsonl), and
gives back (`Processed`) what the spider needs to go on: the page's links
and pagination. The spider then records the fetch. The files are opened
O_APPEND and each record is one write(2) (store.append_record), so the
crawler and its workers append to them without interleaving; the derived
record is on disk before its fetch (see CrawlStore).

A worker is `python -m govsite.crawl.workers`, started by the reactor
(`spawnProcess`): tasks go to its stdin and results come back on its fd 3 as
length-prefixed pickles (govsite.frames), read by the reactor like any other connection. No
thread is added to the crawler process (a ProcessPoolExecutor's feeder
threads cost the reactor thread more in GIL hand-overs than they saved).
Sending the records back for the crawler to write cost it ~5 s of CPU per
10,000 pages; writing them where they are made costs it nothing.

The work is the same code in a worker and in-process (`process_response`):
`Analyser(workers=0)` runs it on the calling thread and writes the same
records. A worker that dies (a crash on hostile input, the OOM killer)
fails its tasks in flight with `WorkerLost`; each is tried once more on a
new worker, and a task that loses two workers is given up (the spider
archives the response itself and logs the page, as it logs a page lxml
cannot parse). After `max_restarts` lost workers the analyser works
in-process. A worker exits when its stdin closes, so it does not outlive a
killed crawler.
Not for: fetching, deciding what to follow (spider.py, policy.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from w3lib.encoding import html_to_unicode

from govsite.crawl.analyze import analyze_page
from govsite.crawl.archive import response_record
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import FetchRecord
from govsite.crawl.store import append_record, open_for_append, record_line
from govsite.frames import PROTOCOL, Frames, frame, helper_env, serve

log = logging.getLogger(__name__)
RESULT_FD = 3  # the worker's results go here (its stdout and stderr stay the crawler's)


class WorkerError(Exception):
    """The task raised in the worker (the message names the exception)."""


class WorkerLost(Exception):
    """The worker process ended before answering."""


class WorkerNotStarted(WorkerLost):
    """The worker process ended before it was ready (it could not import govsite, say)."""


@dataclass(frozen=True)
class PageTask:
    """What analysing one fetched HTML page needs besides its body (picklable)."""

    url: str  # the final URL
    status: int
    encoding: str  # Scrapy's (TextResponse.encoding): the body is decoded with it as TextResponse.text does
    depth: int
    referrer: str
    site: str  # the site's homepage URL
    hosts: frozenset[str]  # the hosts that count as the site (UrlRules.hosts at fetch time)
    as_of: date


@dataclass
class AnalysedPage:
    """The spider's part of a PageRecord: what it needs to follow the links (as (url, kind))."""

    url: str
    depth: int
    links: list[tuple[str, str]] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)
    friendly: list[str] = field(default_factory=list)  # external URLs of its friendly-link blocks (fetched with GET)


@dataclass(frozen=True)
class ResponseTask:
    """A response to archive, and to analyse (a page) or read (an attachment); picklable.

    The WARC record goes to `archive` (the crawler's open segment), the page or document record
    to `index` (the site's pages.jsonl or documents.jsonl)."""

    fetch: FetchRecord  # as the crawler records it (the WARC record carries it)
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes
    archive: str
    index: str = ""
    page: PageTask | None = None  # analyse this page
    document: bool = False  # read this attachment (fetch.url, fetch.content_type, body)


@dataclass
class Processed:
    """What a ResponseTask gives back once its records are written."""

    page: AnalysedPage | None = None
    problem: str = ""  # why the page or attachment could not be read ("" when it was)


# -- the work (the same in a worker and in-process) ----------------------------------------------

_RULES: dict[tuple[str, frozenset[str], date], UrlRules] = {}


def _rules(site: str, hosts: frozenset[str], as_of: date) -> UrlRules:
    """The link rules of a site as analysis uses them (only the hosts matter: UrlRules.kind)."""
    key = (site, hosts, as_of)
    rules = _RULES.get(key)
    if rules is None:
        if len(_RULES) > 256:
            _RULES.clear()
        rules = UrlRules(site, CrawlPolicy(), as_of)
        for host in hosts:
            rules.adopt_host(f"http://{host}/")
        _RULES[key] = rules
    return rules


def analyse_page(task: PageTask, body: bytes) -> tuple[AnalysedPage, bytes]:
    """analyze_page for a task: what crosses back to the crawler, and the record's line."""
    html = html_to_unicode(f"charset={task.encoding}", body)[1]  # = scrapy's TextResponse.text
    page = analyze_page(
        task.url,
        task.status,
        html,
        _rules(task.site, task.hosts, task.as_of),
        as_of=task.as_of,
        encoding=task.encoding,
        depth=task.depth,
        referrer=task.referrer,
    )
    links = [(link.url, link.kind) for link in page.links]
    analysed = AnalysedPage(page.url, page.depth, links, list(page.pagination), list(page.friendly_links))
    return analysed, record_line(page.to_dict())


def read_document(url: str, content_type: str, body: bytes) -> bytes:
    """extract_document for an attachment, as a line of documents.jsonl."""
    from govsite.text.extract import extract_document  # docx/xlsx/pdf readers: only where they run

    return record_line(extract_document(url, content_type, body).to_dict())


class _Appenders:
    """Open O_APPEND descriptors by path (bounded), for the records a worker writes."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._fds: dict[str, int] = {}  # least recently used first

    def append(self, path: str, data: bytes) -> None:
        fd = self._fds.pop(path, None)
        if fd is None:
            if len(self._fds) >= self.limit:
                os.close(self._fds.pop(next(iter(self._fds))))
            fd = open_for_append(path)
        self._fds[path] = fd
        append_record(fd, data)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()


_FILES = _Appenders()


def process_response(task: ResponseTask) -> Processed:
    """Archive the response; analyse the page or read the attachment when it can be done, and write
    that record too (after the WARC record: the crawler records the fetch once this returns)."""
    done = Processed()
    line = None
    try:
        if task.page is not None:
            done.page, line = analyse_page(task.page, task.body)
        elif task.document:
            line = read_document(task.fetch.url, task.fetch.content_type, task.body)
    except Exception as exc:  # hostile HTML or a broken file must not stop the crawl of the site
        done.problem = f"{type(exc).__name__}: {exc}"
    _FILES.append(task.archive, response_record(task.fetch, task.status_line, task.headers, task.body))
    if line is not None:
        _FILES.append(task.index, line)
    return done


TASKS: dict[str, Callable[..., Any]] = {"response": process_response}


# -- the crawler's side ---------------------------------------------------------------------------


class _Worker:
    """One worker process as the reactor sees it: frames out on stdin, frames in on RESULT_FD.

    The worker's first frame (task id 0) says it is ready; one that ends before it could not start.
    """

    def __init__(self, analyser: Analyser) -> None:
        from twisted.internet import protocol

        owner = self

        class Protocol(protocol.ProcessProtocol):
            def childDataReceived(self, fd: int, data: bytes) -> None:
                if fd == RESULT_FD:
                    owner._received(data)

            def processEnded(self, reason) -> None:
                owner._ended(reason)

        self.analyser = analyser
        self.pending: dict[int, Any] = {}  # task id -> Deferred
        self.alive = True
        self.ready = False
        self._frames = Frames()
        self._next_id = 0
        self._protocol = Protocol()
        self.transport = _spawn(self._protocol)

    def submit(self, name: str, args: tuple) -> Any:
        from twisted.internet.defer import Deferred

        self._next_id += 1
        ident = self._next_id
        payload = pickle.dumps((ident, name, args), protocol=PROTOCOL)
        deferred: Deferred = Deferred()
        self.pending[ident] = deferred
        self.transport.write(frame(payload))
        return deferred

    def _received(self, data: bytes) -> None:
        for payload in self._frames.feed(data):
            ident, ok, result = pickle.loads(payload)
            if ident == 0:
                self.ready = True
                continue
            deferred = self.pending.pop(ident, None)
            if deferred is None:
                continue
            if ok:
                try:
                    value = pickle.loads(result)
                except Exception as exc:  # a result this process cannot rebuild: that task failed
                    deferred.errback(WorkerError(f"{type(exc).__name__}: {exc}"))
                else:
                    deferred.callback(value)
            else:
                deferred.errback(WorkerError(result))

    def _ended(self, reason) -> None:
        self.alive = False
        pending, self.pending = self.pending, {}
        self.analyser._ended(self, bool(pending))  # first: a task failed below may go on at once
        error = WorkerLost if self.ready else WorkerNotStarted
        for deferred in pending.values():
            deferred.errback(error(str(getattr(reason, "value", reason))))

    def close(self) -> None:
        """No more tasks: closing its stdin makes the worker exit."""
        if self.alive:
            with contextlib.suppress(Exception):
                self.transport.closeStdin()

    def kill(self) -> None:
        pid = getattr(self.transport, "pid", None)
        if pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


def _spawn(process_protocol) -> Any:
    from twisted.internet import reactor

    return reactor.spawnProcess(  # type: ignore[attr-defined]
        process_protocol,
        sys.executable,
        [sys.executable, "-m", "govsite.crawl.workers"],
        env=helper_env(),
        childFDs={0: "w", 1: 1, 2: 2, RESULT_FD: "r"},
    )


class Analyser:
    """Runs `process_response` (and its parts) in `workers` processes (0: on the calling thread).

    Awaited from the spiders' callbacks on the reactor; `start` (optional) starts the workers early,
    `close` stops them. Tasks go to the worker with the fewest in flight.
    """

    def __init__(self, workers: int = 1, *, max_restarts: int = 3) -> None:
        self.workers = max(0, workers)
        self.max_restarts = max_restarts
        self.lost = 0
        self._pool: list[_Worker] = []
        self._closed = False
        self._users = 0

    def start(self) -> None:
        """Start the workers (on the running reactor); a spider that uses the analyser calls this."""
        self._users += 1
        self._workers()

    def release(self) -> None:
        """A spider is done with the analyser; the last one stops the workers."""
        self._users -= 1
        if self._users <= 0:
            self.close()

    def _workers(self) -> list[_Worker]:
        if self.workers and not self._closed:
            try:
                while len(self._pool) < self.workers:
                    self._pool.append(_Worker(self))
            except Exception as exc:  # no process could be started: do the work here
                log.warning("无法启动分析进程（%s），改为在爬虫进程内分析", exc)
                self.workers = 0
        return self._pool

    async def process(self, task: ResponseTask) -> Processed:
        return await self._call("response", task)

    async def _call(self, name: str, *args: Any) -> Any:
        from scrapy.utils.defer import maybe_deferred_to_future

        lost = 0
        while True:
            pool = self._workers()
            if not pool:
                return TASKS[name](*args)
            worker = min(pool, key=lambda w: (not w.alive, len(w.pending)))
            try:
                return await maybe_deferred_to_future(worker.submit(name, args))
            except WorkerNotStarted:
                continue  # not this task's doing; _ended has decided whether to start another
            except WorkerLost:
                lost += 1
                if lost > 1:
                    raise  # it may be this task that kills them

    def _ended(self, worker: _Worker, had_tasks: bool) -> None:
        if worker in self._pool:
            self._pool.remove(worker)
        if self._closed and not had_tasks:
            return  # closed as asked
        if not worker.ready:
            log.warning("分析进程未能启动，改为在爬虫进程内分析")
            self.workers = 0
            return
        self.lost += 1
        log.warning("分析进程意外退出（第 %d 次）", self.lost)
        if self.lost > self.max_restarts and self.workers:
            log.warning("分析进程多次退出，改为在爬虫进程内分析")
            self.workers = 0

    def close(self) -> None:
        """Stop the workers (they finish what they have and exit); idempotent."""
        self._closed = True
        for worker in self._pool:
            worker.close()
        _FILES.close()  # what in-process work opened

    def kill(self) -> None:
        """After the reactor stopped: make sure no worker is left running."""
        self._closed = True
        for worker in self._pool:
            if worker.alive:
                worker.kill()
        self._pool.clear()


# -- the worker's side -----------------------------------------------------------------------------


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawler's to handle; stdin closing ends us
    with os.fdopen(RESULT_FD, "wb") as results:
        serve(TASKS, sys.stdin.buffer, results)


if __name__ == "__main__":
    # Run as govsite.crawl.workers, not as __main__: the results' classes must pickle under the
    # names the crawler knows.
    from govsite.crawl.workers import main as _main

    _main()
