"""QuickReverse gives exactly what reverse() gives, and fails where it fails."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from urlkit.reversing import QuickReverse

ARTICLE = QuickReverse("article", {"pk": 918273645, "slug": "zqxslugzqx"})
SECTION = QuickReverse("section", {"path": "zqxpathzqx"}, path_args=("path",))


@pytest.mark.parametrize("slug", ["plain-title", "بغداد-تستعد", "100%-sure", "a&b=c;d", "space here", "x~y:z@w", "ü"])
def test_article_urls_equal_reverse(slug):
    assert ARTICLE(pk=42, slug=slug) == reverse("article", kwargs={"pk": 42, "slug": slug})


@pytest.mark.parametrize("path", ["iraq", "iraq/conflict/mosul", "عراق/موصل"])
def test_section_urls_keep_their_slashes_like_reverse(path):
    assert SECTION(path=path) == reverse("section", kwargs={"path": path})


@pytest.mark.parametrize("kwargs", [{"pk": 1, "slug": ""}, {"pk": 1, "slug": "a/b"}, {"pk": "x", "slug": "s"}])
def test_values_reverse_refuses_are_refused(kwargs):
    with pytest.raises(NoReverseMatch):
        ARTICLE(**kwargs)


def test_a_script_prefix_is_followed():
    try:
        set_script_prefix("/newsroom/")
        assert ARTICLE(pk=7, slug="s") == "/newsroom/news/7/s/" == reverse("article", kwargs={"pk": 7, "slug": "s"})
    finally:
        set_script_prefix("/")
    assert ARTICLE(pk=7, slug="s") == "/news/7/s/"
