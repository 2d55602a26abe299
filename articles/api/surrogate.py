"""Public API reads that a shared cache (Varnish) may keep, named by what they show.

An anonymous GET answered 200 gets a `Surrogate-Key` header (caching.surrogate_keys): each
object it returns (`article-<id>`, and the related stories of an article; `section-<id>`,
`tag-<id>`, `author-<id>`), plus `feed` for a list, which a story's publication or withdrawal
purges. It may be kept `s-maxage` seconds (articles.cache_lifetime: up to the next scheduled
change); callers' own caches revalidate with the ETag every time. Signed-in callers' answers are
never marked for sharing (Varnish passes them anyway: they carry a cookie or Authorization).
"""

from django.utils.cache import patch_cache_control

from articles.cache_lifetime import shared_cache_seconds
from caching import surrogate_keys


def _items(data):
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"], True
    if isinstance(data, list):
        return data, True
    return [data], False


def _related(item: dict) -> list[dict]:
    """An article's related stories, as its answer shows them (with their ids)."""
    return [entry for entry in item.get("related") or () if isinstance(entry, dict) and "id" in entry]


class SurrogateKeysMixin:
    """For viewsets: `surrogate_kind` names the key of each object returned ("article").

    Besides list and retrieve, an action named in `surrogate_actions` is marked too; when what
    it answers is another shape of an object (ninjs), it leaves that object's API document in
    `surrogate_source` for the keys to be read from.
    """

    surrogate_kind = "article"
    surrogate_actions = ("list", "retrieve", "ninjs")

    def surrogate_keys(self, data) -> set[str]:
        items, is_list = _items(data)
        objects = [item for item in items if isinstance(item, dict)]
        keys = {f"{self.surrogate_kind}-{item['id']}" for item in objects if "id" in item}
        keys |= {f"article-{related['id']}" for item in objects for related in _related(item)}
        if is_list:
            keys.add("feed")
            keys |= getattr(self, "list_surrogate_keys", set())
        return keys

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and getattr(self, "action", None) in self.surrogate_actions
            and not request.user.is_authenticated
            and getattr(response, "data", None) is not None
        ):
            keys = self.surrogate_keys(getattr(self, "surrogate_source", response.data))
            surrogate_keys.add(*keys)  # for the page cache (articles.api.cached_reads)
            response[surrogate_keys.HEADER] = surrogate_keys.header_value(keys)
            seconds = shared_cache_seconds()
            if seconds > 0:
                patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        return response
