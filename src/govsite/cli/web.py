"""The web application and distributed surveys: `govsite manage`, `serve`, `worker`, `scheduler`, `survey`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from govsite.cli.bootstrap import _django_command, _django_ready
from govsite.cli.errors import BadInput
from govsite.console import console


@click.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """运行 Django 管理命令（如 migrate、createsuperuser）。"""
    _django_command(["govsite manage", *args])


@click.command("serve")
@click.option("--port", default=8000, show_default=True, help="开发服务器的端口（生产模式用 GOVSITE_BIND）")
@click.option("--production", is_flag=True, help="生产模式：gunicorn 多进程服务，静态文件由 whitenoise 提供")
def serve(port: int, production: bool) -> None:
    """启动网页应用（先执行数据库迁移）。

    默认是 Django 开发服务器，只在本机 127.0.0.1 上供开发使用；--production 用 gunicorn
    （地址与进程数取自 GOVSITE_BIND、GOVSITE_WORKERS），调试模式开启或未设置 GOVSITE_SECRET_KEY 时拒绝启动。
    """
    if not production:
        _django_command(["govsite manage", "migrate", "--noinput"])
        _django_command(["govsite manage", "runserver", f"127.0.0.1:{port}"])
        return
    import os

    from django.core.exceptions import ImproperlyConfigured

    os.environ["GOVSITE_PRODUCTION"] = "1"
    try:
        _django_ready()
    except ImproperlyConfigured as exc:
        raise BadInput(f"拒绝以生产模式启动：{exc}") from exc
    from govsite.web.gunicorn import serve_production

    _django_command(["govsite manage", "migrate", "--noinput"])
    _django_command(["govsite manage", "collectstatic", "--noinput", "--verbosity", "0"])
    serve_production()


@click.command("worker")
@click.option("--concurrency", type=int, help="同时检测的网站数（默认 GOVSITE_WORKER_CONCURRENCY，未设则为 CPU 数）")
@click.option("--queues", default="govsite.jobs,govsite.control", show_default=True, help="消费的队列，逗号分隔")
@click.option("--max-tasks-per-child", type=int, help="子进程任务数上限（默认 GOVSITE_WORKER_MAX_TASKS_PER_CHILD）")
@click.option("--name", help="工作进程名称（默认 govsite-PID@主机名，须在集群内唯一）")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, queues: str, max_tasks_per_child: int | None, name: str | None, loglevel: str):
    """启动 Celery 工作进程，执行网站检测任务（连接 GOVSITE_BROKER_URL 与 DATABASE_URL）。"""
    import os

    _django_ready()
    from django.conf import settings

    from govsite.worker.celery import app

    concurrency = concurrency or settings.GOVSITE_WORKER_CONCURRENCY or os.cpu_count() or 1
    app.worker_main(
        [
            "worker",
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            "--prefetch-multiplier=1",
            f"--max-tasks-per-child={max_tasks_per_child or settings.GOVSITE_WORKER_MAX_TASKS_PER_CHILD}",
            f"--queues={queues}",
            f"--hostname={name or f'govsite-{os.getpid()}@%h'}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@click.command("scheduler")
@click.option("--schedule-file", type=click.Path(dir_okay=False), help="beat 状态文件（默认在数据目录中）")
@click.option("--loglevel", default="INFO", show_default=True)
def scheduler(schedule_file: str | None, loglevel: str) -> None:
    """启动定时调度（Celery beat）：按监测计划生成检测任务，每天清理过期存档。部署一个即可。"""
    _django_ready()
    from django.conf import settings

    from govsite.worker.celery import app

    schedule_file = schedule_file or str(Path(settings.DATA_DIR) / "celerybeat-schedule")
    app.start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule_file}"])


@click.group("survey")
def survey_group() -> None:
    """调查的检测任务：启动、进度与定期监测计划。"""


def _survey_or_fail(survey_id: int):
    from govsite.surveys.models import Survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise BadInput(f"没有编号为 {survey_id} 的调查")
    return survey


JOB_KINDS = ["full", "incremental", "selfcheck"]


@survey_group.command("launch")
@click.argument("survey_id", type=int)
@click.option("--kind", type=click.Choice(JOB_KINDS), default="full", show_default=True, help="检测类型")
def survey_launch(survey_id: int, kind: str) -> None:
    """为调查的每个网站创建一个检测任务并排队（已在排队或检测中的网站不重复创建）。

    GOVSITE_TASKS=celery 时交给工作进程；否则在本进程中逐个网站检测。
    """
    _django_ready()
    from govsite.surveys import dispatch
    from govsite.surveys.jobs import run_job
    from govsite.worker.tasks import fan_out, launch_survey

    survey = _survey_or_fail(survey_id)
    if dispatch.mode() == "celery":
        try:
            counts = launch_survey(survey.pk, kind)
        except Exception as exc:
            raise click.ClickException(f"无法投递到消息队列：{exc}（已建的任务仍在排队，可再次执行本命令）") from exc
        console.print(
            f"{survey.name}：新建并排队 {counts['created']} 个任务，重新投递 {counts['republished']} 个，"
            f"{counts['already_running']} 个网站已有进行中的任务",
            highlight=False,
        )
        return
    created = []
    counts = fan_out(survey, kind, enqueue=created.append)
    console.print(f"{survey.name}：在本进程中检测 {len(created)} 个网站（GOVSITE_TASKS 不是 celery）", highlight=False)
    for job in created:
        job = run_job(job.pk)
        console.print(f"  {job.site.name}\t{job.get_status_display()}\t网页 {job.pages_fetched}", highlight=False)


@survey_group.command("status")
@click.argument("survey_id", type=int)
@click.option("--kind", type=click.Choice([*JOB_KINDS, "recheck"]), help="只统计此类任务")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def survey_status(survey_id: int, kind: str | None, fmt: str) -> None:
    """调查的检测进度：各状态任务数、已抓取网页数、消息队列积压。"""
    _django_ready()
    from govsite.surveys.models import Job
    from govsite.worker.progress import survey_progress

    data = survey_progress(_survey_or_fail(survey_id), kind)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    labels = dict(Job.Status.choices)
    jobs = data["jobs"]
    console.print(
        f"[bold]{data['name']}[/]  网站 {data['sites']}  已完成 {data['sites_done']}  "
        f"已抓取网页 {data['pages_fetched']}",
        highlight=False,
    )
    console.print(
        "任务：" + "  ".join(f"{labels[s]} {jobs[s]}" for s in Job.Status.values) + f"  合计 {jobs['total']}",
        highlight=False,
    )
    queue = data["queue"]
    if queue is None:
        console.print("队列：未使用（GOVSITE_TASKS 不是 celery，任务在本机运行）", highlight=False)
    elif "error" in queue:
        console.print(f"[red]消息队列不可用：{queue['error']}[/]", highlight=False)
    else:
        console.print("队列积压：" + "  ".join(f"{name} {depth}" for name, depth in queue.items()), highlight=False)
    for row in data["running"]:
        console.print(f"  检测中  {row['site']}  {row['worker']}  网页 {row['pages_fetched']}", highlight=False)
    for row in data["failed"]:
        console.print(f"  [red]失败[/]  {row['site']}  {row['error']}", highlight=False)


@survey_group.command("schedule")
@click.argument("survey_id", type=int)
@click.option("--disable", is_flag=True, help="停用该调查所有网站的监测计划")
def survey_schedule(survey_id: int, disable: bool) -> None:
    """为调查的每个网站建立定期监测计划：每天增量检测、每周全量检测（需运行 govsite scheduler）。"""
    _django_ready()
    from govsite.surveys.models import Site
    from govsite.worker.schedules import ensure_schedules

    survey = _survey_or_fail(survey_id)
    count = ensure_schedules(Site.objects.filter(survey=survey), enabled=not disable)
    console.print(f"{survey.name}：{'停用' if disable else '启用'} {count} 个监测计划", highlight=False)
