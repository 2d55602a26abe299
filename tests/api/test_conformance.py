"""What schemathesis found, one class of failure per test: every answer under /api/ is JSON, ids
beyond 64 bits are 404s or 400s naming the field, empty parameters mean their defaults,
`If-Match: *` matches, and the schema tells the truth about anonymous reads, slugs and files."""

import re

import pytest
from rest_framework.test import APIClient

from articles.api.views import ArticleViewSet
from articles.models import Article
from tests.api.conftest import STAFF_ONLY_READS
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest signed 64-bit integer
ARABIC_SLUG = "فرق-الهندسة-تعيد-فتح-الجسر"


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert response.json()["detail"]
    return response.json()


@pytest.fixture
def schema(anon):
    return anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


# --- Every answer under /api/ is JSON ------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/articles/0.5/", "/api/v1/articles/1/x/", "/api/v1/nothing/", "/api/", "/api/v2/"]
)
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_urls_under_api_answer_json_404(anon, settings, path, debug):
    settings.DEBUG = debug  # with DEBUG on, Django would otherwise draw its HTML debug page
    body = assert_json_error(anon.get(path), 404)
    assert "No API endpoint at this URL" in body["detail"] and "/api/schema/" in body["detail"]
    assert_json_error(anon.post(path, {}, format="json"), 404)


@pytest.mark.parametrize("path", ["/api/v1/media/abc/", "/api/v1/tags/-1/", "/api/v1/sections/1e3/"])
def test_ids_that_are_not_whole_numbers_are_json_404(anon, path):
    assert_json_error(anon.get(path), 404)


def test_a_missing_final_slash_still_redirects_to_the_endpoint(anon):
    response = anon.get("/api/v1/articles?page_size=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/articles/?page_size=2"
    assert response.json()["detail"].endswith("/api/v1/articles/?page_size=2")


def test_unsupported_method_is_json_405(editor_client):
    body = assert_json_error(editor_client.delete("/api/v1/articles/"), 405)
    assert "DELETE" in body["detail"]


def test_an_unexpected_crash_under_api_is_json_500_and_html_elsewhere(monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ArticleViewSet, "list", crash)
    client = APIClient(raise_request_exception=False)
    body = assert_json_error(client.get("/api/v1/articles/"), 500)
    assert "boom" not in body["detail"]
    site = client.get("/no-such-page/")
    assert site.status_code == 404 and site["Content-Type"].startswith("text/html")


def test_the_schema_is_json_unless_yaml_is_asked_for(anon):
    response = anon.get("/api/schema/")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    assert response.json()["openapi"].startswith("3.")
    yaml = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi: 3.")


# --- Ids beyond 64 bits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/articles/{TOO_BIG}/",
        f"/api/v1/articles/{TOO_BIG}/related/",
        f"/api/v1/articles/{TOO_BIG}/ninjs/",
        f"/api/v1/media/{TOO_BIG}/",
        f"/api/v1/sections/{TOO_BIG}/",
        f"/api/v1/tags/{TOO_BIG}/",
        f"/api/v1/articles/{10**40}/",
    ],
)
def test_huge_ids_in_api_paths_are_json_404(anon, editor_client, path):
    assert_json_error(anon.get(path), 404)
    assert_json_error(editor_client.get(path), 404)


def test_huge_ids_in_api_writes_are_404(editor_client):
    for method in ("put", "patch", "delete"):
        response = getattr(editor_client, method)(f"/api/v1/articles/{TOO_BIG}/", {}, format="json", HTTP_IF_MATCH="*")
        assert_json_error(response, 404)
    assert_json_error(editor_client.patch(f"/api/v1/media/{TOO_BIG}/", {"title": "X"}, format="json"), 404)
    assert_json_error(editor_client.delete(f"/api/v1/media/{TOO_BIG}/captions/"), 404)


def test_huge_related_ids_are_a_400_naming_the_field(editor_client):
    SectionFactory(slug="news")
    target = ArticleFactory()
    response = editor_client.post(
        "/api/v1/articles/",
        {"title": "Bridge reopens", "section": "news", "related_ids": [target.pk, TOO_BIG]},
        format="json",
    )
    body = assert_json_error(response, 400)
    assert "related_ids" in body and "related_ids" in body["detail"]
    assert "9223372036854775807" in body["detail"]
    assert not Article.objects.filter(title="Bridge reopens").exists()

    article = ArticleFactory()
    patch = editor_client.patch(
        f"/api/v1/articles/{article.pk}/", {"related_ids": [TOO_BIG]}, format="json", HTTP_IF_MATCH="*"
    )
    assert "related_ids" in assert_json_error(patch, 400)
    assert not article.related_links.exists()


@pytest.mark.parametrize("field", ["legacy_id", "legacy_sort", "lead_media"])
def test_other_huge_numbers_in_a_write_are_400s_naming_the_field(editor_client, field):
    SectionFactory(slug="news")
    response = editor_client.post("/api/v1/articles/", {"title": "X", "section": "news", field: TOO_BIG}, format="json")
    body = assert_json_error(response, 400)
    assert field in body and field in body["detail"]


def test_a_huge_legacy_id_filter_is_a_400_naming_it(anon):
    body = assert_json_error(anon.get("/api/v1/articles/", {"legacy_id": TOO_BIG}), 400)
    assert "legacy_id" in body


# --- Empty parameters mean their defaults --------------------------------------------------------


def test_empty_parameters_mean_their_defaults(anon):
    for i in range(3):
        ArticleFactory(title=f"Story {i}")
    plain = anon.get("/api/v1/articles/").json()
    for query in ("cursor=", "page_size=", "cursor=&page_size=", "tag=&section=&kind=&legacy_id=&q=&status="):
        response = anon.get(f"/api/v1/articles/?{query}")
        assert response.status_code == 200, (query, response.content)
        assert response.json()["results"] == plain["results"], query
    for path in ("/api/v1/sections/?cursor=", "/api/v1/tags/?cursor=", "/api/v1/media/?cursor=&kind="):
        assert anon.get(path).status_code == 200, path


def test_empty_format_on_the_related_list_means_our_shape(anon):
    source = ArticleFactory()
    RelatedLinkFactory(source=source, target=ArticleFactory(title="Crossing reopens"))
    default = anon.get(f"/api/v1/articles/{source.pk}/related/")
    empty = anon.get(f"/api/v1/articles/{source.pk}/related/?format=")
    assert empty.status_code == 200 and empty.json() == default.json()
    assert empty.json()[0]["title"] == "Crossing reopens"
    assert "format" in assert_json_error(anon.get(f"/api/v1/articles/{source.pk}/related/?format=xml"), 400)


def test_an_altered_cursor_is_still_refused(anon):
    assert "cursor" in assert_json_error(anon.get("/api/v1/articles/?cursor=not-a-cursor"), 400)


def test_schema_says_empty_query_values_are_allowed(schema):
    parameters = schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
    for name in ("cursor", "page_size", "tag", "section", "legacy_id", "status"):
        (parameter,) = [p for p in parameters if p["name"] == name]
        assert parameter.get("allowEmptyValue") is True, name


# --- If-Match: * ---------------------------------------------------------------------------------


def test_if_match_star_matches_the_current_version(editor_client):
    article = ArticleFactory(title="Bank cuts rates")
    url = f"/api/v1/articles/{article.pk}/"
    editor_client.patch(url, {"summary": "First."}, format="json", HTTP_IF_MATCH=editor_client.get(url)["ETag"])

    response = editor_client.patch(url, {"title": "Bank cuts rates again"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Bank cuts rates again"
    assert response["ETag"].startswith(f'"a{article.pk}v3-')

    put = editor_client.put(url, {"title": "Rates", "section": article.section.path}, format="json", HTTP_IF_MATCH="*")
    assert put.status_code == 200 and put.json()["title"] == "Rates"
    assert editor_client.delete(url, HTTP_IF_MATCH="*").status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()


def test_if_match_is_still_required(editor_client):
    article = ArticleFactory()
    body = assert_json_error(editor_client.patch(f"/api/v1/articles/{article.pk}/", {"title": "X"}, format="json"), 428)
    assert "If-Match" in body["detail"]


def test_schema_documents_the_star(schema):
    (if_match,) = [
        p for p in schema["paths"]["/api/v1/articles/{id}/"]["patch"]["parameters"] if p["name"] == "If-Match"
    ]
    assert "`*`" in if_match["description"]


# --- The schema tells the truth ------------------------------------------------------------------


def test_schema_allows_anonymous_reads_and_requires_auth_for_writes(schema, anon):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method == "get" and path not in STAFF_ONLY_READS:
                assert {} in operation["security"], (method, path)
            else:
                assert {} not in operation["security"], (method, path)
    assert anon.get("/api/v1/articles/").status_code == 200
    story = ArticleFactory()
    for path in ("/api/v1/articles/{id}/draft/", "/api/v1/articles/{id}/revisions/"):
        assert anon.get(path.replace("{id}", str(story.pk))).status_code == 401, path
    assert anon.post("/api/v1/articles/", {}, format="json").status_code == 401


def test_real_slugs_match_the_schema_pattern(schema, anon):
    """JSON Schema regexes are ECMA-262, whose \\w is ASCII only: the pattern must not rely on it."""
    section = SectionFactory(name="العراق", slug="العراق")
    tag = TagFactory(name="الموصل", slug="الموصل")
    ArticleFactory(title="فرق الهندسة تعيد فتح الجسر", slug=ARABIC_SLUG, section=section, tags=[tag])
    ArticleFactory(slug="army-engineers_rebuild-2")
    components = schema["components"]["schemas"]
    patterns = {
        name: components[name]["properties"]["slug"]["pattern"]
        for name in ("Article", "ArticleDetail", "SectionNode", "TagList", "Tag")
    }
    slugs = [a["slug"] for a in anon.get("/api/v1/articles/").json()["results"]] + [section.slug, tag.slug]
    assert ARABIC_SLUG in slugs
    for name, pattern in patterns.items():
        assert r"\w" not in pattern, name
        for slug in slugs:
            assert re.search(pattern, slug), (name, slug)
        for not_a_slug in ("two words", "a/b", "a.b", "slug?", ""):
            assert not re.search(pattern, not_a_slug), (name, not_a_slug)


def test_schema_bounds_path_ids_and_describes_uploads_as_files(schema):
    (article_id,) = [p for p in schema["paths"]["/api/v1/articles/{id}/"]["get"]["parameters"] if p["name"] == "id"]
    assert article_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    upload = schema["components"]["schemas"]["MediaUpload"]["properties"]["file"]
    assert upload["format"] == "binary"
    assert schema["components"]["schemas"]["ArticleWrite"]["properties"]["related_ids"]["items"]["maximum"] == 2**63 - 1
