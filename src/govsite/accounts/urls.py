from django.urls import path

from govsite.accounts import views

urlpatterns = [
    path("account/", views.account_security, name="account_security"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/otp/verify/", views.otp_verify, name="otp_verify"),
    path("account/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("account/otp/remove/", views.otp_remove, name="otp_remove"),
    path("security/locks/", views.lock_list, name="lock_list"),
    path("security/locks/release/", views.lock_release, name="lock_release"),
    path("security/audit/", views.security_audit, name="security_audit"),
]
