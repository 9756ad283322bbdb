"""extract_document on real files of every format, and on the hostile ones crawls meet: encrypted
PDFs and Office files, zip bombs disguised as .xlsx, truncated/garbled files — a problem, never a crash."""

from __future__ import annotations

import codecs
import io
import random
import zipfile

import docx
import pytest
from attachment_files import cjk_pdf_bytes, gbk_named_zip, ofd_bytes, ole_bytes, pptx_bytes, xls_bytes, zip_of
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter

from govsite.samplesites.files import pdf_bytes
from govsite.text import extract
from govsite.text.extract import MAX_PDF_PAGES, MAX_TEXT_CHARS, extract_document

ID = "330102199001011234"
PHONE = "13812345678"
CARD = "6222021234567890128"
BASE = "https://www.example.gov.cn/attach/"


def xlsx_file() -> bytes:
    book = Workbook()
    first = book.active
    first.title = "名单"
    first.append(["姓名", "身份证号码", "联系电话"])
    first.append(["张三", ID, 13812345678.0])  # a phone typed as a number is a float in the file
    second = book.create_sheet("补充")
    second.append(["李四", None, "备注"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_file() -> bytes:
    document = docx.Document()
    document.add_heading("会议回执", level=1)
    document.add_paragraph(f"会务联系人：王五 {PHONE}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "身份证号"
    table.cell(1, 0).text, table.cell(1, 1).text = "赵六", ID
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "嵌套表格"
    document.sections[0].footer.paragraphs[0].text = "页脚：办公室"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_xlsx_text_has_every_sheet_with_tab_separated_cells_and_integral_numbers_without_decimals():
    record = extract_document(BASE + "a.xlsx", "", xlsx_file())
    assert record.problem == "" and record.format == "xlsx"
    assert f"张三\t{ID}\t{PHONE}\n" in record.text
    assert "【补充】\n李四\t\t备注\n" in record.text


def test_docx_text_has_paragraphs_tables_nested_tables_and_footers_in_order():
    record = extract_document(BASE + "b.docx", "", docx_file())
    assert record.problem == "" and record.format == "docx"
    text = record.text
    assert f"会务联系人：王五 {PHONE}" in text
    assert "姓名\t身份证号\n" in text and f"赵六\t{ID} 嵌套表格" in text
    assert text.index("会议回执") < text.index("会务联系人") < text.index("赵六")
    assert "页脚：办公室" in text


def test_pdf_with_cjk_text_is_read_page_by_page():
    body = cjk_pdf_bytes([["拟聘用人员名单", f"张三 身份证号：{ID}"], [f"联系电话：{PHONE}"]])
    record = extract_document(BASE + "c.pdf", "application/pdf", body)
    assert record.problem == ""
    assert "拟聘用人员名单" in record.text and f"身份证号：{ID}" in record.text and PHONE in record.text


def test_pdf_made_like_the_sample_sites_is_read():
    record = extract_document(BASE + "d.pdf", "", pdf_bytes("Document 1234 - 101"))
    assert record.problem == "" and "Document 1234 - 101" in record.text


def _encrypt(body: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_reported_encrypted():
    body = _encrypt(cjk_pdf_bytes([[f"身份证号：{ID}"]]), "secret")
    record = extract_document(BASE + "e.pdf", "", body)
    assert record.problem == "encrypted" and record.text == ""


def test_pdf_with_only_an_owner_password_opens_and_is_read():
    body = _encrypt(cjk_pdf_bytes([[f"身份证号：{ID}"]]), "")
    record = extract_document(BASE + "f.pdf", "", body)
    assert record.problem == "" and ID in record.text


def test_pdf_pages_beyond_the_bound_are_not_read():
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 5):
        writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    record = extract_document(BASE + "long.pdf", "", out.getvalue())
    assert record.problem == "" and record.truncated and str(MAX_PDF_PAGES) in record.detail


@pytest.mark.parametrize("body", [b"%PDF-1.4\n1 0 obj << /Type /Catalog", cjk_pdf_bytes([["abc"]])[:300]])
def test_malformed_pdf_is_corrupt_with_the_library_message(body):
    record = extract_document(BASE + "g.pdf", "", body)
    assert record.problem == "corrupt" and record.detail


def test_xls_sheets_are_read_with_xlrd():
    body = xls_bytes([("名单", [["姓名", "手机"], ["张三", PHONE]]), ("第二页", [["备注"]])])
    record = extract_document(BASE + "h.xls", "application/vnd.ms-excel", body)
    assert record.problem == "" and record.format == "xls"
    assert f"【名单】\n姓名\t手机\n张三\t{PHONE}\n【第二页】\n备注\n" == record.text


def test_wps_spreadsheet_in_biff_layout_is_read_like_xls():
    body = xls_bytes([("Sheet1", [["手机", PHONE]])])
    assert PHONE in extract_document(BASE + "i.et", "", body).text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-8", "utf-16"])
def test_csv_and_txt_are_decoded_whatever_excel_or_wps_saved_them_as(encoding):
    text = f"序号,姓名,身份证号\r\n1,张三,{ID}\r\n"
    for ext in ("csv", "txt"):
        record = extract_document(BASE + f"j.{ext}", "", text.encode(encoding))
        assert record.problem == "" and f"1,张三,{ID}" in record.text


def test_binary_garbage_named_csv_is_corrupt():
    garbage = random.Random(7).randbytes(5000)
    record = extract_document(BASE + "k.csv", "text/csv", garbage)
    assert record.problem == "corrupt" and record.text == ""


def test_text_beyond_the_character_cap_is_truncated():
    body = ("行" * 1000 + "\n").encode() * (MAX_TEXT_CHARS // 1000 + 5)
    record = extract_document(BASE + "big.txt", "", body)
    assert record.truncated and len(record.text) == MAX_TEXT_CHARS and record.problem == ""


def test_zip_lists_its_members_and_reads_supported_ones_including_gbk_names():
    inner_csv = f"姓名,手机\r\n张三,{PHONE}\r\n".encode("gbk")
    nested = zip_of({"deep.csv": f"身份证号,{ID}".encode()})
    body = zip_of(
        {"名单.xlsx": xlsx_file(), "说明.txt": "附件说明".encode(), "inner.zip": nested, "logo.png": b"\x89PNG"}
    )
    record = extract_document(BASE + "l.zip", "application/zip", body)
    assert record.problem == "" and record.format == "zip"
    assert record.text.startswith("压缩包文件列表：名单.xlsx；说明.txt；inner.zip；logo.png")
    assert f"【名单.xlsx】\n【名单】\n姓名\t身份证号码\t联系电话\n张三\t{ID}\t{PHONE}" in record.text
    assert "【说明.txt】\n附件说明" in record.text
    assert "deep.csv" in record.text and f"身份证号,{ID}" not in record.text  # a zip in a zip is listed, not opened
    gbk = extract_document(BASE + "m.zip", "", gbk_named_zip("高龄津贴名单.csv", inner_csv))
    assert "高龄津贴名单.csv" in gbk.text and f"张三,{PHONE}" in gbk.text


def test_pptx_and_ofd_text_is_read_from_their_xml():
    pptx = extract_document(BASE + "n.pptx", "", pptx_bytes([["第一页"], [f"联系电话：{PHONE}"]]))
    assert pptx.problem == "" and pptx.text == f"第一页\n联系电话：{PHONE}\n"
    ofd = extract_document(BASE + "o.ofd", "", ofd_bytes([["发放名单"], [f"身份证号：{ID}"]]))
    assert ofd.problem == "" and ofd.text == f"发放名单\n身份证号：{ID}\n"


def test_a_file_is_read_by_its_bytes_not_its_name():
    record = extract_document(BASE + "p.wps", "application/kswps", docx_file())  # WPS saved a docx as .wps
    assert record.problem == "" and PHONE in record.text and record.format == "wps"
    record = extract_document(BASE + "download?id=7", "application/pdf", cjk_pdf_bytes([["你好"]]))
    assert record.format == "pdf" and "你好" in record.text


def test_zip_bomb_disguised_as_xlsx_is_reported_before_anything_is_inflated():
    body = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(20 * 1024 * 1024)}, level=9)
    assert len(body) < 100_000
    record = extract_document(BASE + "q.xlsx", "", body)
    assert record.problem == "bomb" and "压缩比" in record.detail


def test_archive_whose_directory_promises_too_much_is_a_bomb(monkeypatch):
    monkeypatch.setattr(extract, "MAX_ZIP_UNCOMPRESSED", 1000)
    record = extract_document(BASE + "r.zip", "", zip_of({"a.txt": b"x" * 600, "b.txt": b"y" * 600}))
    assert record.problem == "bomb" and "1200" in record.detail


def test_archive_with_too_many_members_is_a_bomb():
    body = zip_of({f"{n}.txt": b"" for n in range(extract.MAX_ZIP_MEMBERS + 1)}, level=1)
    record = extract_document(BASE + "s.zip", "", body)
    assert record.problem == "bomb" and str(extract.MAX_ZIP_MEMBERS) in record.detail


def test_zip_checks_read_only_the_directory(monkeypatch):
    body = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(20 * 1024 * 1024)}, level=9)

    def refuse(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    assert extract_document(BASE + "t.xlsx", "", body).problem == "bomb"


@pytest.mark.parametrize(
    "body",
    [
        docx_file()[:2000],  # truncated download
        zip_of({"word/document.xml": b"<w:document><w:body><w:p>"}),  # broken XML
    ],
)
def test_corrupt_docx_is_reported_with_the_library_message(body):
    record = extract_document(BASE + "u.docx", "", body)
    assert record.problem == "corrupt" and record.detail


def test_encrypted_office_file_is_reported_encrypted():
    record = extract_document(BASE + "v.xlsx", "", ole_bytes("EncryptedPackage", b"\x00" * 100))
    assert record.problem == "encrypted"


@pytest.mark.parametrize("ext", ["doc", "wps", "ppt"])
def test_old_binary_office_formats_are_unsupported_with_a_clear_detail(ext):
    record = extract_document(BASE + f"w.{ext}", "", ole_bytes("WordDocument", b"\x00" * 100))
    assert record.problem == "unsupported" and "不支持" in record.detail


@pytest.mark.parametrize(
    ("name", "body"),
    [("x.rar", b"Rar!\x1a\x07\x00junk"), ("y.bin", b"whatever"), ("z.xlsx", b"not a zip at all"), ("e.csv", b"")],
)
def test_other_files_give_a_problem_not_an_exception(name, body):
    record = extract_document(BASE + name, "application/octet-stream", body)
    assert record.problem in {"unsupported", "corrupt"} and record.text == ""


def test_utf16_bom_text_is_not_mistaken_for_binary():
    body = codecs.BOM_UTF16_LE + f"姓名\t手机\r\n张三\t{PHONE}".encode("utf-16-le")
    assert PHONE in extract_document(BASE + "aa.txt", "", body).text


def test_an_xls_saved_under_an_xlsx_name_is_still_read():
    body = xls_bytes([("名单", [["手机", PHONE]])])
    record = extract_document(BASE + "ab.xlsx", "", body)
    assert record.problem == "" and PHONE in record.text and record.format == "xlsx"


def test_a_text_file_with_a_few_broken_bytes_is_still_read():
    body = f"姓名,身份证号\r\n张三,{ID}\r\n".encode("gbk") + b"\xff" + "备注：完".encode("gbk")
    record = extract_document(BASE + "ac.csv", "", body)
    assert record.problem == "" and f"张三,{ID}" in record.text


def test_randomly_damaged_files_of_every_format_never_raise():
    seeds = {
        "xlsx": xlsx_file(),
        "docx": docx_file(),
        "pdf": cjk_pdf_bytes([[f"手机 {PHONE}"]] * 2),
        "xls": xls_bytes([("a", [["手机", PHONE]])]),
        "zip": zip_of({"a.csv": b"a,b\n1,2", "b.docx": docx_file()}),
        "ofd": ofd_bytes([["发放名单"]]),
    }
    rng = random.Random(2025)
    problems = set()
    for _ in range(240):
        ext, body = rng.choice(list(seeds.items()))
        damaged = bytearray(body)
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(damaged))
            if rng.random() < 0.7:
                damaged[at] = rng.randrange(256)
            else:
                del damaged[at : at + rng.randint(1, 40)]
        record = extract_document(BASE + f"fuzz.{ext}", "", bytes(damaged))
        problems.add(record.problem)
        assert record.problem in {"", "corrupt", "bomb", "encrypted", "unsupported"}
    assert "corrupt" in problems
