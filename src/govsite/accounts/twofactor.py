"""The second factor: TOTP devices (django-otp), who must have one, and the enrolment QR code."""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsite.surveys.models import SurveyMember

DEVICE_NAME = "身份验证器"


def required_for(user) -> bool:
    """Platform administrators (superuser or staff) and survey managers must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return SurveyMember.objects.filter(user=user, role=SurveyMember.Role.MANAGER).exists()


def exempt(user) -> bool:
    """The development accounts (GOVSITE_DEV_ACCOUNTS, embedded development default only) skip the second factor."""
    return bool(getattr(settings, "GOVSITE_DEV_ACCOUNTS", False))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The account's unconfirmed device, made on first call: its secret stays the same until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code (markup only: no script, no style attribute)."""
    import segno

    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", xmldecl=False, scale=4, title="二维码")
    return out.getvalue().decode()
