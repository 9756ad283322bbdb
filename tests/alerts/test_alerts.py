"""Alerts arrive once at a loopback SMTP server and loopback webhook receivers, once more on recovery.

Real components: aiosmtpd on 127.0.0.1 behind Django's SMTP backend, a
RouteServer taking the robots' POSTs, the test database; the clock is the
`at`/`now` the tests pass.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govsite.alerts import services
from govsite.alerts.models import Alert, Delivery, Recipient
from govsite.checks.verdict import inspection_verdict
from govsite.findings import Finding as FindingRecord
from govsite.surveys.models import Finding, Job, Site, Survey, SurveyMember, finding_key_hash
from govsite.surveys.signals import job_finished
from govsite.workorders.models import WorkOrder
from loopback import RouteServer

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:9/"
T0 = datetime(2025, 12, 1, 8, 0, tzinfo=timezone.get_fixed_timezone(480))


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def bodies(self) -> list[str]:
        return [m.get_payload(decode=True).decode("utf-8") for m in self.messages]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.GOVSITE_ALERT_LOOPBACK_ONLY = True
    settings.GOVSITE_ALERT_REMIND_HOURS = 6
    settings.GOVSITE_ALERT_WEBHOOK_TIMEOUT = 5
    yield box
    controller.stop()


class Hooks:
    """A loopback receiver of robot webhooks: /<kind> records each POST; `fail[kind]` answers 500s first."""

    def __init__(self) -> None:
        self.posts: dict[str, list[tuple[str, dict]]] = {}
        self.fail: dict[str, int] = {}
        self.reject: dict[str, int] = {}  # answer 200 with the robot's error code (keyword or sign refused)
        routes = {f"/{k}": self._route(k) for k in ("dingtalk", "wecom", "feishu", "webhook")}
        self.server = RouteServer(routes)

    def _route(self, kind: str):
        def handle(request) -> None:
            body = json.loads(request.rfile.read(int(request.headers["Content-Length"])))
            if self.fail.get(kind, 0) > 0:
                self.fail[kind] -= 1
                request.send_response(500)
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
            refused = self.reject.get(kind, 0) > 0
            if refused:
                self.reject[kind] -= 1
            else:
                self.posts.setdefault(kind, []).append((request.path, body))
            code = 19021 if refused else 0
            answer = json.dumps({"code": code, "msg": "x"} if kind == "feishu" else {"errcode": code, "errmsg": "x"})
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(answer)))
            request.end_headers()
            request.wfile.write(answer.encode())

        return handle

    def count(self, kind: str) -> int:
        return len(self.posts.get(kind, []))


@pytest.fixture
def hooks():
    receiver = Hooks()
    with receiver.server:
        yield receiver


@pytest.fixture
def site(db):
    survey = Survey.objects.create(name="2025年监测", year=2025, as_of=date(2025, 11, 30))
    return Site.objects.create(survey=survey, name="云川县人民政府", url=SITE, level="county")


@pytest.fixture
def recipients(site, hooks):
    base = hooks.server.url.rstrip("/")
    return [
        Recipient.objects.create(survey=site.survey, kind="email", address="duty@example.gov.cn"),
        Recipient.objects.create(
            site=site, kind="dingtalk", address=f"{base}/dingtalk?access_token=t", secret="SECabc"
        ),
        Recipient.objects.create(site=site, kind="wecom", address=f"{base}/wecom?key=k"),
        Recipient.objects.create(
            site=site, kind="feishu", address=f"{base}/feishu", secret="fs-secret", keyword="值班"
        ),
        Recipient.objects.create(survey=site.survey, kind="webhook", address=f"{base}/webhook"),
    ]


def _counts(inbox: Inbox, hooks: Hooks) -> list[int]:
    return [len(inbox.messages), *[hooks.count(k) for k in ("dingtalk", "wecom", "feishu", "webhook")]]


def test_an_alert_arrives_once_and_once_more_on_recovery(
    site, recipients, inbox, hooks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(
            site, "security:hidden_link", "安全事件：发现暗链 2 处", "隐藏链接指向博彩网站", f"{SITE}news/"
        )
        services.raise_alert(site, "security:hidden_link", "安全事件：发现暗链 2 处", "再次发现", f"{SITE}news/")
    assert _counts(inbox, hooks) == [1, 1, 1, 1, 1]
    [subject] = inbox.subjects()
    assert subject == "【网站监测告警】云川县人民政府：安全事件：暗链"
    body = inbox.bodies()[0]
    assert "网站：云川县人民政府（http://127.0.0.1:9/）" in body and f"证据：{SITE}news/" in body
    assert "hidden_link" not in body, "a person never reads the raw code"

    path, ding = hooks.posts["dingtalk"][0]
    assert ding["msgtype"] == "markdown" and "暗链" in ding["markdown"]["text"]
    query = parse_qs(urlsplit(path).query)
    stamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECabc", f"{stamp}\nSECabc".encode(), hashlib.sha256).digest()).decode()
    assert query["sign"][0] == expected and query["access_token"] == ["t"]
    _, wecom = hooks.posts["wecom"][0]
    assert wecom["msgtype"] == "markdown" and "云川县人民政府" in wecom["markdown"]["content"]
    _, feishu = hooks.posts["feishu"][0]
    key = f"{feishu['timestamp']}\nfs-secret".encode()
    assert feishu["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert feishu["msg_type"] == "text" and feishu["content"]["text"].startswith("【值班】")
    _, generic = hooks.posts["webhook"][0]
    assert (generic["event"], generic["problem"], generic["label"]) == (
        "alert",
        "security:hidden_link",
        "安全事件：暗链",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.clear_alert(site, "security:hidden_link", "复检未再发现暗链")
        assert services.clear_alert(site, "security:hidden_link", "again") is None
    assert _counts(inbox, hooks) == [2, 2, 2, 2, 2]
    assert inbox.subjects()[1] == "【网站监测恢复】云川县人民政府：安全事件：暗链"
    assert "复检未再发现暗链" in inbox.bodies()[1]
    assert hooks.posts["webhook"][1][1]["event"] == "recovery"

    with django_capture_on_commit_callbacks(execute=True):  # it happens again: a new alert
        services.raise_alert(site, "security:hidden_link", "安全事件：发现暗链 1 处", "又出现", f"{SITE}")
    assert _counts(inbox, hooks) == [3, 3, 3, 3, 3]
    assert Alert.objects.get().episode == 2


def test_a_reminder_after_the_interval_and_none_before(site, recipients, inbox, hooks):
    services.raise_alert(site, "veto:stale_homepage", "单项否决告警", "首页超过 2 周未更新", SITE, at=T0)
    services.tick(now=T0)  # in the test's transaction the on-commit send waits: the tick sends
    assert len(inbox.messages) == 1
    assert services.tick(now=T0 + timedelta(hours=5, minutes=59)) == {"reminders": 0, "sent": 0}
    assert services.tick(now=T0 + timedelta(hours=6)) == {"reminders": 1, "sent": 5}
    assert inbox.subjects()[1] == "【网站监测提醒】云川县人民政府：单项否决：首页不更新"
    assert "尚未恢复" in inbox.bodies()[1]
    assert services.tick(now=T0 + timedelta(hours=7))["reminders"] == 0
    assert services.tick(now=T0 + timedelta(hours=12))["reminders"] == 1
    assert Alert.objects.get().reminders_sent == 2 and len(inbox.messages) == 3


def test_no_reminders_when_the_interval_is_zero(site, recipients, inbox, hooks, settings):
    settings.GOVSITE_ALERT_REMIND_HOURS = 0
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    assert services.tick(now=T0 + timedelta(days=30))["reminders"] == 0 and len(inbox.messages) == 1


def test_a_failing_webhook_does_not_lose_the_alert(site, recipients, inbox, hooks, settings):
    settings.GOVSITE_ALERT_REMIND_HOURS = 0  # the command ticks at the real time, long after T0
    hooks.fail["wecom"] = 2
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    assert _counts(inbox, hooks) == [1, 1, 0, 1, 1]
    failed = Delivery.objects.get(recipient__kind="wecom")
    assert failed.status == Delivery.Status.FAILED and "500" in failed.last_error
    services.tick(now=T0 + timedelta(minutes=5))
    assert _counts(inbox, hooks) == [1, 1, 0, 1, 1]
    call_command("govsite_alerts")  # the embedded tick retries too
    assert _counts(inbox, hooks) == [1, 1, 1, 1, 1], "retried and sent; the others are not sent twice"
    assert Delivery.objects.get(recipient__kind="wecom").attempts == 3


def test_the_celery_beat_task_runs_the_same_tick(site, recipients, inbox, hooks, settings):
    from govsite.worker import tasks
    from govsite.worker.celery import _beat_schedule

    assert _beat_schedule()["govsite-alerts-tick"]["task"] == tasks.alerts_tick.name
    settings.GOVSITE_ALERT_REMIND_HOURS = 0
    hooks.fail["feishu"] = 1
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    assert tasks.alerts_tick.apply().get() == {"reminders": 0, "sent": 4}
    assert tasks.alerts_tick.apply().get() == {"reminders": 0, "sent": 1}
    assert _counts(inbox, hooks) == [1, 1, 1, 1, 1]


def test_a_robot_that_refuses_the_message_is_retried(site, recipients, inbox, hooks):
    hooks.reject.update(dingtalk=1, feishu=1)
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    refused = Delivery.objects.filter(status=Delivery.Status.FAILED).order_by("pk")
    assert [d.recipient.kind for d in refused] == ["dingtalk", "feishu"] and "机器人拒收" in refused[0].last_error
    services.tick(now=T0)
    assert _counts(inbox, hooks) == [1, 1, 1, 1, 1]


def test_an_unreachable_smtp_server_is_retried(site, recipients, inbox, hooks, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    assert len(inbox.messages) == 0 and Delivery.objects.get(recipient__kind="email").status == "failed"
    settings.EMAIL_PORT = port
    services.tick(now=T0)
    assert len(inbox.messages) == 1


def test_a_recovery_only_goes_to_those_who_were_told(site, recipients, inbox, hooks):
    hooks.fail["wecom"] = 99
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    services.clear_alert(site, "site_down", "已恢复访问", at=T0 + timedelta(minutes=30))
    hooks.fail["wecom"] = 0
    services.tick(now=T0 + timedelta(hours=1))
    assert _counts(inbox, hooks) == [2, 2, 0, 2, 2]
    assert Delivery.objects.get(recipient__kind="wecom").status == Delivery.Status.CANCELLED


def test_a_webhook_outside_loopback_is_refused_in_tests(site, inbox):
    Recipient.objects.create(survey=site.survey, kind="webhook", address="http://192.0.2.1/hook")
    services.raise_alert(site, "site_down", "网站无法访问", "连接超时", SITE, at=T0)
    services.tick(now=T0)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "本机" in delivery.last_error


# -- what feeds the alerts ---------------------------------------------------------------------------


def _finding(site: Site, job: Job, type_: str, url: str) -> Finding:
    record = FindingRecord(type=type_, url=url, site=SITE, severity="high", evidence="证据")
    return Finding.objects.create(
        site=site, type=type_, url=url, severity="high", evidence="隐藏的博彩链接",
        key_hash=finding_key_hash(*record.key), found_at="2025-11-30T00:00:00Z", first_job=job, last_job=job,
    )  # fmt: skip


def _finish(site: Site, capture) -> Job:
    job = Job.objects.create(site=site, as_of=site.survey.as_of, status=Job.Status.DONE)
    with capture(execute=True):
        job_finished.send(sender=Job, job=job)
    return job


def test_a_failing_veto_rule_opens_its_work_order_and_alerts_and_clears_when_it_passes(
    site, recipients, inbox, hooks, settings, django_capture_on_commit_callbacks
):
    settings.GOVSITE_VETO_ALERTS = True
    stale = [FindingRecord(type="stale_homepage", url=SITE, site=SITE, severity="high", evidence="最新 2025-10-01")]
    Site.objects.filter(pk=site.pk).update(verdict=inspection_verdict(stale).as_dict())
    _finish(site, django_capture_on_commit_callbacks)
    _finish(site, django_capture_on_commit_callbacks)
    order = WorkOrder.objects.get(site=site)
    assert order.title == "单项否决告警：云川县人民政府——首页栏目信息超过 2 周未更新"
    assert inbox.subjects() == ["【网站监测告警】云川县人民政府：单项否决：首页不更新"]
    assert "首页栏目信息超过 2 周未更新" in inbox.bodies()[0]

    Site.objects.filter(pk=site.pk).update(verdict=inspection_verdict([]).as_dict())
    _finish(site, django_capture_on_commit_callbacks)
    assert inbox.subjects()[1] == "【网站监测恢复】云川县人民政府：单项否决：首页不更新"
    assert len(inbox.messages) == 2 and WorkOrder.objects.filter(site=site).count() == 1


def test_security_events_alert_per_type_and_clear_when_none_remain(
    site, recipients, inbox, hooks, django_capture_on_commit_callbacks
):
    job = Job.objects.create(site=site, as_of=site.survey.as_of, status=Job.Status.DONE)
    _finding(site, job, "hidden_link", f"{SITE}a/")
    _finding(site, job, "hidden_link", f"{SITE}b/")
    script = _finding(site, job, "malicious_script", f"{SITE}c/")
    _finish(site, django_capture_on_commit_callbacks)
    assert sorted(inbox.subjects()) == [
        "【网站监测告警】云川县人民政府：安全事件：挂马",
        "【网站监测告警】云川县人民政府：安全事件：暗链",
    ]
    assert any("发现暗链 2 处" in body for body in inbox.bodies())
    Finding.objects.filter(pk=script.pk).update(status=Finding.Status.FIXED)
    _finish(site, django_capture_on_commit_callbacks)
    assert inbox.subjects()[2:] == ["【网站监测恢复】云川县人民政府：安全事件：挂马"]


def test_a_recheck_neither_raises_nor_clears(site, recipients, inbox, hooks, django_capture_on_commit_callbacks):
    job = Job.objects.create(site=site, kind=Job.Kind.RECHECK, as_of=site.survey.as_of, status=Job.Status.DONE)
    _finding(site, job, "page_tampered", SITE)
    with django_capture_on_commit_callbacks(execute=True):
        job_finished.send(sender=Job, job=job)
    assert inbox.messages == [] and not Alert.objects.exists()


def test_availability_changes_alert_the_website_and_its_surveys(
    site, recipients, inbox, hooks, django_capture_on_commit_callbacks
):
    from govsite.monitoring.signals import availability_changed  # the monitoring app's signal, connected in ready()

    website = site.website
    with django_capture_on_commit_callbacks(execute=True):
        availability_changed.send(sender=None, website=website, up=False, reason="首页 15 秒内未打开", at=T0)
        availability_changed.send(sender=None, website=website, up=False, reason="仍未打开", at=T0)
    assert inbox.subjects() == ["【网站监测告警】云川县人民政府：网站无法访问"]
    assert "发生时间：2025-12-01 08:00" in inbox.bodies()[0] and "首页 15 秒内未打开" in inbox.bodies()[0]
    with django_capture_on_commit_callbacks(execute=True):
        availability_changed.send(
            sender=None, website=website, up=True, reason="首页恢复访问", at=T0 + timedelta(hours=1)
        )
    assert inbox.subjects()[1] == "【网站监测恢复】云川县人民政府：网站无法访问"
    assert "恢复时间：2025-12-01 09:00" in inbox.bodies()[1]
    assert _counts(inbox, hooks) == [2, 2, 2, 2, 2]


# -- the managers' page ------------------------------------------------------------------------------


def test_a_manager_sets_recipients_and_an_outsider_cannot(site, client_for, settings, django_user_model):
    settings.GOVSITE_ALERT_LOOPBACK_ONLY = False
    manager = django_user_model.objects.create_user("manager")
    SurveyMember.objects.create(survey=site.survey, user=manager, role=SurveyMember.Role.MANAGER)
    client = client_for(manager)
    url = reverse("survey_alerts", args=[site.survey.pk])
    page = client.get(url).content.decode()
    assert "告警接收人" in page and "钉钉群机器人" in page
    bad = client.post(url, {"scope": "", "kind": "dingtalk", "address": "ftp://robot/send"})
    assert "http:// 或 https://" in bad.content.decode() and not Recipient.objects.exists()
    bad_mail = client.post(url, {"scope": "", "kind": "email", "address": "not-an-address"})
    assert "电子邮件地址格式不正确" in bad_mail.content.decode()
    ok = client.post(
        url,
        {
            "scope": str(site.pk),
            "kind": "feishu",
            "address": "https://robot.example/hook/x",
            "secret": "s",
            "keyword": "监测",
        },
    )
    assert ok.status_code == 302
    recipient = Recipient.objects.get()
    assert (recipient.site, recipient.survey, recipient.secret) == (site, None, "s")
    services.raise_alert(site, "security:hidden_link", "安全事件：发现暗链 1 处", "隐藏链接", SITE)
    page = client.get(url).content.decode()
    assert "飞书群机器人" in page and "<td>云川县人民政府</td><td>安全事件：暗链</td>" in page
    client.post(url, {"remove": recipient.pk})
    assert not Recipient.objects.exists()
    outsider = client_for(django_user_model.objects.create_user("outsider"))
    assert outsider.get(url).status_code in (403, 404)
