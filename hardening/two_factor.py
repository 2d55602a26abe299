"""Two-factor login for staff: a code from an authenticator app (TOTP, django-otp).

Required of superusers and of members of the groups named in NEWSROOM_2FA_GROUPS; everybody
else signs in with a password as before. After the password, such a user is sent to
/admin/two-factor/: with no authenticator yet, that page shows a QR code (and the secret to
type) to add one and asks for its first code; afterwards it asks for a code at each sign-in.
Until the code is given, the admin answers with that page and every other view sees an
anonymous visitor (so a session half signed in cannot use the API either).
"""

import base64
from io import BytesIO

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def requires_two_factor(user) -> bool:
    """Whether `user` must give a one-time code to sign in (superusers, NEWSROOM_2FA_GROUPS)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    groups = settings.NEWSROOM_2FA_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def _exempt_paths() -> tuple[str, ...]:
    """Admin URLs a half-signed-in user may still open: this step, and signing out."""
    return (reverse("admin-two-factor"), reverse("admin:logout"), reverse("admin:login"))


class TwoFactorMiddleware:
    """Holds back a user who must give a code and has not yet, in this session (see module doc).

    Placed after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        unverified_staff = user is not None and user.is_authenticated and user.is_staff and not user.is_verified()
        if unverified_staff and requires_two_factor(user):
            if not request.path.startswith(reverse("admin:index")):
                request.user = AnonymousUser()
            elif request.path not in _exempt_paths():
                step = reverse("admin-two-factor")
                return redirect(f"{step}?next={request.get_full_path()}" if request.method == "GET" else step)
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code is the 6 digits your authenticator app shows.")
        return code


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (qrcode's path image: no style attributes)."""
    import qrcode
    import qrcode.image.svg

    out = BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # no XML declaration inside HTML


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _device_for(user) -> tuple[TOTPDevice, bool]:
    """The user's confirmed authenticator, else the one being set up (made on the first visit,
    then kept so that a scanned code stays valid); and whether it is being set up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device, True


def _signed_in_with(request, form: CodeForm, device: TOTPDevice, setting_up: bool) -> bool:
    """Whether the posted code is right: then the device is confirmed (when new) and the
    session verified; else the form says why not."""
    if not (request.method == "POST" and form.is_valid()):
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        form.add_error("code", "That code is not right (or has expired). Enter the code shown now.")
        return False
    if setting_up:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def _set_up_context(device: TOTPDevice) -> dict:
    """What the set-up page shows: the QR code, the secret typed by hand, and the URI."""
    return {
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - drawn here from our own URI
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "otpauth_uri": device.config_url,
    }


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor(request):
    """Ask for a one-time code; with no confirmed authenticator, first set one up."""
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
    if not requires_two_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    device, setting_up = _device_for(user)
    form = CodeForm(request.POST or None)
    if _signed_in_with(request, form, device, setting_up):
        return redirect(_next_url(request))
    context = {
        **admin.site.each_context(request),
        "title": "Set up two-factor login" if setting_up else "Two-factor login",
        "form": form,
        "setting_up": setting_up,
        "next": _next_url(request),
        **(_set_up_context(device) if setting_up else {}),
    }
    return render(
        request, "admin/two_factor.html", context, status=200 if request.method == "GET" or form.is_valid() else 400
    )
