"""The site's error pages: 400 (a broken page link or search page), 404 and 500."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from articles.site.navigation import nav_sections

logger = logging.getLogger(__name__)


def bad_request(request, message: str) -> HttpResponse:
    """A 400 page in the site's design saying what was wrong with the request."""
    return render(request, "400.html", {"message": message, "nav_sections": nav_sections()}, status=400)


def page_not_found(request, exception=None):
    try:
        sections = nav_sections()
    except DatabaseError:
        sections = []
    return render(request, "404.html", {"nav_sections": sections}, status=404)


# Served when even the 500 template cannot be rendered (a template or storage fault).
FALLBACK_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title>'
    '<meta name="robots" content="noindex"></head><body><h1>Something went wrong on our side</h1>'
    "<p>The page could not be shown just now. Please try again in a minute.</p>"
    '<p><a href="/">Go to the front page</a></p></body></html>'
)


def server_error(request):
    """The 500 page: a static template rendered without request context, so no database.
    Should that template fail too, a plain page says the same rather than no page at all."""
    try:
        html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    except Exception:  # noqa: BLE001 - the error page must answer whatever went wrong
        logger.exception("The 500 page could not be rendered; serving the plain fallback")
        html = FALLBACK_500
    return HttpResponse(html, status=500)
