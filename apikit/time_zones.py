"""Which clock each part of the site speaks.

Pages and the admin use the newsroom's zone (settings.TIME_ZONE, Django's default zone). The
JSON API keeps to UTC: its times end in "Z" whatever the newsroom's zone, and a time sent to it
without an offset means UTC. Programs then see the same documents before and after a change of
TIME_ZONE, and every time the API gives is an absolute one either way.
"""

from datetime import UTC

from django.utils import timezone

API_PREFIX = "/api/"


class ApiInUtcMiddleware:
    """Makes UTC the current time zone while a request under /api/ is answered (Django REST
    framework writes and reads times in the current zone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        with timezone.override(UTC):
            return self.get_response(request)
