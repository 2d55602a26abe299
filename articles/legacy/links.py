"""Links to the legacy site while the archive moves: where a not-yet-imported item lives there.

`LEGACY_SITE_URL` names the old site. Two things are built from it:

- the page of a legacy id. The related lists of legacy pages name items by id only (see
  `articles.legacy.dump`), and the old site served a story at `/news/<id>`, so by default an
  item's page is `<LEGACY_SITE_URL>/news/<id>`. A site laid out otherwise sets the whole
  pattern instead, with `{id}` where the id goes: `https://old.example.com/story.php?id={id}`.
- the address of a legacy media path. A `pic` such as `/2016/03/06/name_4x3.jpg` is a path
  from the root of the old site, so it is resolved like a link on an old-site page: against
  the scheme and host of `LEGACY_SITE_URL` (any path in the setting is ignored for it).

Only http and https addresses are accepted; `parse_legacy_site_url` (urlkit.legacy_site, which
settings call at start-up) says clearly what is wrong with any other value.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings

from urlkit.legacy_site import ID_PLACEHOLDER, parse_legacy_site_url


def _configured() -> tuple[str, str]:
    return parse_legacy_site_url(getattr(settings, "LEGACY_SITE_URL", ""))


def enabled() -> bool:
    """Whether the old site is named, so that not-yet-imported items may link to it."""
    return bool(_configured()[0])


def page_url(legacy_id: int | None) -> str:
    """The old site's page for `legacy_id`, or "" without LEGACY_SITE_URL or id."""
    pattern, _root = _configured()
    if not pattern or not legacy_id:
        return ""
    return pattern.replace(ID_PLACEHOLDER, str(int(legacy_id)))


def media_url(legacy_path: str | None) -> str:
    """The old site's address of a legacy media path (`/2016/03/06/name.jpg`), or "" without
    LEGACY_SITE_URL or for a path that is not an absolute path on that site."""
    _pattern, root = _configured()
    if not root or not legacy_path or not legacy_path.startswith("/") or legacy_path.startswith("//"):
        return ""
    return root + quote(legacy_path, safe="/-_.~%")


def host() -> str:
    """The old site's host name, as readers see it in a link (`old.example.com`)."""
    _pattern, root = _configured()
    return urlsplit(root).hostname or ""
