"""The analysis workers: the work they do, how they talk to the crawler, and losing one.

The reactor starts once per process, so the tests that run real worker
processes drive an `Analyser` from a small script in a subprocess.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import pickle
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from govsite.crawl.analyze import analyze_page
from govsite.crawl.archive import ArchivedResponse, WarcArchive, read_archive
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import FetchRecord
from govsite.crawl.store import CrawlStore, append_record, open_for_append, record_line
from govsite.crawl.workers import TASKS, PageTask, ResponseTask, process_response
from govsite.frames import HEADER, Frames, frame, read_frame, serve

AS_OF = date(2025, 11, 30)
SITE = "http://127.0.0.1:8000/"
PAGE_URL = SITE + "col/col1/index.html"
HTML = """<html><head><title>通知公告_临川市人民政府</title><meta charset="gbk"></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1/index.html">通知公告</a></div>
<ul class="list">
<li><a href="/art/1.html">关于做好防汛工作的通知</a><span>2025-06-18</span></li>
<li><a href="/art/2.html">关于开展安全生产检查的通知</a><span>2025-06-15</span></li>
<li><a href="/art/3.html">关于公布年度项目的公告</a><span>2025-06-12</span></li>
</ul>
<a href="/col/col1/index_1.html">下一页</a> <a href="/files/a.pdf">附件</a> <a href="http://example.org/">外链</a>
<div class="footer">主办单位：临川市人民政府办公室</div></body></html>"""


def _task(tmp_path: Path, body: bytes, *, page: bool = True) -> tuple[ResponseTask, CrawlStore, WarcArchive]:
    store = CrawlStore(tmp_path / "site")
    archive = WarcArchive(store.archive_dir)
    fetch = FetchRecord(PAGE_URL, "page", status=200, final_url=PAGE_URL, content_type="text/html", depth=1)
    page_task = PageTask(PAGE_URL, 200, "gbk", 1, SITE, SITE, frozenset({"127.0.0.1:8000"}), AS_OF) if page else None
    headers = [("Content-Type", "text/html; charset=gbk")]
    index = store.pages_path if page else store.documents_path
    task = ResponseTask(fetch, "200 OK", headers, body, str(archive.path), str(index), page_task, not page)
    return task, store, archive


def test_a_page_is_archived_and_analysed_as_in_the_crawler(tmp_path):
    body = HTML.encode("gbk")
    task, store, archive = _task(tmp_path, body)
    done = process_response(task)
    archive.close()

    expected = analyze_page(
        PAGE_URL, 200, HTML, UrlRules(SITE, CrawlPolicy(), AS_OF), as_of=AS_OF, encoding="gbk", depth=1, referrer=SITE
    )
    assert not done.problem
    assert store.pages_path.read_bytes() == record_line(expected.to_dict())
    assert done.page is not None
    assert done.page.links == [(link.url, link.kind) for link in expected.links]
    assert done.page.pagination == expected.pagination == [SITE + "col/col1/index_1.html"]
    assert {kind for _, kind in done.page.links} == {"page", "attachment", "external"}
    (archived,) = list(read_archive(store.archive_dir))
    assert isinstance(archived, ArchivedResponse)
    assert archived.body == body
    assert archived.fetch.url == PAGE_URL


def test_a_page_that_cannot_be_analysed_is_still_archived(tmp_path, monkeypatch):
    import govsite.crawl.workers as workers

    def broken(*args, **kwargs):
        raise RuntimeError("hostile")

    monkeypatch.setattr(workers, "analyze_page", broken)
    task, store, archive = _task(tmp_path, HTML.encode("gbk"))
    done = process_response(task)
    archive.close()
    assert done.page is None
    assert done.problem == "RuntimeError: hostile"
    assert not store.pages_path.exists() or store.pages_path.read_bytes() == b""
    assert len(list(read_archive(store.archive_dir))) == 1


def test_an_attachment_gets_its_document_record(tmp_path):
    body = "序号,姓名\n1,张三\n".encode()
    task, store, archive = _task(tmp_path, body, page=False)
    task = ResponseTask(
        FetchRecord(SITE + "files/a.csv", "attachment", status=200, content_type="text/csv"),
        "200 OK",
        [("Content-Type", "text/csv")],
        body,
        task.archive,
        task.index,
        None,
        True,
    )
    done = process_response(task)
    archive.close()
    assert done.page is None and not done.problem
    (document,) = store.load_documents().values()
    assert document.url == SITE + "files/a.csv"
    assert "张三" in document.text


def test_frames_come_out_whole_however_the_stream_is_cut():
    payloads = [b"", b"x", bytes(range(256)) * 100]
    stream = b"".join(frame(p) for p in payloads)
    for step in (1, 3, HEADER, 1000, len(stream)):
        frames = Frames()
        out = []
        for start in range(0, len(stream), step):
            out += frames.feed(stream[start : start + step])
        assert out == payloads
    blocking = io.BytesIO(stream)
    assert [read_frame(blocking) for _ in payloads] == payloads
    assert read_frame(blocking) is None
    cut = io.BytesIO(stream[:-1])
    assert [read_frame(cut) for _ in payloads] == [*payloads[:-1], None]  # cut short: no half frame


def test_a_worker_says_ready_answers_in_order_and_reports_a_failing_task(tmp_path):
    task, _, archive = _task(tmp_path, HTML.encode("gbk"))
    requests = b"".join(
        frame(pickle.dumps(message))
        for message in [(1, "response", (task,)), (2, "no-such-task", ()), (3, "response", (task,))]
    )
    results = io.BytesIO()
    serve(TASKS, io.BytesIO(requests), results)
    archive.close()
    answers = [pickle.loads(payload) for payload in Frames().feed(results.getvalue())]
    assert [a[:2] for a in answers] == [(0, True), (1, True), (2, False), (3, True)]
    assert answers[2][2] == "KeyError: 'no-such-task'"
    assert pickle.loads(answers[1][2]).page.url == PAGE_URL


def _append_many(path: str, marker: str, count: int) -> None:
    fd = open_for_append(path)
    for k in range(count):
        append_record(fd, record_line({"who": marker, "k": k, "pad": marker * 50_000}))


def test_appends_from_two_processes_never_interleave(tmp_path):
    path = str(tmp_path / "shared.jsonl")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_append_many, args=(path, marker, 60)) for marker in "ab"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted((r["who"], r["k"]) for r in records) == sorted((m, k) for m in "ab" for k in range(60))


DRIVER = textwrap.dedent(
    """
    import asyncio, json, os, signal, sys
    from twisted.internet import asyncioreactor
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    asyncioreactor.install(loop)
    from twisted.internet import defer, reactor
    from tests_workers_task import make_task
    from govsite.crawl.workers import Analyser

    folder, kill = sys.argv[1], sys.argv[2] == "kill"
    analyser = Analyser(1)
    result = {}

    async def main():
        analyser.start()
        tasks = [make_task(folder, k) for k in range(40)]
        running = [asyncio.ensure_future(analyser.process(t)) for t in tasks]
        if kill:
            while not analyser._pool or not analyser._pool[0].ready:
                await asyncio.sleep(0.01)
            os.kill(analyser._pool[0].transport.pid, signal.SIGKILL)
        done = await asyncio.gather(*running, return_exceptions=True)
        result["answers"] = sum(1 for d in done if not isinstance(d, Exception) and d.page is not None)
        result["lost"] = analyser.lost
        workers = list(analyser._pool)
        analyser.release()
        for _ in range(100):
            if not any(w.alive for w in workers):
                break
            await asyncio.sleep(0.05)
        result["alive_after_close"] = [w.alive for w in workers]

    def run():
        d = defer.Deferred.fromFuture(asyncio.ensure_future(main()))
        d.addBoth(lambda r: (result.setdefault("error", repr(r)) if r is not None else None, reactor.stop()))

    reactor.callWhenRunning(run)
    reactor.run()
    analyser.kill()
    print(json.dumps(result))
    """
)

TASK_MODULE = textwrap.dedent(
    f"""
    from datetime import date
    from pathlib import Path
    from govsite.crawl.records import FetchRecord
    from govsite.crawl.workers import PageTask, ResponseTask

    HTML = {HTML!r}

    def make_task(folder, k):
        url = "{SITE}col/col1/index.html?k=%d" % k
        fetch = FetchRecord(url, "page", status=200, final_url=url, content_type="text/html")
        page = PageTask(url, 200, "utf-8", 0, "", "{SITE}", frozenset({{"127.0.0.1:8000"}}), date(2025, 11, 30))
        folder = Path(folder)
        return ResponseTask(fetch, "200 OK", [], HTML.encode(), str(folder / "crawl-001.warc.gz"),
                            str(folder / "pages.jsonl"), page)
    """
)


@pytest.mark.parametrize("kill", [False, True], ids=["plain", "worker-killed"])
def test_a_real_worker_process_answers_every_task_even_when_killed(tmp_path, kill):
    (tmp_path / "tests_workers_task.py").write_text(TASK_MODULE, encoding="utf-8")
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    folder = tmp_path / "site"
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, str(script), str(folder), "kill" if kill else "plain"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert "error" not in outcome, outcome
    assert outcome["answers"] == 40
    assert outcome["lost"] == (1 if kill else 0)
    assert outcome["alive_after_close"] == [False]
    pages = (folder / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    urls = {json.loads(line)["url"] for line in pages}
    assert len(urls) == 40  # a task in flight at the kill may have been written twice, never lost
    archived = [item for item in read_archive(folder) if isinstance(item, ArchivedResponse)]
    assert {item.url for item in archived} == urls
