"""The body HTML allowlist, applied with nh3 on every save."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "a", "ul", "ol", "li",
    "blockquote", "q", "cite", "h2", "h3", "h4", "figure", "figcaption", "img", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "abbr", "span", "code", "pre",
}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "data-media-id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(value: str) -> str:
    """Return `value` with everything outside the allowlist removed."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
