"""Time the web app's main pages on a survey of 1,000 sites and 100,000 findings.

    .venv/bin/python benchmarks/web_benchmark.py [--sites 1000] [--findings 100000] [--big 10000]
        [--repeat 5] [--database-url postgres://postgres@127.0.0.1:5432/govsite_webbench] [--keep] [--out DIR]

Populates a fresh database (SQLite in a temporary folder by default; with
--database-url, a PostgreSQL database this script creates and drops itself —
its name must start with govsite_webbench) through the ORM's bulk_create:
one survey (地市 and 区县 frameworks), the sites with assessors and
operators, one or two finished jobs per site, the findings (one site holds
--big of them, the rest spread unevenly, types and URLs as a crawl reports
them, a third already fixed), scores for a third of the sites in every review
state with evidence, work orders with their history, audit entries. Then
times each page with Django's test Client: the median of --repeat requests
after one warm-up, and the SQL queries one request makes; then publishes the
survey and times the pages that compute published scores and ranks. Prints the
machine, the command, the populate time and a Markdown table; writes it to
benchmarks/results/web_benchmark-latest.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results"
DB_PREFIX = "govsite_webbench"
PASSWORD = "bench-password"
AS_OF = date(2025, 11, 30)
FRAMEWORKS = {"prefecture": "portal_city_2025", "county": "portal_county_2025"}

# Finding types by how often a crawl of a government portal reports them (per 1,000 findings).
TYPE_WEIGHTS = {
    "broken_link": 420,
    "broken_external_link": 150,
    "broken_download": 70,
    "old_news": 90,
    "stale_column": 40,
    "empty_column": 25,
    "future_date": 20,
    "typo": 60,
    "sensitive_expression": 5,
    "slow_page": 30,
    "soft_404": 15,
    "privacy_phone": 20,
    "privacy_id_number": 15,
    "privacy_bank_card": 5,
    "missing_security_header": 25,
    "server_banner": 5,
    "no_https": 3,
    "missing_sitemap": 2,
}
SEVERITY = {"old_news": "low", "typo": "medium", "slow_page": "low", "missing_security_header": "medium"}
PROVINCES = ["浙江省", "江苏省", "福建省", "广东省", "四川省", "河南省", "湖北省", "山东省"]


# -- the database -------------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    """(the maintenance database's URL, the benchmark database's name) of a PostgreSQL URL."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(DB_PREFIX):
        raise SystemExit(f"数据库名须以 {DB_PREFIX} 开头（本脚本会删除并重建它），而不是 {name!r}")
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, "")), name


def create_postgres(url: str) -> None:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = _admin_url(url)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def describe_database(connection) -> str:
    if connection.vendor == "sqlite":
        return "SQLite " + ".".join(map(str, connection.Database.sqlite_version_info))
    version = connection.pg_version  # e.g. 150020
    return f"PostgreSQL {version // 10000}.{version % 100}"


def setup_django(data_dir: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsite.web.settings"
    os.environ["GOVSITE_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url
    os.environ["GOVSITE_DEBUG"] = "0"  # as in production: no query log, no debug pages
    os.environ.setdefault("GOVSITE_SECRET_KEY", "web-benchmark-only")
    os.environ["GOVSITE_ALLOWED_HOSTS"] = "testserver"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0, interactive=False)


# -- populating -----------------------------------------------------------------------------------


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares (a few big sites, many small ones)."""
    weights = [rng.paretovariate(1.6) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def _finding_rows(site, job, count: int, rng: random.Random, now: datetime) -> list:
    from govsite.surveys.models import Finding, finding_key_hash

    types = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    host = site.url.rstrip("/")
    rows = []
    for n in range(count):
        type_ = rng.choices(types, weights)[0]
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        article = f"{host}/art/{year}/{month}/{day}/art_{1229000000 + n % 997}_{n}.html"
        column = f"{host}/col/col{1229000000 + n % 53}/index.html"
        if type_ in ("broken_link", "soft_404", "slow_page"):
            url, page = f"{host}/art/{year}/{month}/{day}/art_{n}_missing.html", article
            evidence = "HTTP 404" if type_ != "slow_page" else f"响应时间 {rng.randint(3, 30)} 秒"
            detail = {"status": 404, "link_text": "详见", "linked_from": rng.randint(1, 40)}
        elif type_ == "broken_external_link":
            url, page = f"http://www.example{n % 300}.gov.cn/page/{n}.html", article
            evidence, detail = "连接被拒绝或中断", {"error": "refused", "linked_from": 1}
        elif type_ == "broken_download":
            url, page = f"{host}/attach/{n}.pdf", article
            evidence, detail = "文件已损坏或格式与扩展名不符", {"status": 200, "problem": "corrupt"}
        elif type_ in ("stale_column", "empty_column"):
            url, page = column, host + "/"
            evidence = f"栏目“工作动态{n % 53}”最新信息发布于 2025-0{rng.randint(1, 8)}-01，超过更新要求"
            detail = {"column": f"工作动态{n % 53}", "update_class": "dynamic", "limit_days": 14}
        elif type_.startswith("privacy_"):
            url, page = article, column
            evidence = "页面公开了 2 个手机号（已脱敏）：…联系人 张某 138****1234…"
            detail = {"count": 2, "where": "page", "masked": ["138****1234", "139****5678"]}
        elif type_ in ("missing_security_header", "server_banner", "no_https", "missing_sitemap"):
            url, page = host + "/", ""
            evidence, detail = f"缺少 {type_}", {"key": f"h{n}"}
        else:
            url, page = article, column
            evidence = f"“{rng.choice(['按装', '既使', '部署'])}”应为“{rng.choice(['安装', '即使', '部署'])}”；原文：……"
            detail = {"key": str(n)}
        fixed = rng.random() < 0.3
        rows.append(
            Finding(
                site_id=site.pk,
                type=type_,
                url=url,
                page=page,
                severity=SEVERITY.get(type_, "high"),
                evidence=evidence,
                detail=detail,
                key_hash=finding_key_hash(type_, url, str(n)),
                status=Finding.Status.FIXED if fixed else Finding.Status.OPEN,
                found_at=now - timedelta(days=rng.randint(1, 60)),
                fixed_at=now if fixed else None,
                first_job_id=job.pk,
                last_job_id=job.pk,
            )
        )
    return rows


def populate(sites_n: int, findings_n: int, big_n: int, seed: int = 20251130) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from govsite.surveys.frameworks import framework_info
    from govsite.surveys.models import (
        AuditEntry,
        Evidence,
        Finding,
        IndicatorScore,
        Job,
        Site,
        Survey,
        SurveyFramework,
        SurveyMember,
    )
    from govsite.workorders.models import WorkOrder, WorkOrderEvent

    rng = random.Random(seed)
    now = timezone.now()
    User = get_user_model()
    made: dict = {}
    with transaction.atomic():
        manager = User.objects.create_user("manager", password=PASSWORD, first_name="调查管理员")
        reviewer = User.objects.create_user("reviewer", password=PASSWORD, first_name="审核员")
        assessors = User.objects.bulk_create(
            User(username=f"assessor{i:02d}", first_name=f"评估员{i:02d}") for i in range(20)
        )
        operators = User.objects.bulk_create(
            User(username=f"operator{i:03d}", first_name=f"运维{i:03d}") for i in range(max(1, sites_n // 5))
        )
        survey = Survey.objects.create(
            name="2025 年政府网站评估（性能测试）", year=2025, as_of=AS_OF, status=Survey.Status.COLLECTING
        )
        for level, spec in FRAMEWORKS.items():
            SurveyFramework.objects.create(survey=survey, level=level, framework=spec)
        SurveyMember.objects.create(survey=survey, user=manager, role=SurveyMember.Role.MANAGER)
        SurveyMember.objects.create(survey=survey, user=reviewer, role=SurveyMember.Role.REVIEWER)
        sites = Site.objects.bulk_create(
            Site(
                survey=survey,
                name=f"测试{'市' if i % 3 == 0 else '县'}{i:04d}人民政府",
                url=f"http://www.s{i:04d}.gov.cn/",
                level="prefecture" if i % 3 == 0 else "county",
                division_code=f"{330000 + i * 7 % 9999:06d}",
                province=PROVINCES[i % len(PROVINCES)],
                assessor=assessors[i % len(assessors)],
                verdict={"label": "合格", "passed": True, "reasons": []},
            )
            for i in range(sites_n)
        )
        through = Site.operators.through
        through.objects.bulk_create(
            through(site_id=site.pk, user_id=operators[i % len(operators)].pk) for i, site in enumerate(sites)
        )
        jobs = Job.objects.bulk_create(
            Job(
                site=site,
                as_of=AS_OF,
                status=Job.Status.DONE,
                pages_fetched=rng.randint(200, 12000),
                started_at=now - timedelta(hours=2 + k),
                finished_at=now - timedelta(hours=1 + k),
            )
            for site in sites
            for k in range(1 + (site.pk % 2))
        )
        last_job = {job.site_id: job for job in jobs}  # the last one created per site
        made["users"] = 2 + len(assessors) + len(operators)

        started = time.perf_counter()
        counts = [big_n, *_spread(max(0, findings_n - big_n), len(sites) - 1, rng)]
        batch: list = []
        for site, count in zip(sites, counts, strict=True):
            batch += _finding_rows(site, last_job[site.pk], count, rng, now)
            if len(batch) >= 20_000:
                Finding.objects.bulk_create(batch, batch_size=2000)
                batch = []
        Finding.objects.bulk_create(batch, batch_size=2000)
        made["findings_s"] = time.perf_counter() - started

        statuses = ["confirmed"] * 12 + ["submitted"] * 5 + ["returned"] * 1 + ["draft"] * 2
        scores = []
        for site in sites[: sites_n // 3]:
            info = framework_info(FRAMEWORKS[site.level])
            for leaf in info.leaves:
                auto = leaf.weight * Decimal(rng.choice(["0.5", "0.8", "1"])) if leaf.feeding else None
                scores.append(
                    IndicatorScore(
                        site=site,
                        code=leaf.code,
                        score=(leaf.weight * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01")),
                        auto_score=auto,
                        status=rng.choice(statuses),
                        assessor=site.assessor,
                        adjust_reason="人工核查后调整" if auto is not None else "",
                        note="已核查栏目与内容",
                    )
                )
        scores = IndicatorScore.objects.bulk_create(scores, batch_size=2000)
        Evidence.objects.bulk_create(
            (
                Evidence(score=row, url=f"http://evidence.example/{row.pk}", created_by=row.assessor)
                for row in scores[::4]
            ),
            batch_size=2000,
        )
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    user_id=row.assessor_id,
                    action="score_save",
                    object_type="IndicatorScore",
                    object_id=str(row.pk),
                    site_id=row.site_id,
                    after={"score": str(row.score), "status": row.status},
                )
                for row in scores
            ),
            batch_size=2000,
        )

        orders, links, events = [], [], []
        open_ids = list(
            Finding.objects.filter(status=Finding.Status.OPEN)
            .order_by("?")
            .values_list("pk", "site_id", "type")[: min(6000, findings_n // 10)]
        )
        order_status = ["open"] * 6 + ["rechecking"] + ["no_change_claimed"] + ["closed"] * 2
        for n, (finding_id, site_id, type_) in enumerate(open_ids[::3]):
            orders.append(
                WorkOrder(
                    site_id=site_id,
                    title=f"整改：{type_} #{finding_id}",
                    finding_type=type_,
                    assignee=operators[site_id % len(operators)],
                    deadline=AS_OF + timedelta(days=rng.randint(-20, 40)),
                    status=order_status[n % len(order_status)],
                    created_by=manager,
                )
            )
        orders = WorkOrder.objects.bulk_create(orders, batch_size=2000)
        for order, start in zip(orders, range(0, len(open_ids), 3), strict=False):
            for finding_id, _site, _type in open_ids[start : start + 3]:
                links.append(WorkOrder.findings.through(workorder_id=order.pk, finding_id=finding_id))
            events.append(WorkOrderEvent(order=order, user=manager, action="create", note="3 个问题"))
        WorkOrder.findings.through.objects.bulk_create(links, batch_size=5000)
        WorkOrderEvent.objects.bulk_create(events, batch_size=5000)
    made.update(
        survey=survey.pk,
        sites=len(sites),
        findings=Finding.objects.count(),
        scores=len(scores),
        orders=len(orders),
        big_site=sites[0].pk,
        big_site_findings=big_n,
        operator=operators[0].username,
        operator_sites=sum(1 for i in range(len(sites)) if i % len(operators) == 0),
    )
    return made


# -- timing ---------------------------------------------------------------------------------------


def pages(made: dict) -> list[tuple[str, str, str]]:
    """(what, user, URL) of every timed page."""
    survey, big = made["survey"], made["big_site"]
    return [
        ("调查进度表 第 1 页", "manager", f"/surveys/{survey}/"),
        (
            "调查进度表 区县、已完成、按已评分降序 第 3 页",
            "manager",
            f"/surveys/{survey}/?level=county&status=done&sort=-scored&page=3",
        ),
        ("调查进度表 搜索", "manager", f"/surveys/{survey}/?q=0042"),
        ("评估员的进度表", "assessor00", f"/surveys/{survey}/"),
        ("网站指标列表（1 万个问题的网站）", "manager", f"/sites/{big}/"),
        ("指标页（日常运维，1 万个问题）", "manager", f"/sites/{big}/indicators/security_ops.daily_ops/"),
        ("监测问题 第 1 页（1 万个问题）", "manager", f"/sites/{big}/findings/"),
        ("监测问题 未整改链接 第 20 页", "manager", f"/sites/{big}/findings/?type=broken_link&status=open&page=20"),
        ("监测问题 搜索网址", "manager", f"/sites/{big}/findings/?q=missing"),
        ("审核队列 待审核", "reviewer", f"/surveys/{survey}/review/"),
        (
            "审核队列 全部、按更新时间 第 10 页",
            "reviewer",
            f"/surveys/{survey}/review/?status=all&sort=-updated&page=10",
        ),
        ("评估结果（预览）", "manager", f"/surveys/{survey}/results/"),
        ("审计日志", "manager", f"/surveys/{survey}/audit/"),
        ("整改工单 第 1 页", "manager", "/workorders/"),
        ("整改工单 待整改、按期限", "manager", "/workorders/?status=open&sort=deadline&page=5"),
        ("派发整改工单（1 万个问题）", "manager", f"/workorders/new/{big}/"),
        ("运维：我的网站", made["operator"], "/operator/"),
        ("运维：网站页面", made["operator"], f"/operator/sites/{big}/"),
        ("运维：工作台", made["operator"], "/"),
    ]


def published_pages(made: dict) -> list[tuple[str, str, str]]:
    """Pages whose work changes once the survey is published (ranks for every site, the operator's scores)."""
    survey, big = made["survey"], made["big_site"]
    return [
        ("已发布：评估结果", "manager", f"/surveys/{survey}/results/"),
        ("已发布：网站指标列表（含总分名次）", "manager", f"/sites/{big}/"),
        ("已发布：运维：我的网站（含得分）", made["operator"], "/operator/"),
        ("已发布：运维：网站页面（含得分）", made["operator"], f"/operator/sites/{big}/"),
    ]


def publish(made: dict) -> None:
    from django.utils import timezone

    from govsite.surveys.models import Survey

    Survey.objects.filter(pk=made["survey"]).update(status=Survey.Status.PUBLISHED, published_at=timezone.now())


def time_pages(made: dict, repeat: int, which: list[tuple[str, str, str]]) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, Client] = {}
    rows = []
    for what, username, url in which:
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(get_user_model().objects.get(username=username))
        started = time.perf_counter()
        first = client.get(url)
        cold_ms = (time.perf_counter() - started) * 1000
        if first.status_code != 200:
            raise SystemExit(f"{url} as {username}: HTTP {first.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        rows.append(
            {
                "page": what,
                "url": url,
                "user": username,
                "ms": statistics.median(times),
                "cold_ms": cold_ms,
                "queries": len(queries),
                "kb": len(response.content) / 1024,
            }
        )
        print(f"  {rows[-1]['ms']:8.1f} ms  {len(queries):3d} queries  {what}", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| page | URL | median ms | first ms | queries | KB |", "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['page']} | `{r['url']}` | {r['ms']:.0f} | {r['cold_ms']:.0f} | {r['queries']} | {r['kb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=10_000, help="findings of the one big site (default 10000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page; the median is shown")
    parser.add_argument("--database-url", default="", help=f"PostgreSQL, database name starting {DB_PREFIX}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and the PostgreSQL database)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the results go (default benchmarks/results)")
    args = parser.parse_args()
    if args.big > args.findings or args.sites < 2:
        raise SystemExit("--big must not exceed --findings, and --sites must be at least 2")

    folder = Path(tempfile.mkdtemp(prefix="govsite-web-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    postgres = url.startswith(("postgres://", "postgresql://"))
    if postgres:
        create_postgres(url)
    load = os.getloadavg()[0]
    try:
        setup_django(folder, url)
        from django.db import connection

        engine = describe_database(connection)
        print(f"populating {args.sites} sites, {args.findings} findings on {engine} …", flush=True)
        started = time.perf_counter()
        made = populate(args.sites, args.findings, args.big)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        populate_s = time.perf_counter() - started
        print(f"populated in {populate_s:.1f} s (findings {made['findings_s']:.1f} s)", flush=True)
        rows = time_pages(made, args.repeat, pages(made))
        publish(made)
        rows += time_pages(made, args.repeat, published_pages(made))
    finally:
        if postgres and not args.keep:
            drop_postgres(url)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    header = [
        f"- date: {datetime.now().isoformat(timespec='seconds')}",
        f"- machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · load {load:.2f}",
        f"- database: {engine}",
        f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`",
        f"- data: {made['sites']} sites, {made['findings']} findings ({made['big_site_findings']} on one site), "
        f"{made['scores']} scores, {made['orders']} work orders, {made['users']} users",
        f"- populate: {populate_s:.1f} s (bulk_create; findings {made['findings_s']:.1f} s)",
        f"- each page: median of {args.repeat} requests after one warm-up (first ms), queries of one request",
    ]
    text = "\n".join(header) + "\n\n" + table(rows) + "\n"
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    tag = connection.vendor
    (args.out / f"web_benchmark-{tag}-latest.md").write_text(text, encoding="utf-8")
    record = {"header": header, "made": made, "populate_s": populate_s, "pages": rows}
    (args.out / f"web_benchmark-{tag}-latest.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
