"""Column pagination that only a script writes, as real CMSs do, for the generated sites.

For: the generator's columns whose later list pages no <a> links to, so that a
crawl must read the page's script data to reach them:

* Hanweb (大汉 jcms) jpage: the column page holds its first records as CDATA in a
  ``<script type="text/xml"><datastore>`` (three pages' worth) and a jpage call with
  ``perPage``/``totalRecord``; the browser asks
  ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…`` plus the
  datastore's ``<nextgroup>`` parameters (columnid, unitid, webid …) for the rest, and
  gets a bare ``<datastore><recordset><record><![CDATA[<li>…</li>]]></record>…`` answer.
* TRS WCM ``createPageHTML(count, current, "index", "html")``: the pager's
  ``index_1.html``, ``index_2.html`` links are written by JavaScript only.

Not for: choosing which columns get these (the builder does), or serving (the
server maps a dataproxy request to the answer file by columnid and startrecord).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

JPAGE_PROXY = "/module/web/jpage/dataproxy.jsp"
JPAGE_DATA_DIR = "/module/web/jpage/data"
GROUP_PAGES = 3  # jpage's datastore and each dataproxy answer hold three list pages of records


@dataclass(frozen=True)
class Jpage:
    """One Hanweb column paged by jpage."""

    colid: int
    unitid: int
    webid: int
    per_page: int
    webname: str

    @property
    def group(self) -> int:
        return GROUP_PAGES * self.per_page

    def params(self) -> list[tuple[str, str]]:
        return [
            ("col", "1"),
            ("appid", "1"),
            ("webid", str(self.webid)),
            ("path", "/"),
            ("columnid", str(self.colid)),
            ("sourceContentType", "1"),
            ("unitid", str(self.unitid)),
            ("webname", self.webname),
            ("permissiontype", "0"),
        ]

    def nextgroup_href(self) -> str:
        """The datastore's <nextgroup> link, as Hanweb writes it (raw, inside CDATA)."""
        return JPAGE_PROXY + "?page=1&" + "&".join(f"{k}={v}" for k, v in self.params())

    def proxy_url(self, start: int) -> str:
        """What the browser requests for the records from `start` on (one group)."""
        end = start + self.group - 1
        span = [("startrecord", str(start)), ("endrecord", str(end)), ("perpage", str(self.per_page))]
        return JPAGE_PROXY + "?" + urlencode(span + self.params())

    def starts(self, total: int) -> list[int]:
        """The startrecord of every dataproxy request after the datastore's records."""
        return list(range(self.group + 1, total + 1, self.group))

    def answer_file(self, start: int) -> str:
        return f"{JPAGE_DATA_DIR}/{self.colid}_{start}.xml"

    @staticmethod
    def route_key(columnid: str, startrecord: str) -> str:
        return f"{columnid}|{startrecord}"


def records(rows: list[str]) -> str:
    return "\n".join(f"<record><![CDATA[{row}]]></record>" for row in rows)


def datastore_markup(jpage: Jpage, rows: list[str], total: int) -> str:
    """The column page's list: the datastore with the first group of rows, and the jpage call."""
    return (
        f'<div id="{jpage.unitid}"><script type="text/xml"><datastore>\n'
        f"<nextgroup><![CDATA[<a href=\"{jpage.nextgroup_href()}\"></a>]]></nextgroup>\n"
        f"<recordset>\n{records(rows[: jpage.group])}\n</recordset></datastore></script></div>\n"
        '<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>\n'
        f"<script>$(document).ready(function(){{ $('#{jpage.unitid}').jpage({{dataStore: dataStore, "
        f"perPage: {jpage.per_page}, totalRecord: {total}, proxyUrl: '{JPAGE_PROXY}'}}); }});</script>"
    )


def proxy_answer(jpage: Jpage, rows: list[str], start: int, encoding: str) -> str:
    """dataproxy.jsp's answer for the records from `start` (1-based) on."""
    chunk = rows[start - 1 : start - 1 + jpage.group]
    pages = -(-len(rows) // jpage.per_page)
    return (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n<datastore>\n'
        f"<totalrecord>{len(rows)}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
        f"<recordset>\n{records(chunk)}\n</recordset>\n</datastore>\n"
    )


def trs_script_pager(total: int, number: int) -> str:
    """A TRS pager written by createPageHTML only (page `number` of `total`, 1-based)."""
    return f'<div class="page"><script>createPageHTML({total}, {number - 1}, "index", "html");</script></div>'
