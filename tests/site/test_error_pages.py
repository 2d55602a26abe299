"""404 and 500 pages in the site's design; the 500 page never touches the database."""

import pytest
from django.test import RequestFactory

from articles.views import server_error
from tests.factories import SectionFactory


@pytest.mark.django_db
def test_404_page_is_in_the_site_design(client):
    SectionFactory(name="Lebanon", slug="lebanon")
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1 class=\"page-title\">Page not found</h1>" in html
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
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "nav_sections", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
