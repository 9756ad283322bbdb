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
"""

from __future__ import annotations

import json
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
        self._fetches = None
        self._pages = None
        self._documents = None

    # -- writing ---------------------------------------------------------------
    def open(self) -> None:
        self._fetches = self.fetches_path.open("a", encoding="utf-8")
        self._pages = self.pages_path.open("a", encoding="utf-8")
        self._documents = self.documents_path.open("a", encoding="utf-8")

    def add_fetch(self, fetch: FetchRecord) -> None:
        _append(self._fetches, fetch.to_dict())

    def add_page(self, page: PageRecord) -> None:
        _append(self._pages, page.to_dict())

    def add_document(self, document: DocumentRecord) -> None:
        _append(self._documents, document.to_dict())

    def close(self) -> None:
        for handle in (self._fetches, self._pages, self._documents):
            if handle is not None:
                handle.close()
        self._fetches = self._pages = self._documents = None

    def reset(self) -> None:
        """Forget the index (a fresh scan, or a rebuild from the archive)."""
        for path in (self.fetches_path, self.pages_path, self.documents_path):
            path.unlink(missing_ok=True)

    # -- reading -----------------------------------------------------------------
    def load_fetches(self) -> dict[str, FetchRecord]:
        return {f.url: f for f in (FetchRecord.from_dict(d) for d in _read_lines(self.fetches_path))}

    def load_pages(self) -> dict[str, PageRecord]:
        return {p.url: p for p in (PageRecord.from_dict(d) for d in _read_lines(self.pages_path))}

    def load_documents(self) -> dict[str, DocumentRecord]:
        return {d.url: d for d in (DocumentRecord.from_dict(x) for x in _read_lines(self.documents_path))}


def _append(handle, data: dict) -> None:
    if handle is None:
        raise RuntimeError("CrawlStore is not open")
    handle.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    handle.flush()


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
