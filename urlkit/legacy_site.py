"""The LEGACY_SITE_URL setting read: the old site's page pattern and root.

Settings-neutral (the standard library and django.core.exceptions only), so that
newsroom/settings.py can check the value at start-up without importing an app; the links
themselves are built by `articles.legacy.links`.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

ID_PLACEHOLDER = "{id}"
# The old site served a story at /news/<id>.
DEFAULT_PAGE_PATH = "/news/" + ID_PLACEHOLDER


@lru_cache(maxsize=8)  # read for every related entry; settings hold one value (tests a few)
def parse_legacy_site_url(value: str) -> tuple[str, str]:
    """(page pattern with `{id}`, site root) for a LEGACY_SITE_URL value; ("", "") when empty.

    Raises ImproperlyConfigured for anything but an absolute http(s) URL with a host, or a
    pattern with `{id}` more than once or in its host.
    """
    value = (value or "").strip()
    if not value:
        return "", ""
    parts = urlsplit(value.replace(ID_PLACEHOLDER, "0"))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.username or parts.password:
        raise ImproperlyConfigured(
            f"LEGACY_SITE_URL “{value}” is not the address of a web site: use an absolute http(s) "
            "URL such as https://old.example.com (optionally with {id} where a story's legacy id goes)."
        )
    if value.count(ID_PLACEHOLDER) > 1 or ID_PLACEHOLDER in urlsplit(value).netloc:
        raise ImproperlyConfigured(f"LEGACY_SITE_URL “{value}” may hold {{id}} once, in its path or query.")
    root = f"{parts.scheme}://{parts.netloc}"
    if ID_PLACEHOLDER in value:
        return value, root
    return value.rstrip("/") + DEFAULT_PAGE_PATH, root
