"""The OpenAPI document describes the API truthfully (schemathesis), and its docs page is self-contained.

Schemathesis generates requests for every operation of /api/schema/ and sends each one twice,
anonymously and with an editor's token, checking every answer for conformance: no 5xx, a
documented status, a documented content type and headers, and a body matching the documented
schema. A second test sends one well-formed request per operation at objects that exist (so the
200/201/204 bodies of writes and details are checked too, which random ids rarely reach).
The number of generated examples per operation and caller is printed after the run
(tests/api/conftest.py).
"""

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from articles import actions
from newsroom.wsgi import application
from tests.api.conftest import EXAMPLES_SENT, STAFF_ONLY_READS, timed
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    RelatedLinkFactory,
    SectionFactory,
    TagFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

# Every schemathesis check about the API matching its own document.
CONFORMANCE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Generated examples per operation (the fuzzing phase; the coverage phase adds its boundary cases).
MAX_EXAMPLES = 20
ARABIC_TITLE = "فرق الهندسة تعيد فتح الجسر القديم"
ARABIC_SLUG = "فرق-الهندسة-تعيد-فتح-الجسر-القديم"
CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:01.500\nEngineers at the bridge\n"


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
    """Content for generated requests to find (Latin and Arabic slugs, a video with a poster,
    related lists, a stub), and the editor's Authorization header."""
    section = SectionFactory(slug="news")
    SectionFactory(slug="local", parent=section)
    arabic_section = SectionFactory(name="العراق", slug="العراق")
    tag = TagFactory(slug="news")
    arabic_tag = TagFactory(name="الموصل", slug="الموصل")
    video = ImageFactory(kind="video", poster=ImageFactory(), legacy_path="/2016/03/06/clip.mp4")
    articles = [ArticleFactory(section=section, tags=[tag], lead_media=video, legacy_id=100 + i) for i in range(3)]
    articles.append(
        ArticleFactory(title=ARABIC_TITLE, slug=ARABIC_SLUG, language="ar", section=arabic_section, tags=[arabic_tag])
    )
    articles.append(ArticleFactory(draft=True, is_stub=True, legacy_id=200))
    for position, target in enumerate(articles[1:]):
        RelatedLinkFactory(source=articles[0], target=target, position=position)
    author = AuthorFactory(name="سارة حميدي", slug="سارة-حميدي", photo=ImageFactory())
    BylineFactory(article=articles[0], author=author)
    return {
        "headers": {"Authorization": f"Token {Token.objects.create(user=editor).key}"},
        "articles": articles,
        "section": section,
        "arabic_section": arabic_section,
        "arabic_tag": arabic_tag,
        "video": video,
        "author": author,
    }


# Fetched through the WSGI app at collection time; serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_within_its_schema(case, newsroom):
    """Each generated request, sent anonymously and then with the editor's token, gets an
    answer that conforms to the document (status, content type, headers, body)."""
    for caller, headers in (("anonymous", {}), ("editor", newsroom["headers"])):
        EXAMPLES_SENT[case.operation.label, caller] += 1
        with timed(case.operation.label):
            case.call_and_validate(headers=headers, checks=CONFORMANCE_CHECKS)


def well_formed_requests(newsroom, editor_headers, editor):
    """One request per operation aimed at objects that exist: {(path, method): Case kwargs}."""
    first, arabic = newsroom["articles"][0], newsroom["articles"][3]
    spare_article = ArticleFactory(section=newsroom["section"])
    spare_image = ImageFactory()
    video = newsroom["video"]
    # Through the WSGI app like the rest: Django's test client would hook up close_old_connections again.
    read = schema["/api/v1/articles/{id}/"]["GET"].Case(path_parameters={"id": first.pk}).call(headers=editor_headers)
    etag = read.headers["etag"][0]
    return {
        ("/api/v1/articles/", "GET"): {"query": {"tag": "news", "page_size": 2}},
        ("/api/v1/articles/", "POST"): {"body": {"title": ARABIC_TITLE + " مرة أخرى", "section": "news"}},
        ("/api/v1/articles/{id}/", "GET"): {"path_parameters": {"id": arabic.pk}},
        ("/api/v1/articles/{id}/", "PUT"): {
            "path_parameters": {"id": arabic.pk},
            "headers": {"If-Match": "*"},
            "body": {"title": ARABIC_TITLE, "section": newsroom["arabic_section"].path, "tags": ["الموصل"]},
        },
        ("/api/v1/articles/{id}/", "PATCH"): {
            "path_parameters": {"id": first.pk},
            "headers": {"If-Match": etag},
            "body": {"summary": "Updated."},
        },
        ("/api/v1/articles/{id}/", "DELETE"): {
            "path_parameters": {"id": spare_article.pk},
            "headers": {"If-Match": "*"},
        },
        ("/api/v1/articles/{id}/related/", "GET"): {"path_parameters": {"id": first.pk}, "query": {"format": "legacy"}},
        ("/api/v1/articles/{id}/ninjs/", "GET"): {"path_parameters": {"id": arabic.pk}},
        ("/api/v1/articles/{id}/corrections/", "GET"): {"path_parameters": {"id": first.pk}},
        ("/api/v1/articles/{id}/corrections/", "POST"): {
            "path_parameters": {"id": first.pk},
            "body": {"kind": "clarification", "text": "The council, not the mayor, decided."},
        },
        ("/api/v1/media/", "GET"): {"query": {"kind": "video"}},
        ("/api/v1/media/", "POST"): {
            "body": {"file": jpeg_bytes(), "title": "Bridge"},
            "media_type": "multipart/form-data",
        },
        ("/api/v1/media/{id}/", "GET"): {"path_parameters": {"id": video.pk}},
        ("/api/v1/media/{id}/", "PUT"): {"path_parameters": {"id": video.pk}, "body": {"title": "Bridge at dusk"}},
        ("/api/v1/media/{id}/", "PATCH"): {"path_parameters": {"id": video.pk}, "body": {"focal_x": 0.25}},
        ("/api/v1/media/{id}/", "DELETE"): {"path_parameters": {"id": spare_image.pk}},
        ("/api/v1/media/{id}/captions/", "PUT"): {
            "path_parameters": {"id": video.pk},
            "body": {"file": CAPTIONS, "language": "en"},
            "media_type": "multipart/form-data",
        },
        ("/api/v1/media/{id}/captions/", "DELETE"): {"path_parameters": {"id": video.pk}},
        ("/api/v1/sections/", "GET"): {"query": {"page_size": 1}},
        ("/api/v1/sections/{id}/", "GET"): {"path_parameters": {"id": newsroom["arabic_section"].pk}},
        ("/api/v1/tags/", "GET"): {"query": {"cursor": ""}},
        ("/api/v1/tags/{id}/", "GET"): {"path_parameters": {"id": newsroom["arabic_tag"].pk}},
        ("/api/v1/authors/", "GET"): {"query": {"page_size": 1}},
        ("/api/v1/authors/{id}/", "GET"): {"path_parameters": {"id": newsroom["author"].pk}},
        **together_requests(first),
        **draft_requests(newsroom["articles"][1], newsroom["articles"][2]),
        **webhook_requests(editor),
    }


def webhook_requests(editor):
    """The webhook endpoints (staff with the webhooks permissions, which the editor is given
    here; the caller allows receivers on this machine, WEBHOOK_ALLOW_PRIVATE_HOSTS)."""
    from django.contrib.auth.models import Permission

    from webhooks import actions as hooks

    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="webhooks"))
    kept, spare = (
        hooks.create_endpoint(actor=None, url=f"http://127.0.0.1:835{n}/in", events=["article.published"])
        for n in (4, 5)
    )
    body = {"url": "http://127.0.0.1:8356/in", "events": ["article.published", "media.updated"]}
    return {
        ("/api/v1/webhooks/", "GET"): {},
        ("/api/v1/webhooks/", "POST"): {"body": body},
        ("/api/v1/webhooks/{id}/", "GET"): {"path_parameters": {"id": kept.pk}},
        ("/api/v1/webhooks/{id}/", "PUT"): {"path_parameters": {"id": kept.pk}, "body": body},
        ("/api/v1/webhooks/{id}/", "PATCH"): {"path_parameters": {"id": kept.pk}, "body": {"active": False}},
        ("/api/v1/webhooks/{id}/", "DELETE"): {"path_parameters": {"id": spare.pk}},
    }


def draft_requests(drafted, discarded):
    """A story's working draft (read, saved, scheduled, unscheduled; another one discarded) and
    revisions. Both stories get a draft first; every write names any version (`If-Match: *`)."""
    for article in (drafted, discarded):
        actions.save_draft(actor=None, article=article, changes={"summary": "Draft."}, any_version=True)
    later = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    story = {"path_parameters": {"id": drafted.pk}, "headers": {"If-Match": "*"}}
    return {
        ("/api/v1/articles/{id}/revisions/", "GET"): {"path_parameters": {"id": drafted.pk}},
        ("/api/v1/articles/{id}/draft/", "GET"): {"path_parameters": {"id": drafted.pk}},
        ("/api/v1/articles/{id}/draft/", "PUT"): {**story, "body": {"title": "Draft headline", "section": "news"}},
        ("/api/v1/articles/{id}/draft/", "PATCH"): {**story, "body": {"summary": "Draft summary."}},
        ("/api/v1/articles/{id}/draft/", "DELETE"): {**story, "path_parameters": {"id": discarded.pk}},
        ("/api/v1/articles/{id}/draft/publish/", "POST"): {**story, "body": {"at": later}},
        ("/api/v1/articles/{id}/draft/publish/", "DELETE"): story,
    }


# The desk's own endpoints: anonymous callers are asked to sign in (401, whatever the id), as for
# the staff-only reads; signed-in outsiders get a 404 (tests/presence, tests/notes, tests/autosave).
DESK_ONLY_PREFIXES = (
    "/api/v1/articles/{id}/presence/",
    "/api/v1/articles/{id}/notes/",
    "/api/v1/articles/{id}/autosave/",
)


def together_requests(article):
    """Presence, notes and autosave of `article` (autosave written before it is read)."""
    story = {"path_parameters": {"id": article.pk}}
    return {
        ("/api/v1/articles/{id}/presence/", "GET"): story,
        ("/api/v1/articles/{id}/presence/", "POST"): {**story, "body": {"opening": True}},
        ("/api/v1/articles/{id}/presence/take-over/", "POST"): story,
        ("/api/v1/articles/{id}/presence/", "DELETE"): story,
        ("/api/v1/articles/{id}/notes/", "POST"): {
            **story,
            "body": {"body": "Check the date, @editor.", "parent": None},
        },
        ("/api/v1/articles/{id}/notes/", "GET"): story,
        ("/api/v1/articles/{id}/autosave/", "PUT"): {**story, "body": {"data": {"title": "Bridge"}, "base_version": 1}},
        ("/api/v1/articles/{id}/autosave/", "GET"): story,
        ("/api/v1/articles/{id}/autosave/", "DELETE"): story,
    }


def test_well_formed_requests_succeed_within_the_schema(newsroom, editor, settings):
    """Every operation, sent once with good data at existing objects, answers 2xx in both
    callers' cases where it may (anonymous writes get 401), conforming to the document."""
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the webhook endpoints' URLs are on this machine
    editor_headers = newsroom["headers"]
    requests = well_formed_requests(newsroom, editor_headers, editor)
    operations = {(op.path, op.method.upper()) for op in (result.ok() for result in schema.get_all_operations())}
    assert set(requests) == operations, "a new operation needs a well-formed request here"
    for (path, method), kwargs in requests.items():
        operation = schema[path][method]
        if "body" in kwargs:
            kwargs.setdefault("media_type", "application/json")
        anonymous = operation.Case(**kwargs).call_and_validate(checks=CONFORMANCE_CHECKS)
        desk_only = path.startswith(DESK_ONLY_PREFIXES)
        public_read = method == "GET" and path not in STAFF_ONLY_READS and not desk_only
        expected = 200 if public_read else 401
        assert anonymous.status_code == expected, (method, path, anonymous.text[:200])
        response = operation.Case(**kwargs).call_and_validate(headers=editor_headers, checks=CONFORMANCE_CHECKS)
        assert response.status_code in (200, 201, 202, 204), (method, path, response.status_code, response.text[:300])


def test_schema_names_every_route_and_method(anon):
    document = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert document["openapi"].startswith("3.")
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("/api/v1/articles/", "get"),
        ("/api/v1/articles/", "post"),
        ("/api/v1/articles/{id}/", "get"),
        ("/api/v1/articles/{id}/", "put"),
        ("/api/v1/articles/{id}/", "patch"),
        ("/api/v1/articles/{id}/", "delete"),
        ("/api/v1/articles/{id}/related/", "get"),
        ("/api/v1/articles/{id}/ninjs/", "get"),
        ("/api/v1/articles/{id}/corrections/", "get"),
        ("/api/v1/articles/{id}/corrections/", "post"),
        ("/api/v1/media/", "get"),
        ("/api/v1/media/", "post"),
        ("/api/v1/media/{id}/", "get"),
        ("/api/v1/media/{id}/", "put"),
        ("/api/v1/media/{id}/", "patch"),
        ("/api/v1/media/{id}/", "delete"),
        ("/api/v1/media/{id}/captions/", "put"),
        ("/api/v1/media/{id}/captions/", "delete"),
        ("/api/v1/sections/", "get"),
        ("/api/v1/sections/{id}/", "get"),
        ("/api/v1/tags/", "get"),
        ("/api/v1/tags/{id}/", "get"),
        ("/api/v1/authors/", "get"),
        ("/api/v1/authors/{id}/", "get"),
        ("/api/v1/articles/{id}/presence/", "get"),
        ("/api/v1/articles/{id}/presence/", "post"),
        ("/api/v1/articles/{id}/presence/", "delete"),
        ("/api/v1/articles/{id}/presence/take-over/", "post"),
        ("/api/v1/articles/{id}/notes/", "get"),
        ("/api/v1/articles/{id}/notes/", "post"),
        ("/api/v1/articles/{id}/autosave/", "get"),
        ("/api/v1/articles/{id}/autosave/", "put"),
        ("/api/v1/articles/{id}/autosave/", "delete"),
        ("/api/v1/articles/{id}/revisions/", "get"),
        ("/api/v1/articles/{id}/draft/", "get"),
        ("/api/v1/articles/{id}/draft/", "put"),
        ("/api/v1/articles/{id}/draft/", "patch"),
        ("/api/v1/articles/{id}/draft/", "delete"),
        ("/api/v1/articles/{id}/draft/publish/", "post"),
        ("/api/v1/articles/{id}/draft/publish/", "delete"),
        ("/api/v1/webhooks/", "get"),
        ("/api/v1/webhooks/", "post"),
        ("/api/v1/webhooks/{id}/", "get"),
        ("/api/v1/webhooks/{id}/", "put"),
        ("/api/v1/webhooks/{id}/", "patch"),
        ("/api/v1/webhooks/{id}/", "delete"),
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
