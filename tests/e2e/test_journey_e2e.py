"""The whole survey in a real browser, as the people who run it would click through it.

A manager creates a survey and imports its site list (one bad row: its row
number is shown, the good rows are kept), adds a reviewer, gives a site to
an assessor and scans it — a generated sample site served on 127.0.0.1, the
job running `govsite scan` as a child process as in production. The
assessor scores an indicator from its findings and pre-score (adjusting it
needs a reason), uploads a screenshot and submits; the reviewer sends it back
once, then confirms; the manager hands two broken links to the site's operator
as two work orders and publishes. The operator sees the score, the findings
and the orders, fixes one page and marks it 已整改: the re-check runs and
closes it. They mark the other 已整改 too without fixing it: the re-check
finds the link still broken and the order comes back 待整改, saying why.

Full-page screenshots of every step go to tmp_path/shots and /tmp/govsite-shots/.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govsite.samplesites.generate import generate_sample
from govsite.samplesites.measure import served
from govsite.samplesites.spec import Defects, SiteSpec
from govsite.surveys.models import Finding, IndicatorScore, Job, Site, Survey
from govsite.workorders.models import WorkOrder

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SURVEY = "2025 年度政府网站绩效评估"
INDICATOR = "security_ops.daily_ops"  # 日常运维: fed by broken links, stale columns, broken downloads...
SCAN_ARGS = "--loopback-only --delay 0 --no-autothrottle --retries 0 --timeout 5"
SCAN_WAIT_SECONDS = 120
SAMPLE = SiteSpec(
    name="青禾市人民政府",
    columns=5,
    items_per_column=4,
    seed=101,
    slug="qinghe",
    defects=Defects(
        broken_links=3,
        broken_downloads=("missing",),
        stale_columns={"dynamic": 1},
        old_news=1,
        privacy=("id_page",),
        spider_trap=False,
        oversized_page=False,
    ),
)


@pytest.fixture
def people(make_user):
    return {
        "zhang": make_user("zhang", "张主任", "add_survey"),  # survey manager
        "li": make_user("li", "李评估"),  # assessor
        "wang": make_user("wang", "王审核"),  # reviewer
        "zhao": make_user("zhao", "赵运维"),  # the site's operator
    }


@pytest.fixture
def sample_site(tmp_path):
    """The generated 青禾市 portal served on 127.0.0.1: (its URL, its www folder)."""
    root = tmp_path / "sample"
    generate_sample(root, [SAMPLE])
    with served(root) as servers:
        yield servers.urls()["qinghe"].rstrip("/") + "/", root / "qinghe" / "www"


@pytest.fixture
def scan_env(monkeypatch):
    monkeypatch.setenv("GOVSITE_SCAN_ARGS", SCAN_ARGS)
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("GOVSITE_TASKS", "inline")


def site_list_csv(path: Path, sample_url: str) -> Path:
    rows = [
        "名称,网址,级别,代码,省份",
        f"青禾市人民政府,{sample_url},prefecture,330100,浙江省",
        "清河县人民政府,http://127.0.0.1:9/,county,330122,浙江省",
        "白沙县人民政府,不是网址,county,330127,浙江省",  # row 4: refused, the others kept
        "云川县人民政府,http://127.0.0.1:8/,county,350102,福建省",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def accept_confirms(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def text_of(page, selector: str) -> str:
    """The text of the first match, or '' when the page has none (e.g. an error page)."""
    found = page.locator(selector)
    return found.first.inner_text() if found.count() else ""


def wait_for_text(page, text: str, seconds: float, *, within: str = "main", unless: str = "") -> str:
    """Reload until `text` shows in `within` (the progress table refreshes itself every 20 s; a test need not wait)."""
    deadline = time.monotonic() + seconds
    while True:
        shown = text_of(page, within)
        if text in shown:
            return shown
        assert not unless or unless not in shown, shown
        if time.monotonic() > deadline:
            raise AssertionError(f"{seconds} 秒内没有出现“{text}”：\n{shown[:2000]}")
        time.sleep(1)
        page.reload()


def test_a_survey_from_creation_to_the_operators_fix(
    private_data, people, sample_site, scan_env, open_as, shoot, live_server, tmp_path
):
    sample_url, www = sample_site

    # -- the manager creates the survey -------------------------------------------------------
    manager = open_as("zhang")
    accept_confirms(manager)
    expect(manager.locator("header")).to_contain_text("张主任")
    manager.get_by_role("link", name="新建调查").click()
    manager.fill("input[name=name]", SURVEY)
    manager.fill("input[name=year]", "2025")
    manager.fill("input[name=as_of]", "2025-11-30")
    manager.select_option("select[name=status]", "collecting")
    manager.select_option("select[name=fw_prefecture]", "portal_city_2025")
    manager.select_option("select[name=fw_county]", "portal_county_2025")
    shoot(manager, "new-survey-form")
    manager.get_by_role("button", name="创建调查").click()
    survey = Survey.objects.get(name=SURVEY)
    chosen = dict(survey.frameworks.values_list("level", "framework"))
    assert (chosen["prefecture"], chosen["county"]) == ("portal_city_2025", "portal_county_2025")

    # -- imports the site list: row 4 is bad, the other three are kept --------------------------
    expect(manager.locator("h1")).to_have_text("导入网站名单")
    manager.set_input_files("input[name=file]", str(site_list_csv(tmp_path / "网站名单.csv", sample_url)))
    manager.get_by_role("button", name="导入").click()
    result = manager.locator("section", has_text="导入结果")
    expect(result).to_contain_text("新增 3 个")
    error_row = result.locator("tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td").first).to_have_text("4")
    shoot(manager, "import-with-a-bad-row")
    assert set(Site.objects.filter(survey=survey).values_list("name", flat=True)) == {
        "青禾市人民政府",
        "清河县人民政府",
        "云川县人民政府",
    }
    site = Site.objects.get(survey=survey, name="青禾市人民政府")

    # -- adds the reviewer, attaches the operator, gives the site to the assessor ----------------
    manager.get_by_role("link", name="返回网站列表").click()
    manager.locator("nav.actions").get_by_role("link", name="成员").click()
    manager.fill("input[name=username]", "wang")
    manager.select_option("select[name=role]", "reviewer")
    manager.get_by_role("button", name="添加").click()
    expect(manager.locator(".messages")).to_contain_text("已添加 wang 为审核员")
    manager.locator(".crumbs").get_by_role("link", name=SURVEY).click()

    manager.get_by_role("link", name="青禾市人民政府").click()
    manager.fill("input[name=operator]", "zhao")
    manager.get_by_role("button", name="添加运维人员").click()
    expect(manager.locator(".messages")).to_contain_text("赵运维")
    assert list(site.operators.values_list("username", flat=True)) == ["zhao"]
    shoot(manager, "site-page-with-operator")
    manager.locator(".crumbs").get_by_role("link", name=SURVEY).click()

    manager.check(f"input[name=site][value='{site.pk}']")
    manager.select_option(".bulkbar select[name=assessor]", label="李评估（li）")
    manager.get_by_role("button", name="分配所选网站").click()
    expect(manager.locator(".messages")).to_contain_text("已将 1 个网站分配给 李评估")

    # -- launches the scan and watches the progress table --------------------------------------
    manager.check(f"input[name=site][value='{site.pk}']")
    manager.get_by_role("button", name="检测所选网站").click()
    expect(manager.locator(".messages")).to_contain_text("已启动 1 个网站的检测")
    shoot(manager, "scan-launched")
    row = "table.data tbody tr:has-text('青禾市人民政府')"
    wait_for_text(manager, "已完成", SCAN_WAIT_SECONDS, within=row, unless="失败")
    shoot(manager, "progress-scan-done")
    job = Job.objects.get(site=site)
    assert job.status == Job.Status.DONE and job.pages_fetched > 10
    broken = Finding.objects.filter(site=site, type="broken_link").order_by("url")
    assert broken.count() == 3
    auto = IndicatorScore.objects.get(site=site, code=INDICATOR).auto_score
    assert auto is not None and auto < Decimal(5)

    # -- the assessor scores 日常运维 from the findings, with a screenshot as evidence ----------
    assessor = open_as("li")
    assessor.get_by_role("link", name=SURVEY).click()
    expect(assessor.locator("table.data tbody tr")).to_have_count(1)  # only the site given to them
    assessor.get_by_role("link", name="青禾市人民政府").click()
    expect(assessor.locator("h1")).to_have_text("青禾市人民政府")
    shoot(assessor, "site-indicators")
    assessor.get_by_role("link", name=re.compile("日常运维")).click()
    expect(assessor.locator("h1")).to_contain_text("日常运维")
    findings = assessor.locator("section", has_text="监测发现")
    expect(findings).to_contain_text("监测建议分")
    expect(findings).to_contain_text("链接不可用")
    expect(assessor.locator("input[name=score]")).to_have_value(format(auto.normalize(), "f"))
    shoot(assessor, "indicator-with-findings")

    assessor.fill("input[name=score]", "4.5")  # the assessor judges it better than the machine did
    assessor.get_by_role("button", name="保存草稿").click()
    expect(assessor.locator(".errorlist")).to_contain_text("请填写调整理由")
    shoot(assessor, "adjusting-needs-a-reason")
    assessor.fill("textarea[name=adjust_reason]", "失效链接均为历史稿件中的外部引用，首页与主要栏目运行正常")
    assessor.fill("textarea[name=note]", "人工复核首页及 5 个栏目，已截图")
    assessor.get_by_role("button", name="保存草稿").click()
    expect(assessor.locator(".messages")).to_contain_text("已保存：日常运维")

    evidence_png = tmp_path / "首页截图.png"
    probe = assessor.context.new_page()
    probe.goto(sample_url)
    probe.screenshot(path=str(evidence_png))
    probe.close()
    assessor.set_input_files("#evidence input[name=file]", str(evidence_png))
    assessor.fill("#evidence textarea[name=note]", "首页运行正常")
    assessor.get_by_role("button", name="添加佐证").click()
    expect(assessor.locator("#evidence")).to_contain_text("首页截图")
    assessor.get_by_role("button", name="提交审核").click()
    expect(assessor.locator("#score-status")).to_have_text("待审核")
    shoot(assessor, "indicator-submitted")
    score = IndicatorScore.objects.get(site=site, code=INDICATOR)
    assert (score.score, score.status, score.evidence.count()) == (Decimal("4.5"), "submitted", 1)

    # -- the reviewer sends it back once ----------------------------------------------------------
    reviewer = open_as("wang")
    reviewer.get_by_role("link", name=SURVEY).click()
    reviewer.get_by_role("link", name="审核队列").click()
    queued = reviewer.locator("table.data tbody tr", has_text="日常运维")
    expect(queued).to_contain_text("已调整")
    shoot(reviewer, "review-queue")
    queued.locator("input[name=note]").fill("截图未显示失效链接所在页面，请补充说明后再提交")
    queued.get_by_role("button", name="退回").click()
    expect(reviewer.locator(".messages")).to_contain_text("已退回")

    assessor.reload()
    expect(assessor.locator(".notice.returned")).to_contain_text("请补充说明")
    shoot(assessor, "indicator-returned")
    assessor.fill("textarea[name=note]", "人工复核首页及 5 个栏目；失效链接位于 2019、2020 年旧稿件，已截图")
    assessor.get_by_role("button", name="提交审核").click()
    expect(assessor.locator("#score-status")).to_have_text("待审核")

    # -- ... and confirms it the second time ----------------------------------------------------
    reviewer.reload()
    queued = reviewer.locator("table.data tbody tr", has_text="日常运维")
    queued.get_by_role("link", name=re.compile("日常运维")).click()
    expect(reviewer.locator("section", has_text="佐证材料")).to_contain_text("首页截图")
    reviewer.get_by_role("button", name="确认得分").click()
    expect(reviewer.locator("#score-status")).to_have_text("已确认")
    assert IndicatorScore.objects.get(site=site, code=INDICATOR).status == "confirmed"

    # -- the manager hands two broken links to the operator and publishes -----------------------
    fixable = broken.filter(url__contains="/col/").first() or broken.first()
    stubborn = broken.exclude(pk=fixable.pk).first()  # its page is never restored
    manager.goto(f"{live_server.url}/sites/{site.pk}/")
    manager.get_by_role("link", name="监测问题").click()
    expect(manager.locator("h1")).to_contain_text("监测问题")
    shoot(manager, "findings")
    manager.check(f"input[name=finding][value='{fixable.pk}']")
    manager.check(f"input[name=finding][value='{stubborn.pk}']")
    manager.get_by_role("button", name="为选中的问题派发整改工单").click()
    expect(manager.locator(f"input[name=findings][value='{fixable.pk}']")).to_be_checked()
    expect(manager.locator(f"input[name=findings][value='{stubborn.pk}']")).to_be_checked()
    manager.select_option("select[name=grouping]", "each")
    manager.select_option("select[name=assignee]", label="赵运维（zhao）")
    manager.fill("input[name=deadline]", (timezone.localdate() + timedelta(days=10)).isoformat())
    shoot(manager, "new-work-order")
    manager.get_by_role("button", name="生成工单").click()
    expect(manager.locator(".messages")).to_contain_text("已生成 2 个整改工单")
    expect(manager.locator("table.orders tbody tr")).to_have_count(2)
    expect(manager.locator("table.orders tbody")).to_contain_text("赵运维（zhao）")
    shoot(manager, "work-orders")
    assert WorkOrder.objects.filter(site=site).count() == 2
    order = WorkOrder.objects.get(site=site, findings=fixable)
    unfixed = WorkOrder.objects.get(site=site, findings=stubborn)
    assert list(order.findings.all()) == [fixable] and list(unfixed.findings.all()) == [stubborn]

    manager.goto(f"{live_server.url}/surveys/{survey.pk}/")
    manager.get_by_role("button", name="发布结果").click()
    expect(manager.locator("h1")).to_contain_text("评估结果")
    expect(manager.locator("table.data tbody")).to_contain_text("青禾市人民政府")
    shoot(manager, "results-published")

    # -- the operator sees the score, the findings and the order; fixes the page ----------------
    operator = open_as("zhao")
    expect(operator.locator("main")).to_contain_text("网站运维（1 个网站）")
    shoot(operator, "operator-home")
    operator.locator("header").get_by_role("link", name="我的网站").click()
    card = operator.locator("section.site-card", has_text="青禾市人民政府")
    expect(card).to_contain_text("总分")
    shoot(operator, "operator-dashboard")
    card.get_by_role("link", name="青禾市人民政府").click()
    expect(operator.locator("section", has_text="评估得分")).to_contain_text("日常运维")
    shoot(operator, "operator-site")
    operator.get_by_role("link", name=re.compile(f"#{order.pk} ")).click()
    expect(operator.locator("h1")).to_contain_text(f"工单 #{order.pk}")
    expect(operator.locator("main")).to_contain_text(fixable.url)
    shoot(operator, "work-order")

    target = www / fixable.url.removeprefix(sample_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>已修复</title></head><body>页面已恢复</body></html>",
        encoding="utf-8",
    )
    operator.fill("textarea[name=note]", "已恢复该栏目页面")
    operator.get_by_role("button", name="已整改，申请复核").click()
    expect(operator.locator(".messages")).to_contain_text("复核任务")
    wait_for_text(operator, "已关闭", SCAN_WAIT_SECONDS, within="h1")
    shoot(operator, "work-order-closed")
    order.refresh_from_db()
    assert (order.status, order.resolution) == ("closed", "fixed")
    fixable.refresh_from_db()
    assert fixable.status == Finding.Status.FIXED

    # -- marks the other order 已整改 without fixing anything: the re-check sends it back ----------
    operator.goto(f"{live_server.url}/workorders/{unfixed.pk}/")
    expect(operator.locator("h1")).to_contain_text("待整改")
    expect(operator.locator("main")).to_contain_text(stubborn.url)
    operator.fill("textarea[name=note]", "已处理")
    operator.get_by_role("button", name="已整改，申请复核").click()
    expect(operator.locator(".messages")).to_contain_text("复核任务")
    history = "section:has(h2:has-text('处理记录'))"
    events = wait_for_text(operator, "复核未通过", SCAN_WAIT_SECONDS, within=history, unless="复核通过")
    assert "仍有 1 个问题未消除" in events and stubborn.url in events, events
    expect(operator.locator("h1")).to_contain_text("待整改")
    expect(operator.locator("h1")).not_to_contain_text("已关闭")
    expect(operator.get_by_role("button", name="已整改，申请复核")).to_be_visible()  # they may try again
    shoot(operator, "work-order-recheck-failed")
    unfixed.refresh_from_db()
    assert (unfixed.status, unfixed.resolution, unfixed.closed_at) == ("open", "", None)
    stubborn.refresh_from_db()
    assert stubborn.status == Finding.Status.OPEN
    order.refresh_from_db()
    assert order.status == "closed"  # the failed re-check of one order leaves the other alone

    # -- the survey's audit log tells the whole story in words ------------------------------------
    manager.goto(f"{live_server.url}/surveys/{survey.pk}/audit/")
    log = manager.locator("main")
    for action in (
        "创建调查",
        "导入网站",
        "调整运维人员",
        "分配评估员",
        "启动检测",
        "提交审核",
        "审核退回",
        "审核确认",
    ):
        expect(log).to_contain_text(action)
    for action in ("派发整改工单", "发布结果", "工单：已整改，申请复核", "工单：复核通过", "工单：复核未通过"):
        expect(log).to_contain_text(action)
    assert "workorder." not in log.inner_text() and "score_" not in log.inner_text()
    shoot(manager, "audit-log")
