from django.urls import path

from govsite.surveys import views

urlpatterns = [
    path("", views.home, name="home"),
]
