"""A site's crawl on disk: the page index (JSON lines) beside the WARC archive.

Layout of one site's folder:
    fetches.jsonl   one FetchRecord per line, appended as the crawl goes
    pages.jsonl     one PageRecord per line (HTML pages only)
    documents.jsonl one DocumentRecord per line (text of attachments)
    archive/        the WARC segments (archive.py)

Every line is flushed when written, so an interruption loses at most the
request in flight; on resume the last complete line wins and a torn last
line is ignored. That is what makes a scan resumable and idempotent: what
was fetched is known, what is linked but not fetched is the frontier.

Lines are appended with one write(2) each on a file opened O_APPEND
(`append_record`), so that the crawler and its analysis workers
(crawl/workers.py, which write pages.jsonl, documents.jsonl and the WARC
records of what they analyse) can append to the same files without their
records interleaving. A page's or document's line is written before the
fetch it comes from, so a fetch on record always has its derived record
(unless its analysis failed, which the resume check sees).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from govsite.crawl.records import DocumentRecord, FetchRecord, PageRecord


class CrawlStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.fetches_path = folder / "fetches.jsonl"
        self.pages_path = folder / "pages.jsonl"
        self.documents_path = folder / "documents.jsonl"
        self.archive_dir = folder / "archive"
        self._fetches: int | None = None
        self._pages: int | None = None
        self._documents: int | None = None

    # -- writing ---------------------------------------------------------------
    def open(self) -> None:
        self._fetches = open_for_append(self.fetches_path)
        self._pages = open_for_append(self.pages_path)
        self._documents = open_for_append(self.documents_path)

    def add_fetch(self, fetch: FetchRecord) -> None:
        _write(self._fetches, record_line(fetch.to_dict()))

    def add_page(self, page: PageRecord) -> None:
        _write(self._pages, record_line(page.to_dict()))

    def add_document(self, document: DocumentRecord) -> None:
        _write(self._documents, record_line(document.to_dict()))

    def close(self) -> None:
        for fd in (self._fetches, self._pages, self._documents):
            if fd is not None:
                os.close(fd)
        self._fetches = self._pages = self._documents = None

    def reset(self) -> None:
        """Forget the index (a fresh scan, or a rebuild from the archive)."""
        for path in (self.fetches_path, self.pages_path, self.documents_path):
            path.unlink(missing_ok=True)

    # -- reading -----------------------------------------------------------------
    def load_fetches(self) -> dict[str, FetchRecord]:
        return {f.url: f for f in (FetchRecord.from_dict(d) for d in _read_lines(self.fetches_path))}

    def load_pages(self) -> dict[str, PageRecord]:
        strings: dict[str, str] = {}  # the site's menus and footers repeat on every page: keep them once
        return {p.url: p for p in (PageRecord.from_dict(d, strings) for d in _read_lines(self.pages_path))}

    def load_documents(self) -> dict[str, DocumentRecord]:
        return {d.url: d for d in (DocumentRecord.from_dict(x) for x in _read_lines(self.documents_path))}


def record_line(data: dict) -> bytes:
    """One record as a line of the index (JSON never holds a raw newline inside a value)."""
    return (json.dumps(data, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def open_for_append(path: Path | str) -> int:
    """A file descriptor that appends (O_APPEND: every write lands at the end, whoever writes).

    0600: the fetch log, the page text and the WARC hold pages as fetched, personal data included."""
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)


def append_record(fd: int, data: bytes) -> None:
    """One record appended with one write(2) (another one only if the kernel wrote part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write(fd: int | None, line: bytes) -> None:
    if fd is None:
        raise RuntimeError("CrawlStore is not open")
    append_record(fd, line)


def _read_lines(path: Path) -> Iterator[dict]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break  # torn last line of an interrupted run
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue
