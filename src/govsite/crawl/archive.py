"""The WARC archive of a crawl: every response as fetched, every failure as a metadata record.

Findings point into it as evidence, and `govsite scan --from-warc` re-runs
the checks on it without touching the network. Each run of a scan writes
a new segment (`crawl-001.warc.gz`, `crawl-002…`), so a resumed crawl
never rewrites what an interrupted one archived; a segment cut short by a
kill is read up to its last complete record.

Bodies are stored decoded (Scrapy has already undone gzip/deflate), so the
stored headers drop Content-Encoding and Transfer-Encoding and carry the
real Content-Length.
Not for: page analysis (analyze.py) or deciding what to fetch (spider.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govsite.crawl.records import FetchRecord

FAILURE_CONTENT_TYPE = "application/vnd.govsite.fetch+json"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


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
        self._file = self.path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)

    def write_response(self, fetch: FetchRecord, status_line: str, headers: list[tuple[str, str]], body: bytes) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(status_line, kept, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            fetch.url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Govsite-Fetch": json.dumps(_fetch_meta(fetch), ensure_ascii=True)},
        )
        self._write(record)

    def write_failure(self, fetch: FetchRecord) -> None:
        payload = json.dumps(fetch.to_dict(), ensure_ascii=False).encode("utf-8")
        record = self._writer.create_warc_record(
            fetch.url,
            "metadata",
            payload=io.BytesIO(payload),
            warc_content_type=FAILURE_CONTENT_TYPE,
        )
        self._write(record)

    def _write(self, record) -> None:
        self._writer.write_record(record)
        self._file.flush()

    def close(self) -> None:
        self._file.close()


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
