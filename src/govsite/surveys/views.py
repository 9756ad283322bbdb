"""Survey pages: the dashboard, surveys, sites, indicators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from govsite.surveys import access


@login_required
def home(request):
    surveys = access.surveys_for(request.user)
    return render(request, "surveys/home.html", {"surveys": surveys})
