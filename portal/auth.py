"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout, for sign-ins over HTTP. Authentication without a request (a
    script's, or the test client's `login`) is no sign-in attempt: it passes on to the next
    backend instead of failing, as axes' own backend does."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
