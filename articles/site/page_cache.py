"""What a change purges from the public caches: the listener that turns a committed change into
surrogate keys (articles.site.purge_keys) and purges them in the shared purge log, which every
process's page cache reads (articles.public_cache), and in every Varnish in VARNISH_URLS.

The cache itself, shared by the site's pages and the API's anonymous reads, is
articles.public_cache.
"""

import changes
from caching import purges, surrogate_keys
from caching.varnish import purge_varnish


def purge_changed(change: changes.Change) -> None:
    """The page cache's listener (`changes.listen`, in ArticlesConfig.ready): purge exactly what
    `change` touched (articles.site.purge_keys), here and in every Varnish, which also starts a
    new content generation. Called after the change committed: a purge before the commit could
    let a reader cache the old state anew.

    Only action functions announce; a row saved with the ORM directly changes no cached page
    until something announced touches it (or the page times out)."""
    from articles.site.purge_keys import header_changed, keys_for

    keys = keys_for(change)
    if surrogate_keys.EVERYTHING not in keys and header_changed():
        keys = {surrogate_keys.EVERYTHING}
    if not keys:  # nothing any reader sees (a media item no story uses yet): still a new generation
        keys = {"none"}
    purges.purge(keys)
    purge_varnish(keys - {"none"})
