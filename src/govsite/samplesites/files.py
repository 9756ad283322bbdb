"""Small attachment files for generated sites: valid ones, placeholders and deliberately broken ones.

Valid files are real: xlsx written by openpyxl, docx by python-docx, a
hand-built PDF with a correct cross-reference table, CSV (UTF-8 with BOM or
GBK, as Excel and WPS save them) and zip. Office files are re-zipped with
fixed timestamps so generation is byte-for-byte deterministic.

`.doc` and `.wps` are placeholders (an OLE2 header and padding, no
document inside); the truth flags them ``placeholder: true``.

Broken files (for broken_download findings) are a 0-byte file, an HTML
error page saved under a .docx/.pdf name, and truncated zips.

Not for: choosing which article links which file (`generate`).
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_ISO = "2025-01-01T00:00:00Z"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".wps": "application/kswps",
    ".csv": "text/csv",
    ".zip": "application/zip",
    ".txt": "text/plain",
    ".png": "image/png",
    ".css": "text/css",
    ".js": "application/javascript",
    ".xml": "application/xml",
}


def normalize_zip(data: bytes) -> bytes:
    """Re-zip with fixed entry times and fixed docProps dates (deterministic office files)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>",
                    payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, payload)
    return out.getvalue()


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([str(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return normalize_zip(buffer.getvalue())


def docx_bytes(title: str, paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = "办公室"
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF 1.4 with an ASCII line of text and a correct xref table."""
    safe = re.sub(r"[^A-Za-z0-9 .,:\-]", " ", text)[:80]
    stream = f"BT /F1 14 Tf 72 770 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    return text.encode("utf-8-sig") if encoding == "utf-8" else text.encode("gbk")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.flag_bits |= 0x800  # UTF-8 file names
            archive.writestr(entry, files[name])
    return out.getvalue()


def placeholder_bytes() -> bytes:
    """An OLE2 compound-file header padded to 1 KiB: looks like a .doc/.wps, holds nothing."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHH", 0x003E, 0x0003, 0xFFFE) + struct.pack("<H", 9)
    return header + bytes(1024 - len(header))


def png_bytes(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 16, 46)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def error_page_bytes() -> bytes:
    """What a broken CMS serves instead of the file: an HTML error page."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统错误</title></head>'
        "<body><h1>文件读取失败</h1><p>附件不存在或已被删除，请联系网站管理员。</p></body></html>"
    ).encode()


def truncated(data: bytes, keep: int = 120) -> bytes:
    """The first bytes of a zip-based file: the magic is right, the archive is unreadable."""
    return data[:keep]
