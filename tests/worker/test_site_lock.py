"""Two workers never crawl the same website at once: a job whose site is locked waits its turn."""

from __future__ import annotations

import itertools

import pytest
from workerharness import FAST_SCAN, create_survey, django_call, fetch_lines, job_rows, wait_for

from govsite.worker.locks import lock_key, site_origin

pytestmark = [pytest.mark.postgres]


def test_the_lock_is_per_origin():
    assert site_origin("http://Example.gov.cn/a/b.html") == "http://example.gov.cn:80"
    assert lock_key("http://example.gov.cn/") == lock_key("http://EXAMPLE.gov.cn:80/other")
    assert lock_key("http://example.gov.cn/") != lock_key("https://example.gov.cn/")
    assert lock_key("http://127.0.0.1:8001/") != lock_key("http://127.0.0.1:8002/")
    assert -(2**63) <= lock_key("http://example.gov.cn/") < 2**63


def test_the_advisory_lock_excludes_a_second_session(services):
    result = django_call(
        services,
        """
        from govsite.worker.locks import site_lock
        url = "http://127.0.0.1:9/"
        with site_lock(url) as first:
            with site_lock(url) as second:
                inside = (first, second)
        with site_lock(url) as after:
            pass
        result = [*inside, after]
        """,
    )
    assert result == [True, False, True]


@pytest.mark.slow
def test_two_jobs_for_one_site_never_overlap(services, sample_urls, workers):
    db = services["DATABASE_URL"]
    url = sample_urls["qinghe"]
    one = create_survey(services, "同站两任务", [url], jobs_per_site=2)
    other = create_survey(services, "另一调查的同一网站", [url], jobs_per_site=1)
    pair = workers(2, GOVSITE_SCAN_ARGS=FAST_SCAN + " --max-pages 20")  # the lock, not the crawl, is tested
    django_call(
        services,
        f"""
        from govsite.surveys.models import Job
        from govsite.worker.tasks import enqueue_job
        for job in Job.objects.filter(pk__in={one["jobs"] + other["jobs"]!r}).order_by("pk"):
            enqueue_job(job)
        """,
    )

    def all_done():
        rows = job_rows(db, one["survey"]) + job_rows(db, other["survey"])
        return rows if all(r["status"] == "done" for r in rows) else None

    rows = sorted(wait_for(all_done, 300, "the three jobs of one site"), key=lambda r: r["started_at"])
    for earlier, later in itertools.pairwise(rows):
        assert earlier["finished_at"] <= later["started_at"], f"jobs {earlier['id']} and {later['id']} overlap"
        assert max(f["fetched_at"] for f in fetch_lines(earlier["out_dir"])) <= min(
            f["fetched_at"] for f in fetch_lines(later["out_dir"])
        ), "the crawls' requests interleave"
    assert all(r["attempts"] == 1 for r in rows), "a locked job is retried before it runs, never run twice"
    logs = "".join(worker.log() for worker in pair)
    assert "is locked by another job; retry in" in logs, "both workers did try the site at the same time"
