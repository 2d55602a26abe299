"""The header's section navigation: every top-level section with a live story, the current one
marked, always fresh (sections without a live story: tests/site/test_hostile_input.py)."""

import re

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def nav(html: str) -> str:
    return re.search(r'<nav class="sections-nav".*?</nav>', html, re.S).group(0)


def test_every_top_level_section_is_linked_and_the_current_one_marked(client, tree):
    ArticleFactory(section=tree["mosul"])
    ArticleFactory(section=tree["syria"])
    home = nav(client.get("/").content.decode())
    assert '<a href="/section/iraq/">Iraq</a>' in home and '<a href="/section/syria/">Syria</a>' in home
    assert "Conflict" not in home and "aria-current" not in home
    top = nav(client.get("/section/iraq/").content.decode())
    assert '<a href="/section/iraq/" aria-current="page">Iraq</a>' in top
    inner = nav(client.get("/section/iraq/conflict/mosul/").content.decode())
    assert '<a href="/section/iraq/" aria-current="true">Iraq</a>' in inner
    assert '<a href="/section/syria/">Syria</a>' in inner


def test_a_renamed_or_new_section_shows_in_the_navigation_at_once(client, tree, django_capture_on_commit_callbacks):
    from articles import actions
    from articles.models import Section

    article = ArticleFactory(section=tree["mosul"])
    ArticleFactory(section=tree["syria"])
    assert "Syria" in nav(client.get(article.get_absolute_url()).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        tree["syria"].name = "Levant"
        actions.save_section(actor=None, section=tree["syria"])
        yemen = ArticleFactory.build(section=actions.save_section(actor=None, section=Section(name="Yemen")))
        actions.save_article(actor=None, article=yemen)
    html = nav(client.get(article.get_absolute_url()).content.decode())
    assert ">Levant</a>" in html and ">Yemen</a>" in html and ">Syria<" not in html
