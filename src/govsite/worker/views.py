"""JSON for the web app: a survey's progress and queue depth, a site's history of changes.

Everything is narrowed by govsite.surveys.access like every other view: a
survey or site outside the user's reach is a 404. Not logged in: 401 (these
are fetched by pages, which cannot follow a redirect to the login form).
"""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from govsite.surveys import access
from govsite.surveys.models import Job
from govsite.worker import progress

JSON_OPTIONS = {"ensure_ascii": False}


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)
    response["Cache-Control"] = "no-store"
    return response


def _login_required_json(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _json({"ok": False, "error": "请先登录"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_login_required_json
def survey_progress(request, survey_id: int):
    survey = get_object_or_404(access.surveys_for(request.user), pk=survey_id)
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in Job.Kind.values:
        return _json({"ok": False, "error": f"未知的检测类型：{kind}"}, status=400)
    return _json({"ok": True, **progress.survey_progress(survey, kind)})


@require_GET
@_login_required_json
def site_history(request, site_id: int):
    site = get_object_or_404(access.sites_for(request.user), pk=site_id)
    return _json({"ok": True, "site": site.pk, "name": site.name, "history": progress.site_history(site)})


@require_GET
@_login_required_json
def queues(request):
    if not request.user.is_staff:
        return _json({"ok": False, "error": "仅管理员可查看任务队列"}, status=403)
    return _json({"ok": True, "queue": progress.queue_depths()})
