"""Alter an already generated site, for the checks that compare a scan with its baseline.

- `add_friend_link(site_dir, url, text)`: a friendly link (友情链接) on the
  homepage to a site outside the sample (a `FriendSite`), set up before the
  baseline scan;
- `tamper(site_dir)`: what an attacker does — the banner replaced by a
  defacement headline and image; truth: `page_tampered` on the homepage;
- `FriendSite`: the friendly link's target on its own 127.0.0.1 port: a
  government page, then (`hijack`) a casino page, or a redirect to another
  loopback site carrying one — an expired domain bought by others; truth:
  `external_link_hijacked` (`hijacked_truth`);
- `legit_update(site_dir)`: what a site's editors do — new dated news items at
  the top of the homepage's lists, each with its article page; truth: nothing new.

Each alteration rewrites the site's truth.json for the altered run. Not for
anything bound to a non-loopback address.
"""

from __future__ import annotations

import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from govsite.samplesites.generate import WWW
from govsite.samplesites.truth import Truth, TruthFinding

LOOPBACK = "127.0.0.1"
BANNER = re.compile(r'<div class="banner">.*?</div>', re.S)
FRIENDS = re.compile(r'(<div class="friend-links"><span>友情链接：</span><ul>)')
HOME_LIST = re.compile(r'<ul class="list">')
DEFACEMENT = (
    '<div class="banner"><h1>本站已被黑客攻破 澳门威尼斯人娱乐城欢迎您</h1>'
    '<img src="/images/hacked.png" alt="hacked"></div>'
)
GOV_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>邻市人民政府门户网站</title></head>'
    "<body><h1>邻市人民政府</h1><p>政务公开 政务服务 互动交流</p></body></html>"
)
CASINO_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>澳门威尼斯人娱乐城-真人百家乐官方网站</title></head>'
    "<body><h1>澳门威尼斯人娱乐城</h1><p>真人视讯 百家乐 体育投注 注册开户送88元 首存返水</p></body></html>"
)


def _homepage(site_dir: Path) -> Path:
    return Path(site_dir) / WWW / "index.html"


def _rewrite(path: Path, pattern: re.Pattern, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = pattern.subn(lambda _m: replacement, text, count=1)
    if not count:
        raise ValueError(f"{path}: no {pattern.pattern!r} to alter (not a generated homepage?)")
    path.write_text(new, encoding="utf-8")


def add_friend_link(site_dir: Path, url: str, text: str = "邻市人民政府") -> None:
    """A friendly link to `url` first in the homepage's 友情链接 block (before the baseline scan)."""
    _check_loopback(url)
    path = _homepage(site_dir)
    html = path.read_text(encoding="utf-8")
    match = FRIENDS.search(html)
    if match is None:
        raise ValueError(f"{path}: no 友情链接 block")
    link = f'<li><a href="{url}" target="_blank">{text}</a></li>'
    path.write_text(html[: match.end()] + link + html[match.end() :], encoding="utf-8")


def tamper(site_dir: Path) -> Truth:
    """The homepage's banner replaced by a defacement headline and image; the truth gains page_tampered on /."""
    _rewrite(_homepage(site_dir), BANNER, DEFACEMENT)
    return _add_truth(site_dir, TruthFinding("page_tampered", "/", None, {"change": "banner"}))


def hijacked_truth(site_dir: Path, url: str) -> Truth:
    """The truth gains external_link_hijacked for the friendly link to `url` (on the homepage)."""
    return _add_truth(site_dir, TruthFinding("external_link_hijacked", url, "/", {}))


def legit_update(site_dir: Path, as_of: date, count: int = 2) -> list[str]:
    """New dated items (with their pages) at the top of each homepage list; the truth is unchanged."""
    www = Path(site_dir) / WWW
    path = _homepage(site_dir)
    html = path.read_text(encoding="utf-8")
    added: list[str] = []
    pieces = HOME_LIST.split(html)
    for n, _rest in enumerate(pieces[1:], start=1):
        items = ""
        for i in range(count):
            href = f"/news/update/{n}_{i}.html"
            title = f"我市召开第{n}{i}次重点工作推进会"
            items += f'<li><a href="{href}" target="_blank">{title}</a><span class="time">[{as_of:%m-%d}]</span></li>'
            (www / href.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            (www / href.lstrip("/")).write_text(_article(title, as_of), encoding="utf-8")
            added.append(href)
        pieces[n] = items + pieces[n]
    path.write_text('<ul class="list">'.join(pieces), encoding="utf-8")
    return added


def _article(title: str, day: date) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1><p>发布时间：{day:%Y-%m-%d}</p><p>会议听取了各部门重点工作进展情况汇报。</p></body></html>"
    )


def _add_truth(site_dir: Path, finding: TruthFinding) -> Truth:
    truth = Truth.load(Path(site_dir))
    truth.findings.append(finding)
    truth.save(Path(site_dir))
    return truth


def _check_loopback(url: str) -> None:
    if not url.startswith((f"http://{LOOPBACK}:", f"https://{LOOPBACK}:")):
        raise ValueError(f"friendly links of generated sites point at {LOOPBACK} only, not {url!r}")


class FriendSite:
    """A friendly link's target on 127.0.0.1: a government page until `hijack`ed.

    `hijack("casino")` serves a casino page at the same URL; `hijack("redirect", to=URL)`
    answers 302 to another loopback URL (as a re-registered domain forwards its visitors).
    """

    def __init__(self) -> None:
        self.mode, self.target = "gov", ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if owner.mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", owner.target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = (CASINO_PAGE if owner.mode == "casino" else GOV_PAGE).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_address[1]}/"

    def hijack(self, mode: str, to: str = "") -> None:
        if mode not in ("gov", "casino", "redirect"):
            raise ValueError(f"unknown mode {mode!r}")
        if mode == "redirect":
            _check_loopback(to)
        self.mode, self.target = mode, to

    def __enter__(self) -> FriendSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
