from django.conf import settings
from django.utils.functional import lazy

from urlkit.absolute_urls import site_origin

_lazy_origin = lazy(site_origin, str)


def site(request):
    """Site name, and `SITE_URL`: the origin absolute URLs in templates start with (canonical
    links), SITE_URL when set, else the request's scheme and host. Worked out only when a
    template shows it, so pages without one never touch the host."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": _lazy_origin(request)}
