"""Inline media in the body: `<figure data-media-id="ID">` with an optional `<figcaption>`.

The sanitizer keeps exactly that (digits-only ids, only the first caption, nothing else inside)
and stays idempotent; the validator refuses what the sanitizer would drop, with a message that
says what is wrong. The older `<img data-media-id>` form is kept as stored."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.sanitize import clean_html
from articles.validators import validate_body_html


def refused(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_body_html(value)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "body",
    [
        '<figure data-media-id="12"></figure>',
        '<figure data-media-id="12"><figcaption>The quay at dawn</figcaption></figure>',
        '<figure data-media-id="12"><figcaption>Ships <em>queue</em> &amp; <a href="https://example.org/" '
        'rel="noopener noreferrer">wait</a></figcaption></figure>',
        '<h2>Port</h2><figure data-media-id="3"></figure><p>Text.</p><figure data-media-id="4"></figure>',
        '<ul><li><p>one</p><figure data-media-id="5"></figure></li></ul>',
        '<blockquote><figure data-media-id="6"><figcaption>Quote</figcaption></figure></blockquote>',
        # The older form, from the importer and the demo: kept as stored.
        '<p>Before.</p><img data-media-id="7" alt="The quay" src="/x.jpg"><p>After.</p>',
        # A figure without a media id (legacy markup) keeps what the allowlist allows.
        '<figure><img src="/a.jpg" alt="A"><figcaption>Legacy</figcaption></figure>',
    ],
)
def test_the_stored_form_is_accepted_and_kept_exactly(body):
    validate_body_html(body)
    assert clean_html(body) == body


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        (
            '<figure data-media-id="12" onclick="alert(1)" class="x" style="color:red" id="f">'
            '<figcaption onmouseover="alert(2)" style="x">Cap</figcaption></figure>',
            '<figure data-media-id="12"><figcaption>Cap</figcaption></figure>',
        ),
        (
            '<figure data-media-id="12"><figcaption>Cap<script>alert(1)</script><img src=x onerror=alert(3)>'
            "</figcaption></figure>",
            '<figure data-media-id="12"><figcaption>Cap<img src="x"></figcaption></figure>',
        ),
        (
            '<figure data-media-id="12"><script>alert(1)</script><img src="/big.jpg" alt="x">loose text'
            "<figcaption>One</figcaption><figcaption>Two</figcaption><p>para</p></figure><p>After</p>",
            '<figure data-media-id="12"><figcaption>One</figcaption></figure><p>After</p>',
        ),
        (
            '<figure data-media-id="12"><figure data-media-id="13"><figcaption>Inner</figcaption></figure></figure>',
            '<figure data-media-id="12"></figure>',
        ),
        (
            '<figure data-media-id="javascript:alert(1)"><figcaption>C</figcaption></figure>',
            "<figure><figcaption>C</figcaption></figure>",
        ),
        ('<figure data-media-id="12 "></figure>', "<figure></figure>"),
        ('<figure data-media-id="-1"></figure>', "<figure></figure>"),
        ('<figure data-media-id="1e3"></figure>', "<figure></figure>"),
        ('<figure data-media-id="１２"></figure>', "<figure></figure>"),  # full-width digits are not ids
        ('<figure data-media-id="1234567890123456789"></figure>', "<figure></figure>"),  # longer than any id
        ('<img data-media-id="abc" src="/x.jpg" alt="">', '<img alt="" src="/x.jpg">'),
        ('<p data-media-id="3">Para</p>', "<p>Para</p>"),
    ],
)
def test_hostile_or_malformed_figures_are_cleaned_to_the_stored_form(hostile, expected):
    cleaned = clean_html(hostile)
    assert cleaned == expected
    assert clean_html(cleaned) == cleaned
    validate_body_html(cleaned)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<figure data-media-id="abc"></figure>',
            "“data-media-id” on <figure> must be the number of a media library item, not “abc”",
        ),
        ('<figure data-media-id=""></figure>', "must be the number of a media library item"),
        ('<img data-media-id="12;alert(1)" src="/x.jpg">', "“data-media-id” on <img> must be the number"),
        (
            '<figure data-media-id="12"><img src="/x.jpg"></figure>',
            "an inline media item (<figure data-media-id>) holds only an optional <figcaption>, not <img>",
        ),
        ('<figure data-media-id="12">Loose words</figure>', "not the text “Loose words”"),
        (
            '<figure data-media-id="12"><figcaption>A</figcaption><figcaption>B</figcaption></figure>',
            "not a second <figcaption>",
        ),
        (
            '<figure data-media-id="12"><figcaption><script>alert(1)</script></figcaption></figure>',
            "<script> is not allowed",
        ),
        ('<figure data-media-id="12" onclick="x()"></figure>', "event handler “onclick” on <figure> is not allowed"),
        ('<figure data-media-id="12" class="wide"></figure>', "attribute “class” on <figure> is not allowed"),
    ],
)
def test_the_validator_refuses_what_the_sanitizer_would_drop_and_says_why(body, message):
    assert message in refused(body)


def test_whitespace_between_a_figure_and_its_caption_is_accepted_and_dropped():
    body = '<figure data-media-id="12">\n  <figcaption>Cap</figcaption>\n</figure>'
    validate_body_html(body)
    assert clean_html(body) == '<figure data-media-id="12"><figcaption>Cap</figcaption></figure>'


def test_markup_after_a_figure_is_not_taken_for_its_content():
    body = (
        '<figure data-media-id="1"></figure><p>Next <img src="/a.jpg" alt=""> text.</p>'
        '<figure data-media-id="2"></figure>'
    )
    validate_body_html(body)
    assert clean_html(body) == body


_ATTRIBUTE_VALUES = st.one_of(
    st.from_regex(r"[0-9]{1,20}", fullmatch=True),
    st.text(alphabet='0123456789x -"&<>;:', max_size=8),
)


@st.composite
def _figure_bodies(draw):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        media_id = draw(_ATTRIBUTE_VALUES).replace('"', "&quot;")
        inside = draw(
            st.lists(
                st.sampled_from(
                    [
                        "<figcaption>Cap &amp; <em>it</em></figcaption>",
                        "<figcaption><script>alert(1)</script>x</figcaption>",
                        '<img src="/a.jpg" onerror="alert(1)">',
                        "loose",
                        " ",
                        '<figure data-media-id="9">',
                        "</figure>",
                        "<p>para</p>",
                        "<figcaption>",
                    ]
                ),
                max_size=5,
            )
        )
        tag = draw(st.sampled_from(["figure", "img", "p"]))
        parts.append(f'<{tag} data-media-id="{media_id}">' + "".join(inside) + ("" if tag == "img" else f"</{tag}>"))
    return "".join(parts)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_figure_bodies())
def test_any_figure_soup_cleans_to_an_accepted_fixed_point(body):
    once = clean_html(body)
    validate_body_html(once)
    assert clean_html(once) == once
    for media_id in re.findall(r'data-media-id="([^"]*)"', once):
        assert re.fullmatch(r"[0-9]{1,18}", media_id)
