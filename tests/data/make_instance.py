"""A small instance with one of everything a backup must carry, and the v0.1.0 upgrade fixture.

`populate()` (Django set up, database migrated, GOVSITE_DATA_DIR set) writes
users, a survey with two sites, a finished job with its scan folder (a WARC
segment, findings.jsonl), findings (one privacy finding), indicator scores,
an evidence file, an innovation case with an attachment, audit entries and
a work order with its events. `snapshot()` reads the same back as plain
data, for comparing two instances.

Run as a script at the v0.1.0 commit (d267abf) to rebuild the upgrade fixture:

    GOVSITE_DATA_DIR=$(mktemp -d) PYTHONPATH=src DJANGO_SETTINGS_MODULE=govsite.web.settings \\
        python tests/data/make_instance.py tests/data/release-0.1.0.sqlite3.gz

(migrate, populate, then the SQLite file gzip-compressed).
"""

from __future__ import annotations

import gzip
import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

AS_OF = date(2025, 11, 30)
FOUND_AT = datetime(2025, 11, 29, 8, 30)


def populate() -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from govsite.surveys import audit
    from govsite.surveys.models import (
        CaseAttachment,
        Evidence,
        Finding,
        IndicatorScore,
        InnovationCase,
        Job,
        Site,
        Survey,
        SurveyFramework,
        SurveyMember,
        finding_key_hash,
    )
    from govsite.workorders.models import WorkOrder, WorkOrderEvent

    users = get_user_model().objects
    manager = users.create_user("manager", password="Gov-site-2025!x")
    operator = users.create_user("operator", email="operator@example.gov.cn")
    assessor = users.create_user("assessor")
    survey = Survey.objects.create(name="2025年政府网站评估", year=2025, as_of=AS_OF, created_by=manager)
    SurveyFramework.objects.create(survey=survey, level="county", framework="portal_county_2025")
    SurveyMember.objects.create(survey=survey, user=manager, role=SurveyMember.Role.MANAGER)
    site = Site.objects.create(survey=survey, name="清河县人民政府", url="http://127.0.0.1:9/", level="county")
    Site.objects.create(survey=survey, name="白河县人民政府", url="http://127.0.0.1:8/", level="county")
    site.operators.add(operator)
    site.assessor = assessor
    site.save()

    job = Job.objects.create(site=site, as_of=AS_OF, status=Job.Status.DONE, pages_fetched=2)
    folder = Path(settings.DATA_DIR) / "jobs" / str(job.pk)
    (folder / "sites" / "127.0.0.1-9" / "archive").mkdir(parents=True)
    (folder / "sites" / "127.0.0.1-9" / "archive" / "crawl-001.warc.gz").write_bytes(
        gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n<p>\xe8\x81\x94\xe7\xb3\xbb\xe4\xba\xba 13800138000</p>")
    )
    (folder / "findings.jsonl").write_text('{"type": "broken_link", "url": "http://127.0.0.1:9/a"}\n')
    Job.objects.filter(pk=job.pk).update(out_dir=str(folder), finished_at=timezone.now(), summary={"pages": 2})

    found_at = timezone.make_aware(FOUND_AT)
    findings = [
        Finding.objects.create(
            site=site,
            type=type_,
            url=url,
            page="http://127.0.0.1:9/",
            severity=severity,
            evidence=evidence,
            key_hash=finding_key_hash(type_, url, ""),
            found_at=found_at,
            first_job=job,
            last_job=job,
        )
        for type_, url, severity, evidence in [
            ("broken_link", "http://127.0.0.1:9/a", "medium", "HTTP 404"),
            ("privacy_phone", "http://127.0.0.1:9/b", "high", "联系人 138****8000"),
        ]
    ]
    score = IndicatorScore.objects.create(
        site=site, code="1.1", score=Decimal("3.50"), note="首页栏目齐全", assessor=assessor
    )
    evidence = Evidence(score=score, url="http://127.0.0.1:9/", note="首页截图", created_by=assessor)
    evidence.file.save("home.png", ContentFile(b"\x89PNG\r\n\x1a\nhome"), save=True)
    case = InnovationCase.objects.create(
        site=site, category="innovation", title="一网通办", description="说明", created_by=operator
    )
    attachment = CaseAttachment(case=case)
    attachment.file.save("case.pdf", ContentFile(b"%PDF-1.4 case"), save=True)
    audit.record(assessor, "score_save", score, site=site, before=None, after={"score": "3.50"})
    audit.record(assessor, "evidence_add", evidence, site=site, after={"file": evidence.file.name})
    order = WorkOrder.objects.create(
        site=site, title="清河县人民政府：失效链接", finding_type="broken_link", assignee=operator, created_by=manager
    )
    order.findings.add(findings[0])
    WorkOrderEvent.objects.create(order=order, user=manager, action="create", note="请于一周内整改")
    audit.record(manager, "create", order, site=site, after={"status": "open"})
    return {"job": job.pk, "survey": survey.pk}


def snapshot() -> dict:
    """Everything populate() wrote, as plain data (ids included), with the files' bytes."""
    from django.contrib.auth import get_user_model

    from govsite.surveys.models import AuditEntry, CaseAttachment, Evidence, Finding, IndicatorScore, Job, Site, Survey
    from govsite.workorders.models import WorkOrder, WorkOrderEvent

    def rows(model, *fields):
        return [tuple(str(v) for v in row) for row in model.objects.order_by("pk").values_list("pk", *fields)]

    return {
        "users": rows(get_user_model(), "username", "email", "password"),
        "surveys": rows(Survey, "name", "year", "as_of", "status"),
        "sites": rows(Site, "name", "url", "website__origin", "assessor__username"),
        "jobs": rows(Job, "status", "pages_fetched", "summary"),
        "findings": rows(Finding, "type", "url", "evidence", "status", "found_at", "key_hash"),
        "scores": rows(IndicatorScore, "code", "score", "note", "status"),
        "evidence": [(e.pk, e.note, e.file.name, e.file.read()) for e in Evidence.objects.order_by("pk")],
        "attachments": [(a.pk, a.file.name, a.file.read()) for a in CaseAttachment.objects.order_by("pk")],
        "audit": rows(AuditEntry, "at", "user__username", "action", "object_type", "object_id", "after"),
        "workorders": rows(WorkOrder, "title", "status", "assignee__username", "findings__key_hash"),
        "events": rows(WorkOrderEvent, "order_id", "action", "note"),
        "job_files": {
            job.pk: sorted(
                (p.relative_to(job.out_dir).as_posix(), p.read_bytes())
                for p in Path(job.out_dir).rglob("*")
                if p.is_file()
            )
            for job in Job.objects.exclude(out_dir="")
        },
    }


def build_release_fixture(out: Path) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    populate()
    from django.db import connections

    connections.close_all()
    with open(settings.DATABASES["default"]["NAME"], "rb") as db, gzip.open(out, "wb", compresslevel=9) as gz:
        shutil.copyfileobj(db, gz)


if __name__ == "__main__":
    build_release_fixture(Path(sys.argv[1]))
