from django.urls import path

from govsite.workorders import views

app_name = "workorders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/<int:site_id>/", views.order_new, name="new"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/fixed/", views.order_fixed, name="fixed"),
    path("<int:pk>/claim/", views.order_claim, name="claim"),
    path("<int:pk>/review/", views.order_review, name="review"),
    path("<int:pk>/assign/", views.order_assign, name="assign"),
]
