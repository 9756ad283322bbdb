"""The project's URLs plus govsite.worker's, mounted as docs/deployment.md tells web/urls.py to mount them."""

from django.urls import include, path

from govsite.web.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("worker/", include("govsite.worker.urls")), *project_urlpatterns]
