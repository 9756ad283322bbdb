"""Request middleware: the source address for the audit log, and the second-factor gate."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from govsite.accounts import twofactor
from govsite.accounts.addresses import client_ip
from govsite.surveys import audit

# Pages a signed-in account that still owes its second factor may open.
OPEN_PREFIXES = ("/static/", "/health/")
OPEN_NAMES = ("otp_verify", "otp_enrol", "logout")


class ClientAddressMiddleware:
    """Puts the request's source address (trusted-proxy rule) where `audit.record` finds it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = audit.client_address.set(request.client_ip)
        actor = audit.acting_user.set(request.user)
        try:
            return self.get_response(request)
        finally:
            audit.acting_user.reset(actor)
            audit.client_address.reset(token)


class SecondFactorMiddleware:
    """After the password: an account with a device verifies a code; an administrator or manager without
    one is sent to enrol. Runs after django-otp's OTPMiddleware (request.user.is_verified)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        target = self._gate(request)
        return redirect(target) if target else self.get_response(request)

    def _gate(self, request) -> str | None:
        user = request.user
        if not user.is_authenticated or user.is_verified() or twofactor.exempt(user):
            return None
        if request.path.startswith(OPEN_PREFIXES) or request.path in {reverse(n) for n in OPEN_NAMES}:
            return None
        nxt = "?" + urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        if twofactor.confirmed_device(user) is not None:
            return reverse("otp_verify") + nxt
        if twofactor.required_for(user):
            return reverse("otp_enrol") + nxt
        return None
