"""Who may see and do what, enforced on the server for every view and download.

Roles are per survey: managers, reviewers and experts are SurveyMember rows;
an assessor is the user a site is assigned to; operators are attached to
their own sites. Superusers may do everything. Every view narrows its
queryset with these functions, so an object outside the user's reach is a 404,
never a page with the data blanked out.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govsite.surveys.models import Site, Survey, SurveyMember

MANAGER = SurveyMember.Role.MANAGER
REVIEWER = SurveyMember.Role.REVIEWER
EXPERT = SurveyMember.Role.EXPERT
VIEW_ROLES = (MANAGER, REVIEWER, EXPERT)  # the survey's staff: they see every site's assessment


def surveys_for(user) -> QuerySet[Survey]:
    """Surveys the user takes part in, in any role."""
    if user.is_superuser:
        return Survey.objects.all()
    return Survey.objects.filter(Q(members__user=user) | Q(sites__assessor=user) | Q(sites__operators=user)).distinct()


def has_role(user, survey: Survey, *roles: str) -> bool:
    if user.is_superuser:
        return True
    return SurveyMember.objects.filter(survey=survey, user=user, role__in=roles).exists()


def is_manager(user, survey: Survey) -> bool:
    return has_role(user, survey, MANAGER)


def sites_for(user, survey: Survey | None = None) -> QuerySet[Site]:
    """Sites the user may see: all of a survey for its managers/reviewers/experts, else assigned or operated ones."""
    sites = Site.objects.all() if survey is None else Site.objects.filter(survey=survey)
    if user.is_superuser:
        return sites
    staffed = SurveyMember.objects.filter(user=user).values("survey_id")
    return sites.filter(Q(survey_id__in=staffed) | Q(assessor=user) | Q(operators=user)).distinct()


def can_assess(user, site: Site) -> bool:
    return user.is_superuser or site.assessor_id == user.id or is_manager(user, site.survey)


def can_view_assessment(user, site: Site) -> bool:
    """Assessment pages are for the site's assessor and the survey's staff, not for operators."""
    return user.is_superuser or site.assessor_id == user.id or has_role(user, site.survey, *VIEW_ROLES)


def can_review(user, site: Site) -> bool:
    return has_role(user, site.survey, MANAGER, REVIEWER)


def is_operator(user, site: Site) -> bool:
    return user.is_superuser or site.operators.filter(pk=user.pk).exists()
