"""The WARC archive of a crawl: every response as fetched, every failure as a metadata record.

Findings point into it as evidence, and `govsite scan --from-warc` re-runs
the checks on it without touching the network. Each run of a scan writes
a new segment (`crawl-001.warc.gz`, `crawl-002…`), so a resumed crawl
never rewrites what an interrupted one archived; a segment cut short by a
kill is read up to its last complete record.

Bodies are stored decoded (Scrapy has already undone gzip/deflate), so the
stored headers drop Content-Encoding and Transfer-Encoding and carry the
real Content-Length.

Each record is its own gzip member (the usual .warc.gz layout, readable by
warcio and every WARC tool), at zlib's default level 6 (warcio's level 9
gave 0.1 % smaller segments for 3 % more time on the benchmark site). A
record is built by `response_record` wherever the response is and appended
with one write(2) to the segment, opened O_APPEND: the crawler's analysis
workers append the records of the pages and attachments they read to the
crawler's segment themselves (crawl/workers.py); records never interleave.
Not for: page analysis (analyze.py) or deciding what to fetch (spider.py).
"""

from __future__ import annotations

import io
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govsite.crawl.records import FetchRecord
from govsite.crawl.store import append_record, open_for_append

FAILURE_CONTENT_TYPE = "application/vnd.govsite.fetch+json"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
GZIP_LEVEL = 6


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetch: FetchRecord  # what the crawler recorded about this fetch


class WarcArchive:
    """Appends records to a new segment of the archive folder."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        existing = sorted(folder.glob("crawl-*.warc.gz"))
        self.path = folder / f"crawl-{len(existing) + 1:03d}.warc.gz"
        self._fd: int | None = open_for_append(self.path)

    def write_response(self, fetch: FetchRecord, status_line: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.append(response_record(fetch, status_line, headers, body))

    def write_failure(self, fetch: FetchRecord) -> None:
        self.append(failure_record(fetch))

    def append(self, record: bytes) -> None:
        """A record built by response_record or failure_record."""
        if self._fd is None:
            raise RuntimeError("WarcArchive is closed")
        append_record(self._fd, record)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def response_record(fetch: FetchRecord, status_line: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """A response and what the crawler recorded about it, as one gzipped WARC record."""
    kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(status_line, kept, protocol="HTTP/1.1")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    record = writer.create_warc_record(
        fetch.url,
        "response",
        payload=io.BytesIO(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Govsite-Fetch": json.dumps(_fetch_meta(fetch), ensure_ascii=True)},
    )
    writer.write_record(record)
    return _gzip(buffer.getvalue())


def failure_record(fetch: FetchRecord) -> bytes:
    """A fetch without a usable response, as one gzipped WARC metadata record."""
    payload = json.dumps(fetch.to_dict(), ensure_ascii=False).encode("utf-8")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    record = writer.create_warc_record(
        fetch.url, "metadata", payload=io.BytesIO(payload), warc_content_type=FAILURE_CONTENT_TYPE
    )
    writer.write_record(record)
    return _gzip(buffer.getvalue())


def _gzip(data: bytes) -> bytes:
    """One gzip member (what warcio's gzip=True writes per record, at GZIP_LEVEL)."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()


def _fetch_meta(fetch: FetchRecord) -> dict:
    """The fetch facts that are not in the HTTP response itself."""
    data = fetch.to_dict()
    data.pop("headers", None)
    return data


def read_archive(folder: Path) -> Iterator[ArchivedResponse | FetchRecord]:
    """Every response and failure in every segment, oldest first; a truncated tail is skipped."""
    for path in sorted(folder.glob("crawl-*.warc.gz")):
        with path.open("rb") as handle:
            try:
                for record in ArchiveIterator(handle):
                    item = _read_record(record)
                    if item is not None:
                        yield item
            except (ArchiveLoadFailed, EOFError, OSError, ValueError):
                continue  # a segment cut short by an interruption: keep what was complete


def _read_record(record) -> ArchivedResponse | FetchRecord | None:
    if record.rec_type == "metadata":
        if record.rec_headers.get_header("Content-Type") != FAILURE_CONTENT_TYPE:
            return None
        return FetchRecord.from_dict(json.loads(record.content_stream().read().decode("utf-8")))
    if record.rec_type != "response" or record.http_headers is None:
        return None
    meta = json.loads(record.rec_headers.get_header("WARC-Govsite-Fetch") or "{}")
    headers = list(record.http_headers.headers)
    fetch = FetchRecord.from_dict(meta)
    fetch.headers = {k.lower(): v for k, v in headers}
    status = int(record.http_headers.get_statuscode() or 0)
    return ArchivedResponse(fetch.url, status, headers, record.content_stream().read(), fetch)
