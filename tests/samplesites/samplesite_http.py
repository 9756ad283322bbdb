"""Test helpers: fetch from the sample servers without a crawler, and read what a resource says.

Deliberately independent of the generator: dates are read back from the
served markup with plain regular expressions, attachments with openpyxl,
python-docx and zipfile, so the tests check the truth against what a
client actually receives.
"""

from __future__ import annotations

import http.client
import io
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{4})年(\d{1,2})月(\d{1,2})日")
SHORT_DATE = re.compile(r"\[(\d{2})-(\d{2})\]")
PUBLISH_LINE = re.compile(r"(?:发布时间|发布日期)：(\d{4}-\d{2}-\d{2})")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    elapsed: float


def fetch(url: str, method: str = "GET", timeout: float = 5.0) -> Reply:
    """One request, no redirects followed, whole body read."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    started = time.monotonic()
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target or "/")
        response = conn.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Reply(response.status, headers, body, time.monotonic() - started)
    finally:
        conn.close()


def parse_dates(text: str) -> list[date]:
    out = []
    for m in FULL_DATE.finditer(text):
        year, month, day = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        out.append(date(int(year), int(month), int(day)))
    return out


def short_dates(text: str, as_of: date) -> list[date]:
    """[MM-DD] stamps: the latest such day not after as_of."""
    out = []
    for m in SHORT_DATE.finditer(text):
        guess = date(as_of.year, int(m[1]), int(m[2]))
        out.append(guess if guess <= as_of else guess.replace(year=as_of.year - 1))
    return out


def between(text: str, start: str, end: str) -> str:
    """The visible text between two markers (tags dropped, so dates in URLs do not count)."""
    head = text.index(start)
    tail = text.index(end, head)
    return re.sub(r"<!--.*?-->|<[^>]*>", " ", text[head:tail], flags=re.S)  # a comment may hold ">"


def list_links(page: str) -> int:
    """How many article links a column page lists."""
    if _is_jpage_answer(page):
        return page.count('target="_blank"')
    head = page.index('<div class="list-box">')
    return page[head : page.index('<div class="footer">', head)].count('target="_blank"')


def list_region(page: str) -> str:
    if _is_jpage_answer(page):
        return re.sub(r"<[^>]*>", " ", page)
    return between(page, '<div class="list-box">', '<div class="footer">')


def _is_jpage_answer(page: str) -> bool:
    """A Hanweb dataproxy.jsp answer: a column's later records, no page around them."""
    return page.lstrip().startswith("<?xml") and "<datastore>" in page


def attachment_text(body: bytes, ext: str, encoding: str) -> str:
    """Every cell/paragraph of an attachment as text."""
    if ext == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if ext == "docx":
        import docx

        document = docx.Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs]
        parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    if ext == "csv":
        return body.decode("utf-8-sig" if encoding == "utf-8" else "gbk")
    raise AssertionError(f"no text reader for .{ext}")


def is_zip(body: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False
