"""A website's canonical origin: scheme + host + port, lower case, default ports dropped, 中文域名 as punycode."""

import pytest

from govsite.sites.origin import canonical_origin


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://www.hangzhou.gov.cn/", "http://www.hangzhou.gov.cn"),
        ("HTTP://WWW.HangZhou.GOV.CN/Index.HTML", "http://www.hangzhou.gov.cn"),  # the path is not the website
        ("http://www.hangzhou.gov.cn:80/col/col1.html?x=1#top", "http://www.hangzhou.gov.cn"),
        ("https://www.zj.gov.cn:443", "https://www.zj.gov.cn"),
        ("https://www.zj.gov.cn:80/", "https://www.zj.gov.cn:80"),  # 80 is not https's default
        ("http://www.zj.gov.cn:443/", "http://www.zj.gov.cn:443"),
        ("http://tjj.hangzhou.gov.cn:8080/", "http://tjj.hangzhou.gov.cn:8080"),  # a department's own host
        ("  http://www.gov.cn./  ", "http://www.gov.cn"),  # the root's trailing dot
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("http://中央人民政府.政务/", "http://xn--fiq4mr1y5sfy8iktk.xn--zfr164b"),
        ("http://中央人民政府。政务/", "http://xn--fiq4mr1y5sfy8iktk.xn--zfr164b"),  # typed with the full-width dot
        ("http://XN--FIQ4MR1Y5SFY8IKTK.xn--zfr164b/", "http://xn--fiq4mr1y5sfy8iktk.xn--zfr164b"),
    ],
)
def test_canonical_origin(url, origin):
    assert canonical_origin(url) == origin


def test_http_and_https_and_www_are_different_websites():
    origins = {canonical_origin(u) for u in ("http://www.qdh.gov.cn/", "https://www.qdh.gov.cn/", "http://qdh.gov.cn/")}
    assert len(origins) == 3


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://www.gov.cn/", "不是 http/https 网址"),
        ("www.gov.cn", "不是 http/https 网址"),
        ("http:///index.html", "缺少主机名"),
        ("http://www.gov.cn:99999/", "端口无效"),
        ("http://a\u200d\u200d.政务/", "主机名无效"),
    ],
)
def test_an_unusable_url_is_a_clear_error(url, message):
    with pytest.raises(ValueError, match=message):
        canonical_origin(url)
