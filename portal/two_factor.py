"""A second factor for staff sign-in: a TOTP authenticator app (django-otp).

Optional for every staff member: whoever has set one up is asked for its code at every
sign-in. With REQUIRE_2FA=1 it is required of moderators (whoever may approve content) and
superusers: until they have set one up and used it in this session, every admin page sends
them to the set-up page.
"""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from therapies import workflow


class StaffLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin's sign-in: password, then the authenticator's code for those who set one
    up (django-otp's own admin form asks everyone for a code)."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label="Authenticator code", required=False,
        help_text="Only if you have set up two-factor authentication.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def _chosen_device(self, user):
        # A staff member has one authenticator: it is the one asked, without a choice.
        chosen = super()._chosen_device(user)
        return chosen or TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)
        return cleaned


def required_for(user) -> bool:
    """Whether `user` must use a second factor (REQUIRE_2FA, for moderators and superusers)."""
    if not settings.REQUIRE_2FA or not user.is_authenticated or not user.is_staff:
        return False
    return user.is_superuser or workflow.is_moderator(user)


class RequireSecondFactorMiddleware:
    """Sends a user who must use a second factor, and has not in this session, to the set-up
    page from every admin and editor page (after django-otp's OTPMiddleware)."""

    ALLOWED = ("/admin/2fa/", "/admin/logout/", "/admin/login/", "/admin/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        guarded = path.startswith(("/admin/", "/markdownx/")) and not path.startswith(self.ALLOWED)
        user = getattr(request, "user", None)
        if guarded and user is not None and required_for(user) and not user.is_verified():
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@staff_member_required
def two_factor(request):
    """Set up an authenticator (scan the code, enter a code to confirm), or — with one set up
    but not used in this session — enter its code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            target = request.GET.get("next", "")
            return redirect(target if target.startswith("/admin/") else reverse("admin:index"))
        form.add_error("code", "That code is not right: check the app and the clock, and "
                               "enter the code it shows now.")  # fmt: skip
    context = {
        "title": "Two-factor authentication",
        "form": form,
        "confirmed": device.confirmed,
        "required": required_for(user),
        "site_header": "Immunotherapy Atlas",
        "has_permission": True,
    }
    if not device.confirmed:
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))  # noqa: S308 — our own SVG
    return render(request, "admin/two_factor.html", context)
