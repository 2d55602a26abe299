"""Template tags of the public site whose output must not depend on what was drawn before."""

from datetime import UTC, datetime

from django.utils import timezone

from articles.models import Article
from articles.templatetags.news_tags import dateline


def test_dateline_follows_the_time_zone_for_the_same_instant(settings):
    settings.DATELINE_FORMAT = "D M d, Y H:i:s"
    story = Article(published_at=datetime(2016, 3, 24, 14, 18, 9, 500, tzinfo=UTC))
    with timezone.override("UTC"):
        utc = dateline(story)
    with timezone.override("Asia/Tehran"):
        tehran = dateline(story)
    with timezone.override("UTC"):
        again = dateline(story)
    assert utc == '<time datetime="2016-03-24T14:18:09+00:00">Thu Mar 24, 2016 14:18:09 UTC</time>'
    assert tehran == '<time datetime="2016-03-24T18:48:09+04:30">Thu Mar 24, 2016 18:48:09 UTC+4:30</time>'
    assert again == utc


def test_dateline_follows_the_format_setting(settings):
    story = Article(published_at=datetime(2016, 3, 24, 14, 18, 9, tzinfo=UTC))
    with timezone.override("UTC"):
        settings.DATELINE_FORMAT = "Y-m-d"
        short = dateline(story)
        settings.DATELINE_FORMAT = "D M d, Y H:i:s"
        long = dateline(story)
    assert ">2016-03-24</time>" in short and ">Thu Mar 24, 2016 14:18:09 UTC</time>" in long


def test_no_dateline_without_a_publication_time():
    assert dateline(Article(published_at=None)) == ""
