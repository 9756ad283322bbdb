"""One page, many URLs: which of a crawl's URLs are aliases of one page, and which URL stands for it.

Real government sites answer one page under several URLs: `/` and `/index.html`
(or `index.htm`, `index.shtml`, `default.htm`), `/col/` and `/col/index.html`,
`/col` redirected to `/col/`. The crawl's frontier already treats URLs that are
equal by the URL rules (`policy.url_key`: case of scheme and host, `./`, an
empty `?`, a fragment, the default port) as one URL. Directory forms are only
candidates (`policy.alias_key`), since `/index.html` can be another page than
`/`; a candidate pair is one page when

- a redirect leads from one to the other (the fetch's redirect chain), or
- both answered 200 with byte-identical HTML (`FetchRecord.content_hash`), or
  with pages that read the same (one title, visible text and links: bodies
  that differ by a time stamp in a comment or a token in a form).

Content alone never merges: two columns whose pages both say 暂无信息 have
different alias keys and stay two pages.

A group's canonical URL is the site's homepage URL as given when the group
holds it, else the URL with a page record that the site's pages link most
often (the one a visitor follows; then the shortest), so every crawl of the
same site, fresh, resumed or rebuilt from its WARC, picks the same one. The
judge keeps that page's record only (`PageIndex`: lookups of an alias find
it) and reports findings on the canonical URL (scan/judge.py).

Not for: deciding what to fetch (spider.py) or the URL rules themselves (policy.py).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping

from govsite.crawl.policy import alias_key, url_key
from govsite.crawl.records import FetchRecord, PageRecord


def content_digest(body: bytes) -> str:
    """The digest two responses compare by (identical bodies, identical digest)."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def page_aliases(fetches: Iterable[FetchRecord], pages: Mapping[str, PageRecord], site: str) -> dict[str, str]:
    """Every URL in a group of two or more aliases (its `url_key` and each spelling the crawl
    wrote) -> the group's canonical URL.

    `pages` are the crawl's page records by URL; `site` is the homepage URL as the scan was given.
    Only URLs that may be aliases are normalised (a redirect, a body digest shared with another
    page): `url_key` costs ~10 µs and a large crawl has 50,000 pages."""
    groups = _UnionFind()
    names: dict[str, str] = {}  # url_key -> the URL as the crawl wrote it
    spellings: dict[str, set[str]] = {}
    same_body: dict[str, list[str]] = {}
    for fetch in fetches:
        if fetch.kind != "page":
            continue
        chain = [fetch.url, *fetch.redirects]
        if fetch.final_url and fetch.redirects:  # as the page record spells it (Scrapy escapes links)
            chain[-1] = fetch.final_url
        for before, after in itertools.pairwise(chain):
            if alias_key(before) == alias_key(after):
                groups.union(_named(before, names, spellings), _named(after, names, spellings))
        if fetch.ok and fetch.content_hash:
            same_body.setdefault(fetch.content_hash, []).append(fetch.final_url or chain[-1])
    for urls in [*same_body.values(), *_same_reading(pages)]:
        if len(urls) < 2:  # a body no other page has merges nothing
            continue
        firsts: dict[str, str] = {}
        for url in urls:
            first = firsts.setdefault(alias_key(url), url)
            groups.union(_named(first, names, spellings), _named(url, names, spellings))
    home = url_key(site)
    names[home] = site
    merged = [members for members in groups.groups() if len(members) > 1]
    inbound = _links_to({names[key] for members in merged for key in members}, pages.values())

    def rank(key: str) -> tuple:
        url = names[key]
        return (key != home, url not in pages, -inbound[url], len(url), url)

    aliases: dict[str, str] = {}
    for members in merged:
        canonical = names[min(members, key=rank)]
        for key in members:
            aliases.update(dict.fromkeys((key, names[key], *spellings.get(key, ())), canonical))
    return aliases


def merged_count(aliases: Mapping[str, str]) -> int:
    """How many URLs `page_aliases` merged into another's page."""
    return len({url_key(url) for url in aliases}) - len(set(aliases.values()))


def _named(url: str, names: dict[str, str], spellings: dict[str, set[str]]) -> str:
    key = url_key(url)
    names.setdefault(key, url)
    spellings.setdefault(key, set()).add(url)
    return key


def _same_reading(pages: Mapping[str, PageRecord]) -> list[list[str]]:
    """URLs of pages that read the same: one title, visible text and links (assets aside).

    What a visitor sees, for bodies that differ by what nobody reads: a time stamp in a comment, a
    token in a form, a cache-busting asset query."""
    by_text: dict[tuple[str, str], list[str]] = {}
    for url, page in pages.items():
        by_text.setdefault((page.title, page.text), []).append(url)
    same: list[list[str]] = []
    for urls in by_text.values():
        if len(urls) < 2:
            continue
        by_links: dict[tuple, list[str]] = {}
        for url in urls:
            links = tuple((link.url, link.text) for link in pages[url].links if link.kind != "other")
            by_links.setdefault(links, []).append(url)
        same += [group for group in by_links.values() if len(group) > 1]
    return same


def _links_to(urls: set[str], pages: Iterable[PageRecord]) -> Counter[str]:
    """How many links of the pages point at each of `urls` (the one the site links is the visitor's)."""
    counts: Counter[str] = Counter(dict.fromkeys(urls, 0))
    if urls:
        for page in pages:
            for link in page.links:
                if link.url in urls:
                    counts[link.url] += 1
    return counts


class PageIndex(dict):
    """The page records by URL, one record per page: iterating gives each page once; looking up an
    alias, or any URL with the same `url_key`, gives its page's record."""

    def __init__(self, pages: Mapping[str, PageRecord], aliases: Mapping[str, str]) -> None:
        self.aliases = aliases
        grouped: dict[str, list[str]] = {}
        for url in pages:
            if url in aliases:
                grouped.setdefault(aliases[url], []).append(url)
        # The canonical URL's record when it has one (a redirected homepage's is its final URL's).
        self._kept = {
            canonical: canonical if canonical in urls else min(urls, key=lambda u: (len(u), u))
            for canonical, urls in grouped.items()
        }
        dropped = {url for urls in grouped.values() for url in urls} - set(self._kept.values())
        super().__init__({url: record for url, record in pages.items() if url not in dropped})

    def _resolve(self, url: object) -> str | None:
        if not isinstance(url, str):
            return None
        if dict.__contains__(self, url):
            return url
        if not self.aliases:
            return None
        canonical = self.aliases.get(url) or self.aliases.get(url_key(url))
        return self._kept.get(canonical) if canonical else None

    def get(self, url: object, default: PageRecord | None = None) -> PageRecord | None:  # type: ignore[override]
        found = self._resolve(url)
        return dict.__getitem__(self, found) if found is not None else default

    def __contains__(self, url: object) -> bool:
        return self._resolve(url) is not None

    def __missing__(self, url: str) -> PageRecord:
        found = self._resolve(url)
        if found is None:
            raise KeyError(url)
        return dict.__getitem__(self, found)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        while parent != item:
            grand = self.parent[parent]
            self.parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def groups(self) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        for item in list(self.parent):
            found.setdefault(self.find(item), []).append(item)
        return list(found.values())
