"""`media_tags.html_format` is the site's one escaping helper for hot template tags: it must
escape exactly as Django's format_html does, whatever it is given."""

import pytest
from django.utils.functional import lazystr
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from media.templatetags.media_tags import html_format, picture
from tests.factories import ImageFactory

HOSTILE = [
    '"><script>alert(1)</script>',
    "Tom & Jerry's <b>",
    mark_safe("<em>already safe</em>"),
    lazystr("lazy <text> & 'quotes'"),
    640,
    0.5,
    None,
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_format_escapes_as_django_format_html(value):
    template = "<img alt=\"{}\" title='{}'>{}"
    assert html_format(template, value, value, value) == format_html(template, value, value, value)
    assert isinstance(html_format(template, value, value, value), SafeString)


@pytest.mark.django_db
def test_picture_escapes_every_value_it_is_given():
    item = ImageFactory(alt_text='A "quoted" <alt> & more', width=640, height=480)
    html = picture(item, sizes='100vw"><x', css_class='a" onload="b', loading="lazy")
    assert 'alt="A &quot;quoted&quot; &lt;alt&gt; &amp; more"' in html
    assert 'sizes="100vw&quot;&gt;&lt;x"' in html and 'class="a&quot; onload=&quot;b"' in html
    assert "<x" not in html and 'onload="' not in html
