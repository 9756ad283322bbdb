from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path


def health(request):
    """A liveness probe for load balancers and tests."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("govsite.accounts.urls")),
    path("workorders/", include("govsite.workorders.urls")),
    path("worker/", include("govsite.worker.urls")),
    path("alerts/", include("govsite.alerts.urls")),
    path("", include("govsite.surveys.urls_operator")),
    path("", include("govsite.surveys.urls")),
]
