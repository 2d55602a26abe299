"""404 and 500 pages in the site's design; the 500 page never touches the database."""

import pytest
from django.test import RequestFactory

from articles.site.errors import server_error
from tests.factories import ArticleFactory, SectionFactory


@pytest.mark.django_db
def test_404_page_is_in_the_site_design(client):
    ArticleFactory(section=SectionFactory(name="Lebanon", slug="lebanon"))  # listed once it has a story
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="page-title">Page not found</h1>' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<a href="/section/lebanon/">Lebanon</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_500_page_renders_without_the_database():
    """No django_db mark: pytest-django makes any database access in this test an error."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "<title>Something went wrong – Newsroom</title>" in html


@pytest.mark.django_db
def test_an_exception_in_a_view_answers_the_designed_500(client, monkeypatch):
    from articles.site import listings

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(listings, "nav_sections", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


MANIFEST_WITHOUT_FILE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_the_500_page_renders_when_the_static_manifest_is_missing(client, settings, tmp_path, monkeypatch):
    """collectstatic not run: {% static %} raises for every file, yet a failing view still gets
    the designed 500 page, its stylesheet linked by the plain static path."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.templatetags.static import static

    from articles.site import listings

    settings.STORAGES = MANIFEST_WITHOUT_FILE
    settings.STATIC_ROOT = tmp_path / "no-collectstatic"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static("css/site.css")  # the failure the 500 page must survive
    assert type(staticfiles_storage._wrapped).__name__ == "ManifestStaticFilesStorage"

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(listings, "nav_sections", broken)
    client.raise_request_exception = False
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "<title>Something went wrong – Newsroom</title>" in html


def test_a_500_template_that_cannot_render_still_answers_a_plain_500_page(monkeypatch):
    from django.template import loader

    from articles.site import errors

    def unrenderable(name, *args, **kwargs):
        raise RuntimeError(f"cannot load {name}")

    monkeypatch.setattr(loader, "get_template", unrenderable)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
