"""Is a downloaded attachment a usable file? Judged from its bytes, never by opening it in an app.

A 200 answer is not enough: CMSs serve zero-byte files, HTML error pages
under a .pdf name, and truncated Office files. We check the file signature
for the extension and, for zip-based formats (docx, xlsx, pptx, ofd, zip),
that the archive's directory can be read. Nothing is decompressed here, so
a zip bomb costs nothing; content extraction (text checks) bounds its own work.
"""

from __future__ import annotations

import io
import zipfile

from govsite.crawl.policy import extension

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "doc": (OLE,),
    "xls": (OLE,),
    "ppt": (OLE,),
    "wps": (OLE, ZIP),
    "et": (OLE, ZIP),
    "dps": (OLE, ZIP),
    "rar": (b"Rar!\x1a\x07",),
    "7z": (b"7z\xbc\xaf\x27\x1c",),
    "rtf": (b"{\\rtf",),
}
ZIP_FORMATS = frozenset({"docx", "xlsx", "pptx", "ofd", "zip"})
TEXT_FORMATS = frozenset({"csv", "txt"})


def attachment_problem(url: str, content_type: str, body: bytes) -> str:
    """'' when the file looks usable, else 'empty', 'html_instead' or 'corrupt'."""
    if not body.strip():
        return "empty"
    ext = extension(url)
    head = body[:1024].lstrip()
    if content_type.startswith("text/html") and ext not in TEXT_FORMATS and not _has_signature(ext, head):
        return "html_instead"
    if ext in ZIP_FORMATS:
        return "" if _readable_zip(body) else "corrupt"
    if ext in SIGNATURES:
        return "" if _has_signature(ext, head) else "corrupt"
    if ext in TEXT_FORMATS:
        return "corrupt" if b"\x00" in body[:4096] else ""
    return ""


def _has_signature(ext: str, head: bytes) -> bool:
    if ext in ZIP_FORMATS:
        return head.startswith(ZIP)
    return any(head.startswith(sig) for sig in SIGNATURES.get(ext, ()))


def _readable_zip(body: bytes) -> bool:
    if not body.startswith(ZIP):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return bool(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
