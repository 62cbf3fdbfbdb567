"""Sign-in lockout in front of Django's password check (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """axes' standalone backend: refuses a locked-out username and address
    before any password is checked (first in AUTHENTICATION_BACKENDS).

    Every sign-in over HTTP passes its request (the sign-in page, the admin,
    POST /api/auth/token/). A call without one (Django's test client login(),
    a shell) has no address to count failures against; axes would raise an
    error there, this backend steps aside and lets the next one decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
