"""What makes a legacy page the same page again: its identity, its digest, and which stored
article (or stub) it is.

Identity: a page's legacy identity (`page_identity`: its title, label included, and dateline as
the old site gives them) is kept in `Article.legacy_key`, unique in the database. A page is the
article holding that identity, whatever editors have changed since; else (articles imported
before the identity was kept) the article with the same title and dateline and no identity;
else the stub with the same legacy title (made earlier from a related list); else new
(`match_candidates`). `Article.legacy_digest` holds `page_digest`, a hash of the page as last
imported: a re-imported page with the same digest is "unchanged" and nothing is written.
"""

import hashlib
import json
from datetime import UTC

from articles.legacy.parser import LegacyPage

LABELS = {"video": "VIDEO: ", "photo": "PHOTOS: "}


def page_identity(page: LegacyPage) -> str:
    """The page's legacy identity: a hash of its title (label included) and dateline (UTC).

    The old site gives pages no id of their own; these two are what named a story there. The
    hash is taken from the page, never from the article, so editors' changes do not move it.
    """
    text = f"{LABELS.get(page.kind, '')}{page.title}\n{page.published_at.astimezone(UTC).isoformat()}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def page_digest(page: LegacyPage) -> str:
    """A hash of everything the page says (breadcrumb, fields, related items as listed)."""
    content = [
        page.sections,
        page.title,
        page.kind,
        page.body,
        page.signoff,
        page.language,
        [[i.legacy_id, i.sort, i.title, i.pic] for i in page.related],
    ]
    return hashlib.blake2b(json.dumps(content, ensure_ascii=False).encode(), digest_size=16).hexdigest()


def match_candidates(candidates: list[dict], key: str, kind: str) -> tuple[dict | None, dict | None]:
    """(the article that is this page, or None; else the stub it fills, or None) among the rows
    `Rows.identity_candidates` found for it, oldest first.

    The article holding the identity `key` wins; else one with the page's title and dateline that
    has no identity (imported before identities were kept) and is not a stub; else a stub of the
    same kind without identity.
    """
    own = next((c for c in candidates if c["legacy_key"] == key), None)
    found = own or _first_without_identity(candidates, stub=False)
    if found is not None:
        return found, None
    return None, _first_without_identity(candidates, stub=True, kind=kind)


def _first_without_identity(candidates: list[dict], *, stub: bool, kind: str | None = None) -> dict | None:
    """The first candidate without a legacy identity that is (or is not) a stub, of `kind` if given."""
    for candidate in candidates:
        if candidate["legacy_key"] is not None or bool(candidate["is_stub"]) is not stub:
            continue
        if kind is None or candidate["kind"] == kind:
            return candidate
    return None
