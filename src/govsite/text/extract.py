"""Text out of attachments (`extract_document`), bounded, for the text checks.

A downloaded attachment is hostile input. `extract_document(url, content_type,
body)` is a pure function (no network, no files) that returns a
`DocumentRecord` with the file's text, or a `problem` saying why there is no
(complete) text — it never raises for a bad file:

  encrypted    a password-protected PDF, Office or xls file
  corrupt      the library could not read it (its message is in `detail`)
  bomb         an archive that would expand beyond the bounds below
  unsupported  a format we do not read (old binary Word/WPS/PowerPoint, rar, 7z, rtf, …)

Formats and libraries:
  pdf        pypdf (pure Python, maintained, reads ToUnicode and the predefined CJK CMaps)
  docx       python-docx: body paragraphs and tables in order (nested tables, headers, footers)
  xlsx       openpyxl read-only: every sheet, cells joined by tab, rows by newline
  xls, et    xlrd (BIFF); WPS 表格 .et files saved in the BIFF-compatible layout read the same way
  pptx, ofd  the slide / page XML read directly with lxml (a:t, ofd:TextCode)
  csv, txt   govsite.userfiles.decode_user_bytes (UTF-8, BOM, GBK), UTF-16 with a BOM as well;
             a file with NUL bytes or mostly control characters is corrupt, not text
  zip        the member list, then the text of supported members (one level deep, bounded)
A file is read by what its bytes are, not only by its name: a ``.wps`` that is
really a docx is read as a docx, a PDF served as ``.doc`` as a PDF.

Bounds (the module constants): zip-based files are checked from the central
directory BEFORE anything is decompressed — at most 2,000 members, 200 MB
uncompressed in total, and 100:1 compression per member (members under 1 MiB
are exempt: small XML parts legitimately compress that well, and cannot hurt);
zipfile never inflates a member past the size the directory declares, so the
check binds. Text stops at 1,000,000 characters (truncated=True), PDFs at 200
pages, and every reader checks a 20-second wall-clock budget between
pages/rows/members (what was read by then is kept, truncated=True). A zip's
members are read at most 50 at a time, and a zip inside a zip is only listed.
Text read before a problem struck is kept in `text`, so the checks still see it.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# The readers are imported with this module, not on the first file of their kind: the crawler
# records a fetch before the document extracted from it, so extraction should not pay imports.
import docx
import xlrd
from docx.table import Table
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from govsite.crawl.policy import extension
from govsite.crawl.records import DocumentRecord
from govsite.userfiles import UserFileError, decode_user_bytes

MAX_TEXT_CHARS = 1_000_000
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
RATIO_EXEMPT_BYTES = 1024 * 1024  # members smaller than this are not judged by their ratio
MAX_ZIP_TEXT_MEMBERS = 50  # members of a .zip whose text we extract
MAX_PDF_PAGES = 200
MAX_SECONDS = 20.0  # wall-clock budget of one document (the crawler waits for it)
MAX_DETAIL_CHARS = 300

TEXT_FORMATS = frozenset({"csv", "txt"})
KNOWN_FORMATS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "dps", "ppt", "pptx", "ofd", "zip", "rar", "7z", "csv", "txt"}
    | {"rtf"}
)
CONTENT_TYPE_FORMATS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/kswps": "wps",
    "application/vnd.ms-works": "wps",
    "application/ofd": "ofd",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "text/csv": "csv",
    "text/plain": "txt",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # an encrypted docx/xlsx is an OLE file holding this
WORKBOOK_STREAM = "Workbook".encode("utf-16-le")  # the BIFF8 stream's name in an OLE directory
UNSUPPORTED_DETAIL = {
    "doc": "旧版 Word 二进制格式（.doc，OLE）暂不支持提取文本",
    "wps": "WPS 文字二进制格式（.wps，OLE）暂不支持提取文本",
    "dps": "WPS 演示二进制格式（.dps）暂不支持提取文本",
    "ppt": "旧版 PowerPoint 二进制格式（.ppt）暂不支持提取文本",
    "rar": "RAR 压缩包暂不支持解压",
    "7z": "7z 压缩包暂不支持解压",
    "rtf": "RTF 格式暂不支持提取文本",
}

# pypdf logs every oddity of a malformed file (some at ERROR level, while still reading it); a crawl
# of thousands of attachments would drown its log in them. Real failures reach us as exceptions.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


class _Discard:
    """Where xlrd's warnings go (by default it prints them on stdout)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


class _Stop(Exception):
    """Raised by the sink when the text or time budget is spent: unwinds a reader cleanly."""


class _Problem(Exception):
    def __init__(self, problem: str, detail: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.detail = detail[:MAX_DETAIL_CHARS]


@dataclass
class _Sink:
    """Collects text pieces up to the character cap and watches the clock."""

    deadline: float
    limit: int = MAX_TEXT_CHARS
    parts: list[str] = field(default_factory=list)
    size: int = 0
    truncated: bool = False
    note: str = ""

    def add(self, text: str) -> None:
        if not text:
            return
        room = self.limit - self.size
        if len(text) >= room:
            self.parts.append(text[:room])
            self.size = self.limit
            self.truncated = True
            self.note = self.note or f"文本超过 {self.limit} 字符，已截断"
            raise _Stop
        self.parts.append(text)
        self.size += len(text)

    def line(self, text: str) -> None:
        self.add(text + "\n")

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            self.truncated = True
            self.note = self.note or f"提取超过 {MAX_SECONDS:.0f} 秒，已截断"
            raise _Stop

    @property
    def text(self) -> str:
        return "".join(self.parts)


def extract_document(url: str, content_type: str, body: bytes) -> DocumentRecord:
    """The bounded text of one downloaded attachment; problems are reported, never raised."""
    fmt = document_format(url, content_type)
    sink = _Sink(deadline=time.monotonic() + MAX_SECONDS)
    try:
        record_format = _extract(fmt, body, sink, depth=0)
    except _Problem as problem:
        return DocumentRecord(url, fmt or "unknown", text=sink.text, problem=problem.problem, detail=problem.detail)
    return DocumentRecord(url, record_format, text=sink.text, truncated=sink.truncated, detail=sink.note)


def document_format(url: str, content_type: str) -> str:
    """The declared format: the URL's extension when it is a known one, else the Content-Type's."""
    ext = extension(url)
    if ext in KNOWN_FORMATS:
        return ext
    mime = content_type.split(";", 1)[0].strip().lower()
    return CONTENT_TYPE_FORMATS.get(mime, ext or mime.rsplit("/", 1)[-1])


def _extract(fmt: str, body: bytes, sink: _Sink, depth: int) -> str:
    """Read `body` into `sink` by what its bytes are; returns the format reported for it."""
    reader, kind = _choose_reader(fmt, body)
    try:
        reader(body, sink, depth)
    except _Stop:
        pass
    except _Problem:
        raise
    except zipfile.BadZipFile as exc:
        raise _Problem("corrupt", f"zip: {exc}") from exc
    except Exception as exc:  # a library's parse error on a malformed file: report it, never crash
        raise _Problem("corrupt", f"{type(exc).__name__}: {exc}") from exc
    return fmt if fmt in KNOWN_FORMATS else kind


def _choose_reader(fmt: str, body: bytes) -> tuple[Callable[[bytes, _Sink, int], None], str]:
    head = body[:1024]
    if not body:
        raise _Problem("corrupt", "文件为空")
    if head.lstrip().startswith(b"%PDF-") or (fmt == "pdf" and b"%PDF-" in head):
        return _read_pdf, "pdf"
    if body.startswith(ZIP_MAGIC) and fmt not in TEXT_FORMATS:
        return _read_zip_based, "zip"
    if body.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in body:
            raise _Problem("encrypted", "Office 文件已加密（EncryptedPackage）")
        if fmt in ("xls", "et") or WORKBOOK_STREAM in body:  # an xls under any name
            return _read_xls, "xls"
        raise _Problem("unsupported", UNSUPPORTED_DETAIL.get(fmt, "OLE 二进制格式暂不支持提取文本"))
    if fmt in TEXT_FORMATS:
        return _read_text, fmt
    if fmt in UNSUPPORTED_DETAIL:
        raise _Problem("unsupported", UNSUPPORTED_DETAIL[fmt])
    if fmt in ("pdf", "docx", "xlsx", "pptx", "ofd", "zip", "xls", "et"):
        raise _Problem("corrupt", f"文件内容不是 {fmt} 格式（文件头 {head[:8].hex()}）")
    raise _Problem("unsupported", f"不支持的附件格式：{fmt or '未知'}")


# -- plain text ----------------------------------------------------------------------------------


def _read_text(body: bytes, sink: _Sink, depth: int) -> None:
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = body.decode("utf-16", errors="replace")  # Excel's "Unicode text" export
    else:
        if b"\x00" in body[:4096]:
            raise _Problem("corrupt", "文件含有二进制数据，不是文本")
        text = _decode_text(body)
    if _looks_binary(text):
        raise _Problem("corrupt", "无法识别文本编码，或文件含有大量控制字符，不是文本")
    sink.add(text)


def _decode_text(body: bytes) -> str:
    """UTF-8 (BOM or not) or GBK, as decode_user_bytes reads them; when neither decodes cleanly, a
    UTF-8 or GBK reading with only a few broken bytes beats charset-normalizer's guess (Chinese
    attachments are one or the other, and the guess turns GBK with one bad byte into mojibake)."""
    try:
        text, encoding = decode_user_bytes(body)
    except (UserFileError, UnicodeDecodeError):
        text, encoding = "", ""
    if encoding in ("utf-8-sig", "utf-8", "gb18030"):
        return text
    for candidate in ("utf-8", "gb18030"):
        lenient = body.decode(candidate, errors="replace")
        if lenient.count("\ufffd") <= max(2, len(lenient) // 1000):
            return lenient
    return text or body.decode("gb18030", errors="replace")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad / len(sample) > 0.05


# -- PDF -----------------------------------------------------------------------------------------


def _read_pdf(body: bytes, sink: _Sink, depth: int) -> None:
    reader = PdfReader(io.BytesIO(body), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # owner-password-only files open with the empty user password
        except (DependencyError, NotImplementedError) as exc:
            raise _Problem("encrypted", f"PDF 已加密：{exc}") from exc
        if not opened:
            raise _Problem("encrypted", "PDF 已加密，需要密码才能打开")
    try:
        pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise _Problem("encrypted", f"PDF 已加密：{exc}") from exc
    failures = 0
    for number in range(min(pages, MAX_PDF_PAGES)):
        sink.tick()
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:  # one unreadable page: keep the others
            failures += 1
            continue
        sink.line(text)
    if pages > MAX_PDF_PAGES:
        sink.truncated = True
        sink.note = sink.note or f"共 {pages} 页，只读取了前 {MAX_PDF_PAGES} 页"
    if failures and failures == min(pages, MAX_PDF_PAGES):
        raise _Problem("corrupt", f"PDF 的 {failures} 页都无法提取文本")


# -- zip-based: docx, xlsx, pptx, ofd, zip --------------------------------------------------------


def check_zip(archive: zipfile.ZipFile) -> None:
    """Raise a `bomb` problem when the archive's directory promises more than the bounds allow."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _Problem("bomb", f"压缩包有 {len(members)} 个文件（上限 {MAX_ZIP_MEMBERS}）")
    total = sum(info.file_size for info in members)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise _Problem("bomb", f"解压后共 {total} 字节（上限 {MAX_ZIP_UNCOMPRESSED}）")
    for info in members:
        if info.file_size >= RATIO_EXEMPT_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _Problem("bomb", f"{_member_name(info)} 压缩比 {ratio:.0f}:1（上限 {MAX_ZIP_RATIO}:1）")


def _read_zip_based(body: bytes, sink: _Sink, depth: int) -> None:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        check_zip(archive)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            _read_docx(body, sink)
        elif "xl/workbook.xml" in names:
            _read_xlsx(body, sink)
        elif "ppt/presentation.xml" in names:
            _read_pptx(archive, sink)
        elif "OFD.xml" in names:
            _read_ofd(archive, sink)
        else:
            _read_zip(archive, sink, depth)


def _read_docx(body: bytes, sink: _Sink) -> None:
    document = docx.Document(io.BytesIO(body))

    def cell_text(cell) -> str:
        parts = []
        for item in cell.iter_inner_content():
            parts.append(item.text if not isinstance(item, Table) else " ".join(_table_rows(item, cell_text)))
        return " ".join(p for p in parts if p)

    def emit(items: Iterable) -> None:
        for item in items:
            sink.tick()
            if isinstance(item, Table):
                for row in _table_rows(item, cell_text):
                    sink.line(row)
            else:
                sink.line(item.text)

    emit(document.iter_inner_content())
    seen: set[int] = set()
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            emit(part.iter_inner_content())


def _table_rows(table, cell_text: Callable) -> list[str]:
    rows = []
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell repeats across the columns it spans
                continue
            last = cell._tc
            cells.append(cell_text(cell))
        rows.append("\t".join(cells))
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))  # numbers typed into cells (phone numbers!) are floats: no ".0"
    return str(value)


def _read_xlsx(body: bytes, sink: _Sink) -> None:
    book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # do not pad rows to a declared (possibly absurd) dimension
            sink.line(f"【{sheet.title}】")
            for row in sheet.iter_rows(values_only=True):
                sink.tick()
                cells = [_cell(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    sink.line("\t".join(cells))
    finally:
        book.close()


def _read_xls(body: bytes, sink: _Sink, depth: int) -> None:
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True, logfile=_Discard())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise _Problem("encrypted", f"xls 已加密：{exc}") from exc
        raise _Problem("corrupt", f"xlrd: {exc}") from exc
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            sink.line(f"【{sheet.name}】")
            for r in range(sheet.nrows):
                sink.tick()
                cells = [_xls_cell(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    sink.line("\t".join(cells))
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_cell(cell, datemode: int) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode).isoformat(sep=" ")
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _cell(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _cell(cell.value)


def _xml_root(archive: zipfile.ZipFile, name: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.fromstring(archive.read(name), parser)


def _numbered(names: Iterable[str], pattern: re.Pattern[str]) -> list[str]:
    found = [(tuple(int(g) for g in m.groups()), n) for n in names if (m := pattern.search(n))]
    return [name for _, name in sorted(found)]


SLIDE_RE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
OFD_PAGE_RE = re.compile(r"^Doc_(\d+)/Pages/Page_(\d+)/Content\.xml$")
DRAWING_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _read_pptx(archive: zipfile.ZipFile, sink: _Sink) -> None:
    for name in _numbered(archive.namelist(), SLIDE_RE):
        sink.tick()
        root = _xml_root(archive, name)
        for paragraph in root.iter(f"{DRAWING_NS}p"):
            sink.line("".join(t.text or "" for t in paragraph.iter(f"{DRAWING_NS}t")))


def _read_ofd(archive: zipfile.ZipFile, sink: _Sink) -> None:
    """OFD (GB/T 33190): each page's Content.xml holds TextObjects made of TextCode runs."""
    for name in _numbered(archive.namelist(), OFD_PAGE_RE):
        sink.tick()
        root = _xml_root(archive, name)
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.endswith("TextObject"):
                codes = [c.text or "" for c in element.iter() if isinstance(c.tag, str) and c.tag.endswith("TextCode")]
                sink.line("".join(codes))


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # names without the UTF-8 flag are in the archiver's code page: GBK on Chinese Windows
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_zip(archive: zipfile.ZipFile, sink: _Sink, depth: int) -> None:
    members = [info for info in archive.infolist() if not info.is_dir()]
    sink.line("压缩包文件列表：" + "；".join(_member_name(info) for info in members))
    if depth > 0:
        return  # a zip inside a zip is listed, not opened
    read = 0
    for info in members:
        name = _member_name(info)
        fmt = extension("/" + name)
        if fmt not in KNOWN_FORMATS or fmt in UNSUPPORTED_DETAIL or read >= MAX_ZIP_TEXT_MEMBERS:
            continue
        sink.tick()
        read += 1
        data = archive.read(info)
        inner = _Sink(deadline=sink.deadline, limit=sink.limit - sink.size)
        try:
            _extract(fmt, data, inner, depth + 1)
        except _Problem as problem:
            sink.line(f"【{name}】（无法读取：{problem.problem}）")
            continue
        sink.line(f"【{name}】")
        sink.add(inner.text)
        if inner.truncated:
            sink.truncated = True
            sink.note = sink.note or inner.note
            raise _Stop
