"""The OpenAPI document describes the API truthfully (schemathesis), and its docs page is self-contained."""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from newsroom.wsgi import application
from tests.factories import ArticleFactory, ImageFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """Calls go through the real WSGI app, whose request signals would close the database
    connection (and with it the test's transaction); Django's own test client unhooks them too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def newsroom(editor, keep_test_connection):
    """Content for generated requests to find (small ids exist), and an editor's token."""
    section = SectionFactory(slug="news")
    SectionFactory(slug="local", parent=section)
    tag = TagFactory(slug="news")
    video = ImageFactory(kind="video", poster=ImageFactory(), legacy_path="/2016/03/06/clip.mp4")
    articles = [ArticleFactory(section=section, tags=[tag], lead_media=video, legacy_id=100 + i) for i in range(3)]
    articles.append(ArticleFactory(draft=True, is_stub=True, legacy_id=200))
    for position, target in enumerate(articles[1:]):
        RelatedLinkFactory(source=articles[0], target=target, position=position)
    return {"Authorization": f"Token {Token.objects.create(user=editor).key}"}


# Fetched through the WSGI app at collection time; serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=12, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_within_its_schema(case, newsroom):
    """Editor calls (and anonymous reads): no 5xx, and every answer matches the documented schema.

    Anonymous writes only ever get 401, which the permission matrix covers; skipping them here
    keeps this run well under a minute.
    """
    checks = [not_a_server_error, response_schema_conformance]
    if case.method == "GET":
        case.call_and_validate(checks=checks)
    case.call_and_validate(headers=newsroom, checks=checks)


def test_schema_names_every_route_and_method(anon):
    document = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert document["openapi"].startswith("3.")
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("/api/v1/articles/", "get"), ("/api/v1/articles/", "post"),
        ("/api/v1/articles/{id}/", "get"), ("/api/v1/articles/{id}/", "put"),
        ("/api/v1/articles/{id}/", "patch"), ("/api/v1/articles/{id}/", "delete"),
        ("/api/v1/articles/{id}/related/", "get"),
        ("/api/v1/media/", "get"), ("/api/v1/media/", "post"),
        ("/api/v1/media/{id}/", "get"), ("/api/v1/media/{id}/", "put"),
        ("/api/v1/media/{id}/", "patch"), ("/api/v1/media/{id}/", "delete"),
        ("/api/v1/media/{id}/captions/", "put"), ("/api/v1/media/{id}/captions/", "delete"),
        ("/api/v1/sections/", "get"), ("/api/v1/sections/{id}/", "get"),
        ("/api/v1/tags/", "get"), ("/api/v1/tags/{id}/", "get"),
    }
    detail = document["components"]["schemas"]["ArticleDetail"]["properties"]
    for field in ("id", "url", "web_url", "legacy_id", "breadcrumb", "lead_media", "related", "body_html"):
        assert field in detail


def test_docs_page_loads_its_assets_from_this_site_only(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html) + re.findall(r"https?://[^\s\"'<>)]+", html)
    assert urls, "the docs page references no assets at all"
    external = [u for u in urls if re.match(r"^(https?:)?//", u) and not u.startswith("http://testserver/")]
    assert external == []
    for asset in (u for u in urls if u.startswith("/static/")):
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among the static files"
