"""The meta description: the summary, else the start of the body as plain text, 160 characters."""

import pytest
from django.utils.text import Truncator

from articles.search import plain_text
from articles.site import seo
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LONG_BODY = "".join(
    f'<p>Paragraph {n} tells of the <a href="/x/{n}">ferry &amp; the pier</a> at Basra; crews worked late.</p>'
    for n in range(200)
)


@pytest.mark.parametrize(
    "body",
    [
        LONG_BODY,
        "<p>" + "word " * 400 + "</p>",  # one long paragraph: no tag to cut after in the start
        "<p>Short body.</p>",
        '<p><a href="/a">' + "x" * 1500 + "</a></p>",
        "",
    ],
)
def test_description_is_the_start_of_the_bodys_text_when_there_is_no_summary(body):
    article = ArticleFactory.build(summary="", body=body)
    assert seo.description(article) == Truncator(plain_text(body)).chars(seo.DESCRIPTION_LENGTH)


def test_description_prefers_the_summary():
    article = ArticleFactory.build(summary="  Crews   reopened the pier. ", body=LONG_BODY)
    assert seo.description(article) == "Crews reopened the pier."


def test_description_has_no_markup_or_entities():
    text = seo.description(ArticleFactory.build(summary="", body=LONG_BODY))
    assert "<" not in text and "&amp;" not in text and "ferry & the pier" in text
    assert len(text) <= seo.DESCRIPTION_LENGTH
