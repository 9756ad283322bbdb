"""Reading a user's site list (encodings, bad rows) and merging its URLs into the sample."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from govsite.sites.sample import LEVELS, SurveyObject, load_sample_2025
from govsite.sites.sitelist import Site, merge_urls, read_site_list

GOOD = (
    "name,url,level,code,province\n"
    "杭州市,https://www.hangzhou.gov.cn,capital,330100,浙江省\n"
    "外交部,https://www.mfa.gov.cn,ministry,,\n"
)


def write(tmp_path: Path, text: str, encoding: str, name: str = "sites.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_excel_encodings_are_read(tmp_path, encoding):
    sites, errors = read_site_list(write(tmp_path, GOOD, encoding))
    assert errors == []
    assert [(s.name, s.level, s.code, s.province) for s in sites] == [
        ("杭州市", "capital", "330100", "浙江省"),
        ("外交部", "ministry", None, None),
    ]


def test_bom_does_not_leak_into_the_first_column_name(tmp_path):
    path = write(tmp_path, GOOD, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    sites, errors = read_site_list(path)
    assert errors == [] and sites[0].name == "杭州市"


def test_gbk_file_is_not_valid_utf8_yet_reads(tmp_path):
    path = write(tmp_path, GOOD, "gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    sites, _ = read_site_list(path)
    assert sites[0].url == "https://www.hangzhou.gov.cn"


BAD = (
    "name,url,level,code\n"                                   # row 1
    "杭州市,https://www.hangzhou.gov.cn,capital,330100\n"     # 2 good
    ",https://www.bjchy.gov.cn,county,110105\n"               # 3 missing name
    "东城区,www.bjdch.gov.cn,county,110101\n"                  # 4 url without scheme
    "西城区,ftp://www.bjxch.gov.cn,county,110102\n"            # 5 url not http(s)
    "国家数据局,https://www.nda.gov.cn,部委,\n"                # 6 unknown level
    "海淀区,https://www.bjhd.gov.cn,county,11010\n"            # 7 code not 6 digits
    "杭州市,https://hangzhou.example.cn,capital,330100\n"     # 8 duplicate of row 2
    "\n"                                                       # 9 blank: skipped
    "外交部,https://www.mfa.gov.cn,ministry,\n"                # 10 good
)  # fmt: skip


@pytest.fixture
def bad_file_result(tmp_path):
    return read_site_list(write(tmp_path, BAD, "gbk"))


def test_good_rows_are_kept_around_bad_ones(bad_file_result):
    sites, _ = bad_file_result
    assert [(s.row, s.name) for s in sites] == [(2, "杭州市"), (10, "外交部")]


def test_every_bad_row_is_reported_with_its_spreadsheet_row_number(bad_file_result):
    _, errors = bad_file_result
    assert [e.row for e in errors] == [3, 4, 5, 6, 7, 8]
    for error in errors:
        assert error.message.startswith(f"第 {error.row} 行：")
        assert str(error) == error.message


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (3, "缺少名称"),
        (4, "“www.bjdch.gov.cn”不是 http:// 或 https:// 开头"),
        (5, "“ftp://www.bjxch.gov.cn”不是 http:// 或 https:// 开头"),
        (6, "级别“部委”无效，可选：" + "、".join(LEVELS)),
        (7, "代码“11010”不是 6 位数字"),
        (8, "与第 2 行重复"),
    ],
)
def test_each_kind_of_bad_row_has_its_own_chinese_message(bad_file_result, row, fragment):
    _, errors = bad_file_result
    (error,) = [e for e in errors if e.row == row]
    assert fragment in error.message
    assert error.message.startswith(f"第 {row} 行：")


def test_a_row_with_several_problems_reports_each(tmp_path):
    _, errors = read_site_list(write(tmp_path, "name,url,level,code\n,,town,12\n", "utf-8"))
    assert [e.row for e in errors] == [2, 2, 2, 2]
    assert "缺少名称" in errors[0].message and "缺少网址" in errors[1].message


def test_same_name_and_level_in_different_provinces_is_no_duplicate(tmp_path):
    text = (
        "name,url,level,code,province\n"
        "朝阳区,https://www.bjchy.gov.cn,county,,北京市\n"
        "朝阳区,http://www.chaoyang.gov.cn,county,,吉林省\n"
    )
    sites, errors = read_site_list(write(tmp_path, text, "utf-8"))
    assert errors == [] and len(sites) == 2


def test_missing_column_is_reported_on_the_header_row(tmp_path):
    sites, errors = read_site_list(write(tmp_path, "name,url,level\n外交部,https://a.cn,ministry\n", "utf-8"))
    assert sites == []
    assert [e.message for e in errors] == ["第 1 行：表头缺少列：code"]


def test_chinese_headers_are_accepted(tmp_path):
    text = "名称,网址,级别,代码\n外交部,https://www.mfa.gov.cn,ministry,\n"
    sites, errors = read_site_list(write(tmp_path, text, "gbk"))
    assert errors == [] and sites[0].name == "外交部"


def site(name: str, level: str, url: str, code: str | None = None, province: str | None = None) -> Site:
    return Site(row=2, name=name, url=url, level=level, code=code, province=province)


@pytest.fixture(scope="module")
def sample() -> list[SurveyObject]:
    return load_sample_2025()


def urls(objects: list[SurveyObject], **match: str) -> list[str]:
    return [o.url for o in objects if all(getattr(o, k) == v for k, v in match.items())]


def test_merge_fills_every_survey_of_a_site_by_name_and_level(sample):
    merged = merge_urls(sample, [site("杭州市", "capital", "https://www.hangzhou.gov.cn")])
    assert urls(merged, name="杭州市") == ["https://www.hangzhou.gov.cn"] * 2
    assert sum(bool(o.url) for o in merged) == 2


def test_merge_matches_by_code(sample):
    merged = merge_urls(sample, [site("长春朝阳", "county", "http://cy.example.cn", "220104")])
    assert urls(merged, name="朝阳区", province="吉林省") == ["http://cy.example.cn"]
    assert urls(merged, name="朝阳区", province="北京市") == [""]


def test_merge_skips_a_name_that_fits_two_places_unless_the_province_says_which(sample):
    ambiguous = merge_urls(sample, [site("朝阳区", "county", "https://a.example.cn")])
    assert urls(ambiguous, name="朝阳区") == ["", ""]
    narrowed = merge_urls(sample, [site("朝阳区", "county", "https://a.example.cn", province="北京市")])
    assert urls(narrowed, name="朝阳区", province="北京市") == ["https://a.example.cn"]
    assert urls(narrowed, name="朝阳区", province="吉林省") == [""]


def test_merge_accepts_official_names_and_needs_the_level(sample):
    merged = merge_urls(
        sample,
        [
            site("延边朝鲜族自治州", "prefecture", "http://www.yanbian.gov.cn"),
            site("外交部", "county", "https://www.mfa.gov.cn"),
        ],
    )
    assert urls(merged, name="延边州") == ["http://www.yanbian.gov.cn"]
    assert urls(merged, name="外交部") == [""]


def test_merge_leaves_the_sample_untouched(sample):
    before = [replace(o) for o in sample]
    merge_urls(sample, [site("外交部", "ministry", "https://www.mfa.gov.cn")])
    assert sample == before


def test_cli_check_reports_rows_and_exits_2(tmp_path):
    from click.testing import CliRunner

    from govsite.cli import main

    path = tmp_path / "sites.csv"
    path.write_text(
        "name,url,level,code\n杭州市,https://www.example.gov.cn/,capital,330100\n坏行,ftp://x,county,1\n",
        encoding="gbk",
    )
    result = CliRunner().invoke(main, ["sites", "check", str(path)])
    assert result.exit_code == 2
    assert "第 3 行" in result.output and "ftp://x" in result.output
    assert "1 行可用" in result.output


def test_cli_list_fills_urls_from_the_users_list(tmp_path):
    from click.testing import CliRunner

    from govsite.cli import main

    path = tmp_path / "sites.csv"
    path.write_text("name,url,level,code\n杭州市,https://www.example.gov.cn/,capital,330100\n", encoding="utf-8-sig")
    result = CliRunner().invoke(
        main, ["sites", "list", "--survey", "portal", "--level", "capital", "--urls", str(path), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if ",杭州市," in row)
    assert line.endswith(",330100,https://www.example.gov.cn/")
