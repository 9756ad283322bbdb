"""A website's identity: its canonical origin, the key a website keeps across surveys and monitoring rounds.

The origin is scheme + host + port of the homepage URL (RFC 6454): the scheme
and host in lower case, the default port of the scheme dropped (http 80,
https 443), a trailing dot of the host dropped, and an internationalised
host in its ASCII (punycode) form, so that a 中文域名 under the government's
own TLD ("中央人民政府.政务", as the 政务 domain rules name them) typed in
Chinese, with the full-width "。" or as punycode is one website. The path
is not part of it: http://www.hz.gov.cn/ and http://www.hz.gov.cn/index.html
are one website. "www." is kept: www.xx.gov.cn and xx.gov.cn are
different hosts (a department's AAA.xx.gov.cn is a website of its own).
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under a country code that are not a registrant's own (zj.gov.cn, bbc.co.uk).
SECOND_LEVEL_LABELS = {"gov", "com", "org", "net", "edu", "ac", "mil", "co"}


def canonical_origin(url: str) -> str:
    """ "scheme://host[:port]" of `url`; ValueError (in Chinese) when it is not a usable http(s) URL."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"“{url}”不是 http/https 网址")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"“{url}”缺少主机名")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"“{url}”的端口无效") from exc
    host = _ascii_host(host, url)
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def _ascii_host(host: str, url: str) -> str:
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError(f"“{url}”的主机名无效：{exc}") from exc


def registrable(url: str) -> str:
    """The site a URL belongs to: its registrable domain (zj.gov.cn, example.com), or for an IP
    address or a one-label name the host and port.

    A short rule, not the public suffix list (tldextract would bring `requests` into the
    detectors): the last two labels, three under a country code's gov/com/org/… . Used to tell
    a site's own scripts and links from foreign ones (checks/injection.py, checks/tamper.py).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        ip_address(host)
        numeric = True
    except ValueError:
        numeric = False
    if numeric or "." not in host:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        return f"{host}:{port}"
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL_LABELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
