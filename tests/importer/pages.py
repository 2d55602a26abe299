"""Build legacy pages in code for the tests (text written for these tests)."""

import json


def dump(items: list[dict]) -> str:
    """The related list as the legacy site printed it, with the right byte length."""
    text = json.dumps(items, ensure_ascii=False, separators=(",", ":")).replace("},{", "} ,{").replace("}]", "} ]")
    return f'string({len(text.encode())}) "{text}"'


def item(legacy_id: int, title: str, *, sort: int | None = None, pic: str = "") -> dict:
    return {
        "id": str(legacy_id),
        "sort": str(sort if sort is not None else legacy_id),
        "contenttypeid": "21",
        "pic": pic or f"/2017/02/0{legacy_id % 9 + 1}/desk_63622{legacy_id:013d}_25f_4x3.jpg",
        "title": title,
    }


def page(
    title: str,
    *,
    dateline: str = "Mon Feb 06, 2017 10:00:00",
    breadcrumb: str = "Lebanon – Politics",
    paragraphs: tuple[str, ...] = ("Council members met for three hours on Monday.",),
    signoff: str = "A/JB 14",
    related: list[dict] | None = None,
) -> str:
    parts = [breadcrumb, title, dateline, *paragraphs, signoff]
    if related:
        parts.append(dump(related))
    return "\n\n".join(parts)


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# Two pages whose pictures are mostly not in the media folder (tests/importer/missing_media):
# the folder holds the pictures of "Harbour pilots…" and "Fishing fleet…" only, so the run
# cannot find the seven others, among them the lighthouse story's own lead video (named by the
# coast guard page's related list).
MISSING_MEDIA_PAGES = "missing_media"
FOUND_PICTURES = (
    "/2017/03/01/coast_636201000000000001_25f_4x3.jpg",
    "/2017/03/02/coast_636202000000000002_25f_4x3.jpg",
)
NOT_FOUND = {
    "coast_guard.txt": [
        "/2017/03/14/coast_636214000000000014_25f_4x3.mp4",
        "/2017/03/04/coast_636204000000000004_25f_4x3.jpg",
        "/2017/03/08/coast_636208000000000008_25f_4x3.jpg",
    ],
    "lighthouse.txt": [
        "/2017/03/03/coast_636203000000000003_25f_4x3.mp4",
        "/2017/03/05/coast_636205000000000005_25f_4x3.jpg",
        "/2017/03/06/coast_636206000000000006_25f_4x3.jpg",
        "/2017/03/07/coast_636207000000000007_25f_4x3.jpg",
    ],
}
LIGHTHOUSE = "Lighthouse on the northern cape shines again"


def partial_media_root(folder):
    """A legacy media folder under `folder` holding only FOUND_PICTURES (real JPEGs)."""
    from tests.factories import jpeg_bytes

    root = folder / "legacy-media"
    for number, path in enumerate(FOUND_PICTURES):
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(jpeg_bytes(160, 90, color=(30 + 100 * number, 120, 90)))
    return root
