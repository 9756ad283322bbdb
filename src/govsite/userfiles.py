"""Reading files that people make by hand: site lists, score sheets.

They come out of Excel and WPS, so a CSV is as often GBK (GB18030) or
UTF-8 with a BOM as plain UTF-8. We try the strict decodings that cover
nearly all of them before asking charset-normalizer to guess, and say so
plainly when nothing fits. Not for crawled pages (those carry their own
encoding declarations and are decoded by the crawler).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from charset_normalizer import from_bytes

MAX_USER_FILE_BYTES = 50 * 1024 * 1024


class UserFileError(ValueError):
    """A user file that cannot be read at all (missing, too large, unknown encoding)."""


def decode_user_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for bytes from a spreadsheet export."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding, errors="strict"), encoding
        except UnicodeDecodeError:
            continue
    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        raise UserFileError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")
    return str(guess), guess.encoding


def read_user_text(path: str | Path) -> tuple[str, str]:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise UserFileError(f"文件不存在：{path}") from exc
    if size > MAX_USER_FILE_BYTES:
        raise UserFileError(f"文件过大（{size} 字节，上限 {MAX_USER_FILE_BYTES}）：{path}")
    try:
        return decode_user_bytes(path.read_bytes())
    except UserFileError as exc:
        raise UserFileError(f"{path}: {exc}") from exc


def read_csv_rows(path: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV as dicts keyed by the stripped header; cells stripped, None -> ''."""
    text, _ = read_user_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        return []
    reader.fieldnames = [name.strip() for name in reader.fieldnames]
    return [
        {key: (value or "").strip() if isinstance(value, str) else "" for key, value in row.items() if key}
        for row in reader
    ]
