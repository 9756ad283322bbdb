"""Importing a survey's site list: CSV (UTF-8, GBK) and XLSX, bad rows reported by number, re-import by URL."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from govsite.surveys.imports import import_sites, normalize_url
from govsite.surveys.models import AuditEntry, Site

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "name,url,level,code,province\n"
    "杭州市人民政府,https://www.hangzhou.gov.cn,capital,330100,浙江省\n"
    "坏网址市,ftp://bad.example.cn/,prefecture,330200,浙江省\n"
    "宁波市人民政府,http://www.ningbo.gov.cn/,prefecture,330200,浙江省\n"
    ",http://noname.gov.cn/,county,,\n"
    "淳安县人民政府,http://www.qdh.gov.cn/,township,330127,浙江省\n"
    "\n"
    "建德市人民政府,http://www.jiande.gov.cn/,county,33018,浙江省\n"
    "桐庐县人民政府,http://www.tonglu.gov.cn/,county,330122,浙江省\n"
)


def _upload(client, survey, name: str, data: bytes):
    return client.post(
        reverse("survey_import", args=[survey.pk]), {"file": SimpleUploadedFile(name, data)}, follow=False
    )


def _error_rows(response) -> dict[int, str]:
    return {e.row: e.reason for e in response.context["result"].errors}


def test_csv_import_keeps_good_rows_and_reports_every_bad_row_by_number(client_for, users, survey):
    response = _upload(client_for(users["manager"]), survey, "sites.csv", GOOD_AND_BAD.encode("utf-8"))
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.created, result.updated) == (3, 0)
    errors = _error_rows(response)
    assert sorted(errors) == [3, 5, 6, 8]  # the blank line 7 is skipped, not an error
    assert "ftp://bad.example.cn/" in errors[3]
    assert "缺少名称" in errors[5]
    assert "township" in errors[6]
    assert "6 位数字" in errors[8]
    content = response.content.decode()
    assert '<td class="num">8</td>' in content  # the page lists the row numbers
    names = set(Site.objects.filter(survey=survey).values_list("name", flat=True))
    assert names == {"杭州市人民政府", "宁波市人民政府", "桐庐县人民政府"}
    hangzhou = Site.objects.get(survey=survey, name="杭州市人民政府")
    assert hangzhou.url == "https://www.hangzhou.gov.cn/" and hangzhou.division_code == "330100"
    assert AuditEntry.objects.filter(action="import_sites", object_id=str(survey.pk)).count() == 1


def test_gbk_csv_with_chinese_headers_is_read(client_for, users, survey):
    text = "名称,网址,级别,代码,省份\n余杭区人民政府,http://www.yuhang.gov.cn/,county,330110,浙江省\n"
    response = _upload(client_for(users["manager"]), survey, "名单.csv", text.encode("gbk"))
    assert response.context["result"].created == 1
    site = Site.objects.get(survey=survey, url="http://www.yuhang.gov.cn/")
    assert (site.name, site.level, site.province) == ("余杭区人民政府", "county", "浙江省")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_import_uses_the_same_rows_and_row_numbers(client_for, users, survey):
    data = _xlsx(
        [
            ["名称", "网址", "级别", "代码", "省份"],
            ["温州市人民政府", "http://www.wenzhou.gov.cn/", "prefecture", 330300, "浙江省"],  # code typed as a number
            ["坏行", "not a url", "prefecture", None, None],
            [None, None, None, None, None],
            ["瑞安市人民政府", "http://www.ruian.gov.cn/", "county", "330381", "浙江省"],
            ["温州市人民政府", "http://www.wenzhou2.gov.cn/", "prefecture", 330300, "浙江省"],
        ]
    )
    response = _upload(client_for(users["manager"]), survey, "sites.xlsx", data)
    result = response.context["result"]
    assert result.created == 2
    errors = _error_rows(response)
    assert sorted(errors) == [3, 6]
    assert "not a url" in errors[3]
    assert "第 2 行重复" in errors[6]
    assert Site.objects.get(survey=survey, url="http://www.wenzhou.gov.cn/").division_code == "330300"


def test_reimport_updates_by_url_and_never_duplicates(client_for, users, survey, sites):
    client = client_for(users["manager"])
    first = "name,url,level,code\n甲市人民政府（新名）,HTTP://JIA.example.gov.cn,prefecture,330100\n新县,http://new.gov.cn/,county,\n"
    response = _upload(client, survey, "a.csv", first.encode())
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    again = _upload(client, survey, "a.csv", first.encode()).context["result"]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Site.objects.filter(survey=survey).count() == 4
    renamed = Site.objects.get(pk=sites[0].pk)
    assert renamed.name == "甲市人民政府（新名）" and renamed.assessor_id == users["assessor"].pk


def test_the_same_url_twice_in_one_file_is_a_bad_row(survey, users):
    text = "name,url,level,code\n一,http://same.gov.cn/,county,\n二,http://SAME.gov.cn,county,\n"
    result = import_sites(survey, "x.csv", text.encode(), users["manager"])
    assert result.created == 1
    assert [(e.row, "第 2 行" in e.reason) for e in result.errors] == [(3, True)]


def test_a_file_that_is_not_a_spreadsheet_is_refused_whole(client_for, users, survey):
    response = _upload(client_for(users["manager"]), survey, "sites.xlsx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 200
    assert "无法读取该 Excel 文件" in response.content.decode()
    old = _upload(client_for(users["manager"]), survey, "sites.xls", b"\xd0\xcf\x11\xe0")
    assert "另存为 .xlsx" in old.content.decode()
    assert Site.objects.filter(survey=survey).count() == 0


def test_only_managers_import(client_for, users, survey):
    data = b"name,url,level,code\nx,http://x.gov.cn/,county,\n"
    assert _upload(client_for(users["reviewer"]), survey, "a.csv", data).status_code == 403
    assert _upload(client_for(users["outsider"]), survey, "a.csv", data).status_code == 404
    assert Site.objects.filter(survey=survey).count() == 0


def test_urls_are_normalised_for_matching():
    assert normalize_url(" HTTP://Www.Example.GOV.cn ") == "http://www.example.gov.cn/"
    assert normalize_url("https://a.gov.cn/Path?q=1#top") == "https://a.gov.cn/Path?q=1"
