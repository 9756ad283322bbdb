"""Text out of attachments (extract_document), bounded, for the text checks.

Plain-text formats only for now; office and PDF formats arrive with the
text-checks work and report `unsupported` until then.
"""

from __future__ import annotations

from govsite.crawl.policy import extension
from govsite.crawl.records import DocumentRecord
from govsite.userfiles import UserFileError, decode_user_bytes

MAX_TEXT_CHARS = 1_000_000
TEXT_FORMATS = frozenset({"csv", "txt"})


def extract_document(url: str, content_type: str, body: bytes) -> DocumentRecord:
    fmt = extension(url) or content_type.split("/")[-1]
    if fmt not in TEXT_FORMATS:
        return DocumentRecord(url, fmt, problem="unsupported")
    try:
        text, _ = decode_user_bytes(body)
    except (UserFileError, UnicodeDecodeError):
        return DocumentRecord(url, fmt, problem="corrupt", detail="无法识别文本编码")
    return DocumentRecord(url, fmt, text=text[:MAX_TEXT_CHARS], truncated=len(text) > MAX_TEXT_CHARS)
