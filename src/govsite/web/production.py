"""What the settings need to tell a production deployment from the embedded default (pure helpers).

`production_problems` says, in Chinese, why a production start is refused; `secret_key_file` is the
embedded default's key, generated once per data directory; `ssl_header` turns the proxy's header name
into Django's SECURE_PROXY_SSL_HEADER.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

KEY_FILE = "secret_key"


def production_problems(*, production: bool, debug: bool, secret_key_from_env: bool) -> list[str]:
    """Why these settings may not serve production (empty: they may)."""
    if not production:
        return []
    problems = []
    if debug:
        problems.append("生产环境不能开启调试模式：请删除 GOVSITE_DEBUG 或设为 0")
    if not secret_key_from_env:
        problems.append(
            "生产环境须设置 GOVSITE_SECRET_KEY（至少 50 个随机字符，可用 "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))' 生成），不使用自动生成的密钥"
        )
    return problems


def secret_key_file(data_dir: Path) -> str:
    """The key in data_dir/secret_key, written (owner-only) on first use; two processes agree on one."""
    path = Path(data_dir) / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key once written
        for _ in range(50):
            try:
                return _read(path)
            except FileNotFoundError:
                time.sleep(0.02)
        return _read(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise FileNotFoundError(path)  # a half-written file from a crash: treated as none
    return key


def ssl_header(name: str) -> tuple[str, str] | None:
    """'X-Forwarded-Proto' -> ('HTTP_X_FORWARDED_PROTO', 'https'); '' -> None (no proxy configured)."""
    name = name.strip()
    if not name:
        return None
    return "HTTP_" + name.upper().replace("-", "_"), "https"
