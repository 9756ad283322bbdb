"""Wording: typos (错别字) and serious wording errors (严重表述错误) in pages and attachments.

Checks the main content of every crawled page, not its chrome, and the
extracted text of every attachment (DocumentRecord.text) with
govsite.text.wording.check_text. A page's main content is:

1. its visible text (PageRecord.text);
2. without the footer block and identity-mark units (网站标识码, ICP备,
   公网安备, 主办单位, 联系电话 …: wording.record_main_content);
3. without the site's chrome already read: text units on at least half of the
   site's pages (navigation, top bar, 打印本页 关闭窗口, footers;
   maincontent.SiteChrome, learnt from the visible texts) are checked once, on
   the first page that shows them (the homepage first), not on every page.

The identity and privacy detectors still read whole pages (a privacy leak in
a footer counts); only the wording checks skip the chrome.

- outdated institution names (2018 reform and local counterparts) and wrongly
  written fixed political expressions -> `sensitive_expression`, severity high;
- misspelt official titles and leader names (the deployment's lexicon lists
  them) -> `typo` with `detail.serious = true`, severity high;
- listed common misspellings and the general (statistical) typo layer ->
  `typo` with `detail.serious = false`, severity low. The statistical layer is
  on by default; the option `general_typos=False` (`govsite scan --no-typos`)
  turns it off.

Corpus learning (statistical layer only): a form that the site writes in at
least `typo_evidence.MIN_CONTEXTS` distinct contexts (the characters around
it, not pages: a template repeats one context on every page) is a word of the
site, not a typo (数智, 适老化 …: govsite.text.typo_evidence). The site's
statistical hits are held until all its texts are read, then the texts are read
again to count the contexts of the forms hit. A survey can pass evidence of its
own (option `survey_evidence`): it is consulted too, and each site's
counts are added to it, so later sites learn from earlier ones.

Emits:
  typo                  错别字        detail.serious for 严重错误
  sensitive_expression  严重表述错误

Rule: 《政府网站与政务新媒体检查指标》 counts 错别字 and 严重表述错误 (a single veto
for serious ones). One finding per (type, page or attachment URL, wrong
text): `detail.key` is the wrong text, so several different errors on a
page are separate findings; `detail.count` the occurrences, `detail.correct`
the expected form, `detail.kind` the layer (see wording.KINDS),
`detail.sentence` the first surrounding sentence (≤ 60 characters). For an
attachment, `page` is the page linking it. A historical mention of an old
name (原…, a year before the rename, a page published before it, a cited
《title》) is not an error; nor is a name the reform kept as a 牌子 (国家海洋局,
国家外国专家局) unless it names the body acting now (国家海洋局发布…): listed
among institutions, beside its parent body or in a sentence about the 牌子 it
is correct.

Options (the detector contract, checks/base.py): `WordingOptions`, given by
the scan under the name "wording" (`DetectorSettings`); `wording_options(lexicon=...,
extra_lexicons=..., whitelist=..., site_whitelists=..., general_typos=...)` builds
one from lexicon files. Without a lexicon in the options the environment
variable GOVSITE_WORDING_LEXICONS names the files (paths separated by
os.pathsep: the first replaces the bundled lexicon, the rest are merged on
top); a file there that cannot be read makes the detector NotConfigured
(reported skipped, never run on another lexicon). Whitelists: the global one
(lexicon `whitelist` section plus the option `whitelist`) applies everywhere; a
site whitelist (lexicon `site_whitelists` section, host -> words, plus the
option `site_whitelists`) on that site only (its host, with or without www.).

Lifecycle: while the judge holds the detector's context for a site
(`typo_layer`), the typo helper process runs (text/typo_helper.py) when the
statistical layer is on; it starts before the records are read.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

import yaml

from govsite.checks.base import CheckConfig, NotConfigured, SiteCrawl, detector
from govsite.crawl.records import PageRecord
from govsite.findings import Finding
from govsite.text import typo_helper
from govsite.text.maincontent import SiteChrome, sample
from govsite.text.typo_evidence import CorpusEvidence, evidence_forms
from govsite.text.wording import (
    Lexicons,
    WordingHit,
    check_text,
    default_lexicons,
    load_lexicons,
    record_main_content,
)

SEVERITY = {"sensitive_expression": "high"}
BATCH = 256  # texts per batch sent to the typo helper
AHEAD = 4  # batches sent ahead of the one being judged
T = TypeVar("T")


@dataclass(frozen=True)
class WordingOptions:
    """The wording detector's options (one instance per scan, given by the judge)."""

    lexicons: Lexicons | None = None  # None: the bundled lexicon (or GOVSITE_WORDING_LEXICONS)
    whitelist: frozenset[str] = frozenset()  # every site
    site_whitelists: Mapping[str, frozenset[str]] = field(default_factory=dict)  # host -> words
    # The statistical typo layer is on by default (`govsite scan --no-typos` turns it off): on the
    # government-style set it has precision 1.000 (0 false alarms in 150 correct sentences) and it
    # raises no finding on the generated sample sites' correct text. The lexicon layer is always on.
    general_typos: bool = True
    corpus_learning: bool = True  # learn the site's own words from its texts (distinct contexts)
    # A survey's evidence, consulted and fed by each site: the one mutable object here, shared on purpose.
    survey_evidence: CorpusEvidence | None = None

    def __post_init__(self) -> None:  # words given as any iterable, hosts in any case
        object.__setattr__(self, "whitelist", frozenset(self.whitelist))
        hosts = {host.lower(): frozenset(words) for host, words in self.site_whitelists.items()}
        object.__setattr__(self, "site_whitelists", hosts)


DEFAULT_OPTIONS = WordingOptions()


def wording_options(
    lexicon: str | None = None,
    extra_lexicons: Iterable[str] = (),
    whitelist: Iterable[str] = (),
    site_whitelists: Mapping[str, Iterable[str]] | None = None,
    general_typos: bool = True,
    corpus_learning: bool = True,
    survey_evidence: CorpusEvidence | None = None,
) -> WordingOptions:
    """The detector's options with the lexicons loaded from files (`lexicon` replaces the bundled one)."""
    extra = list(extra_lexicons)
    lexicons = load_lexicons(lexicon, extra) if (lexicon or extra) else None
    sites = {host: frozenset(words) for host, words in (site_whitelists or {}).items()}
    return WordingOptions(lexicons, frozenset(whitelist), sites, general_typos, corpus_learning, survey_evidence)


def _lexicons(options: WordingOptions) -> Lexicons:
    if options.lexicons is not None:
        return options.lexicons
    env = [p for p in os.environ.get("GOVSITE_WORDING_LEXICONS", "").split(os.pathsep) if p]
    if not env:
        return default_lexicons()
    try:
        return load_lexicons(env[0], env[1:])
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise NotConfigured(f"GOVSITE_WORDING_LEXICONS 所列词库无法读取：{exc}") from exc


def site_whitelist(lexicons: Lexicons, site: str, options: WordingOptions = DEFAULT_OPTIONS) -> set[str]:
    """Global and site whitelist words for the site whose homepage URL is `site`."""
    bare = (urlsplit(site).hostname or "").lower().removeprefix("www.")
    words = set(options.whitelist)
    for table in (lexicons.site_whitelists, options.site_whitelists):
        for name in (bare, f"www.{bare}"):
            words |= set(table.get(name, ()))
    return words


@contextlib.contextmanager
def typo_layer(config: CheckConfig, options: WordingOptions) -> Iterator[None]:
    """The detector's context for a site: the typo helper process, when the statistical layer is on."""
    with typo_helper.running(enabled=options.general_typos):
        yield


def _checked_pages(crawl: SiteCrawl) -> list[PageRecord]:
    """Pages with text, the homepage first (site chrome is checked on the first page showing it)."""
    home = crawl.homepage
    pages = [p for p in crawl.pages.values() if p.status < 400 and p.text and p is not home]
    if home is not None and home.status < 400 and home.text:
        pages.insert(0, home)
    return pages


def checked_pages(crawl: SiteCrawl) -> Iterator[tuple[PageRecord, str]]:
    """(page, the text the wording checks read) for every page with text, the homepage first."""
    pages = _checked_pages(crawl)
    chrome = SiteChrome.learn([record_main_content(p) for p in sample(pages)])
    for page in pages:
        yield page, chrome.drop_seen(record_main_content(page))


def checked_texts(crawl: SiteCrawl) -> dict[str, str]:
    """URL -> the text the wording checks read (for measuring the pipeline)."""
    return {page.url: text for page, text in checked_pages(crawl)}


@detector("wording", "typo", "sensitive_expression", options=WordingOptions, prepare=typo_layer)
def wording(crawl: SiteCrawl, options: WordingOptions = DEFAULT_OPTIONS) -> Iterator[Finding]:
    """Typos and serious wording errors in the main content of pages and in attachments."""
    lexicons = _lexicons(options)
    whitelist = site_whitelist(lexicons, crawl.site, options)
    general = options.general_typos
    typo_words = frozenset(lexicons.with_whitelist(whitelist).whitelist)
    # The statistical layer's hits are found batch by batch (in the judge's helper process when it runs,
    # govsite.text.typo_helper) while this thread reads the next texts and runs the lexicon layer; at
    # most AHEAD batches wait, so the texts are not all held at once.
    waiting: deque[tuple[list, Callable | None]] = deque()
    held: list[_Held] = []  # texts with hits, until the site's own words are known

    def judge(batch: list, later: Callable | None) -> None:
        ahead = later() if later else [None] * len(batch)
        for (url, where, published, text), typo_hits in zip(batch, ahead, strict=True):
            hits = check_text(
                text, lexicons, published=published, whitelist=whitelist, general_typos=general, typo_hits=typo_hits
            )
            if hits:
                held.append(_Held(url, where, hits, _typo_forms(text, hits)))

    for batch in _batched(_checked_texts(crawl), BATCH):
        waiting.append((batch, typo_helper.hits_later([b[-1] for b in batch], typo_words) if general else None))
        if len(waiting) > AHEAD:
            judge(*waiting.popleft())
    while waiting:
        judge(*waiting.popleft())
    evidence = _site_evidence(crawl, held, options)
    for item in held:
        hits = [h for i, h in enumerate(item.hits) if not evidence.vetoes(item.forms.get(i, ()))]
        if hits:
            page = None if item.where == "page" else crawl.linking_page(item.url)
            yield from _findings(crawl, item.url, page, item.where, hits)


@dataclass
class _Held:
    url: str
    where: str
    hits: list[WordingHit]
    forms: dict[int, tuple[str, ...]]  # index of a statistical hit -> the forms the corpus judges


def _typo_forms(text: str, hits: list[WordingHit]) -> dict[int, tuple[str, ...]]:
    """For each statistical hit, the forms whose use across the site would make it a word (typo_evidence)."""
    return {i: evidence_forms(text, h) for i, h in enumerate(hits) if h.kind == "typo"}


def _site_evidence(crawl: SiteCrawl, held: list[_Held], options: WordingOptions) -> CorpusEvidence:
    """The distinct contexts, in all the site's texts, of the forms its statistical hits judge."""
    forms = {f for item in held for fs in item.forms.values() for f in fs}
    evidence = CorpusEvidence()
    survey = options.survey_evidence
    if not forms or not options.corpus_learning:
        return survey or evidence
    evidence.add_texts((text for *_, text in _checked_texts(crawl)), forms)
    if survey is not None:
        survey.merge(evidence)
        return survey
    return evidence


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items in order, the last one shorter (itertools.batched from Python 3.12)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _checked_texts(crawl: SiteCrawl) -> Iterator[tuple[str, str, date | None, str]]:
    """(URL, "page" or the attachment's format, publish date, the text read) for every page and attachment."""
    for page, text in checked_pages(crawl):
        yield page.url, "page", page.published, text
    for document in crawl.documents.values():
        if document.text:
            yield document.url, document.format, None, record_main_content(document)


def _findings(crawl: SiteCrawl, url: str, page: str | None, where: str, hits: list[WordingHit]) -> Iterator[Finding]:
    grouped: dict[tuple[str, str], list[WordingHit]] = {}
    for hit in hits:
        grouped.setdefault((hit.type, hit.wrong), []).append(hit)
    place = "页面" if where == "page" else f"附件（{where}）"
    for (type_, wrong), found in grouped.items():
        first = found[0]
        serious = any(h.serious for h in found)
        severity = SEVERITY.get(type_, "high" if serious else "low")
        label = "表述错误" if type_ == "sensitive_expression" else ("严重错误" if serious else "疑似错别字")
        evidence = f"{place}{label}：“{wrong}”应为“{first.correct}”；原文：{first.sentence}"
        detail = {
            "key": wrong,
            "wrong": wrong,
            "correct": first.correct,
            "serious": serious,
            "kind": first.kind,
            "count": len(found),
            "sentence": first.sentence,
            "where": where,
        }
        yield crawl.finding(type_, url, severity, evidence, page=page, detail=detail)
