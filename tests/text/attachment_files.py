"""Real attachment files built in memory for the extraction tests: formats no library here writes
(xls, a PDF with CJK text, pptx, ofd) are put together from their specifications, minimally."""

from __future__ import annotations

import io
import struct
import zipfile


def _record(rtype, data=b""):
    return struct.pack("<HH", rtype, len(data)) + data


def _label(row, col, text):
    raw = text.encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + raw)


def _biff8(sheets):
    """Workbook globals (BOF 0x0809, CODEPAGE 0x0042 = UTF-16, one BOUNDSHEET 0x0085 per sheet, EOF 0x000A),
    then each sheet: BOF, LABEL (0x0204) cells, EOF. Text cells need no XF/format records."""

    def bof(kind):
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    bodies = []
    for _name, rows in sheets:
        cells = b"".join(_label(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row))
        bodies.append(bof(0x0010) + cells + _record(0x000A))

    def boundsheets(offsets):
        out = b""
        for (name, _), off in zip(sheets, offsets, strict=True):
            raw = name.encode("utf-16-le")
            out += _record(0x0085, struct.pack("<IBBBB", off, 0, 0, len(name), 1) + raw)
        return out

    head = bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    tail = _record(0x000A)
    globals_len = len(head) + len(boundsheets([0] * len(sheets))) + len(tail)
    offsets, pos = [], globals_len
    for body in bodies:
        offsets.append(pos)
        pos += len(body)
    return head + boundsheets(offsets) + tail + b"".join(bodies)


def ole_bytes(stream_name: str, stream: bytes) -> bytes:
    """A compound file (OLE2) holding one stream of at least 4 KiB (so no mini stream is needed)."""
    sector = 512
    stream = stream + b"\x00" * (max(4096, -(-len(stream) // sector) * sector) - len(stream))
    n = len(stream) // sector
    END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [FATSECT] + [i + 2 for i in range(n - 1)] + [END] + [END]  # sector 0 FAT, 1..n stream, n+1 directory
    fat += [FREE] * (128 - len(fat))
    dir_sector = n + 1

    def entry(name, kind, child, start, size):
        raw = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NOSTREAM, NOSTREAM, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IIi", start, size, 0)
        )

    directory = entry("Root Entry", 5, 1, END, 0) + entry(stream_name, 2, NOSTREAM, 1, len(stream))
    directory += b"\x00" * (sector - len(directory))
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, dir_sector, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    assert len(header) == 512, len(header)
    return header + struct.pack("<128I", *fat) + stream + directory


def xls_bytes(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """A BIFF8 workbook (what Excel 97-2003 saves) with text cells, one sheet per (name, rows)."""
    return ole_bytes("Workbook", _biff8(sheets))


def cjk_pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF whose text is shown with a Type0 font (Identity-H, CID = code point) and a ToUnicode CMap."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cmap_lines = []
    for i in range(0, len(chars), 100):
        block = chars[i : i + 100]
        cmap_lines.append(f"{len(block)} beginbfchar")
        cmap_lines += [f"<{ord(c):04X}> <{ord(c):04X}>" for c in block]
        cmap_lines.append("endbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + "\n".join(cmap_lines)
        + "\nendcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        5: b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    }
    kids = []
    for n, page in enumerate(pages):
        page_id, content_id = 6 + 2 * n, 7 + 2 * n
        ops = ["BT /F1 12 Tf 14 TL 72 770 Td"]
        for line in page:
            ops.append("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode()
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % content_id
        )
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        kids.append(f"{page_id} 0 R")
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def zip_of(members: dict[str, bytes], *, utf8_names: bool = True, level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if utf8_names:
                info.flag_bits |= 0x800
            archive.writestr(info, data)
    return out.getvalue()


def gbk_named_zip(name: str, data: bytes) -> bytes:
    """A zip as Chinese Windows archivers write it: a GBK file name without the UTF-8 flag."""
    gbk = name.encode("gbk")
    placeholder = "p" * len(gbk)  # the same length, so every offset in the archive stays valid
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(placeholder, date_time=(2025, 1, 1, 0, 0, 0)), data)
    return out.getvalue().replace(placeholder.encode(), gbk)


def pptx_bytes(slides: list[list[str]]) -> bytes:
    ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    members = {"ppt/presentation.xml": b"<presentation/>"}
    for n, paragraphs in enumerate(slides, start=1):
        body = "".join(f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>" for text in paragraphs)
        members[f"ppt/slides/slide{n}.xml"] = f"<sld {ns}><a:txBody>{body}</a:txBody></sld>".encode()
    return zip_of(members)


def ofd_bytes(pages: list[list[str]]) -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    members = {"OFD.xml": f"<ofd:OFD {ns}/>".encode()}
    for n, objects in enumerate(pages):
        texts = "".join(
            f'<ofd:TextObject ID="{i}"><ofd:TextCode X="0" Y="0">{text[:3]}</ofd:TextCode>'
            f'<ofd:TextCode X="9" Y="0">{text[3:]}</ofd:TextCode></ofd:TextObject>'
            for i, text in enumerate(objects)
        )
        members[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f"<ofd:Page {ns}><ofd:Content><ofd:Layer>{texts}</ofd:Layer></ofd:Content></ofd:Page>".encode()
        )
    return zip_of(members)
