"""`govsite sites`: the 2025 survey objects and one's own site list."""

from __future__ import annotations

import json
import sys

import click

from govsite.cli.errors import BadInput
from govsite.console import console, err_console, print_table
from govsite.reports.tables import Table
from govsite.userfiles import UserFileError


@click.group("sites")
def sites_group() -> None:
    """调查对象：2025 年样本与自有网站清单。"""


@sites_group.command("list")
@click.option("--survey", type=click.Choice(["digital_gov", "portal", "devzone"]), help="调查类别")
@click.option("--level", multiple=True, help="层级，如 province、county（可多次给出）")
@click.option("--province", help="所在省份，如 浙江省")
@click.option("--group", "group_name", help="发布分组，如 省级、城市、区县")
@click.option("--urls", "urls_path", type=click.Path(dir_okay=False), help="自有网站清单 CSV，用于补全网址")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def sites_list(
    survey: str | None,
    level: tuple[str, ...],
    province: str | None,
    group_name: str | None,
    urls_path: str | None,
    fmt: str,
) -> None:
    """列出 2025 年调查对象（名称、层级、省份、行政区划代码、网址）。"""
    from govsite.frameworks.loader import SITE_LEVELS
    from govsite.sites.sample import load_sample_2025

    for lv in level:
        if lv not in SITE_LEVELS:
            raise BadInput(f"未知层级“{lv}”，可用：{'、'.join(SITE_LEVELS)}")
    sample = load_sample_2025()
    if urls_path:
        sample = _merge_site_list(sample, urls_path)
    objects = [
        o
        for o in sample
        if (survey is None or o.survey == survey)
        and (not level or o.level in level)
        and (province is None or o.province == province)
        and (group_name is None or o.group == group_name)
    ]
    headers = ["调查", "分组", "层级", "名称", "省份", "所属城市", "行政区划代码", "网址"]
    rows = [[o.survey, o.group, o.level, o.name, o.province, o.city, o.division_code or "", o.url] for o in objects]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(headers, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(headers)
        writer.writerows(rows)
    else:
        print_table(Table(f"2025 年调查对象（{len(rows)} 个）", headers, rows))


@sites_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def sites_check(path: str) -> None:
    """检查自有网站清单 CSV（name,url,level,code）：逐行报告问题，有错误时退出码为 2。"""
    from govsite.sites.sitelist import read_site_list

    sites, errors = _read_site_list(path, read_site_list)
    for error in errors:
        err_console.print(f"[red]{error}[/]", highlight=False)
    console.print(f"{path}：{len(sites)} 行可用，{len(errors)} 行有问题", highlight=False)
    if errors:
        raise BadInput(f"{len(errors)} 行有问题（可用的行已保留，修正后重新导入即可）")


def _read_site_list(path: str, reader):
    try:
        return reader(path)
    except UserFileError as exc:
        raise BadInput(str(exc)) from exc


def _merge_site_list(sample, path: str):
    from govsite.sites.sitelist import merge_urls, read_site_list

    sites, errors = _read_site_list(path, read_site_list)
    for error in errors:
        err_console.print(f"[yellow]跳过：[/]{error}", highlight=False)
    return merge_urls(sample, sites)
