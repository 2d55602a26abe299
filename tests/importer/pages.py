"""Build legacy pages in code for the tests (text written for these tests)."""

import json


def dump(items: list[dict]) -> str:
    """The related list as the legacy site printed it, with the right byte length."""
    text = json.dumps(items, ensure_ascii=False, separators=(",", ":")).replace("},{", "} ,{").replace("}]", "} ]")
    return f'string({len(text.encode())}) "{text}"'


def item(legacy_id: int, title: str, *, sort: int | None = None, pic: str = "") -> dict:
    return {
        "id": str(legacy_id), "sort": str(sort if sort is not None else legacy_id), "contenttypeid": "21",
        "pic": pic or f"/2017/02/0{legacy_id % 9 + 1}/desk_63622{legacy_id:013d}_25f_4x3.jpg", "title": title,
    }


def page(title: str, *, dateline: str = "Mon Feb 06, 2017 10:00:00", breadcrumb: str = "Lebanon – Politics",
         paragraphs: tuple[str, ...] = ("Council members met for three hours on Monday.",),
         signoff: str = "A/JB 14", related: list[dict] | None = None) -> str:
    parts = [breadcrumb, title, dateline, *paragraphs, signoff]
    if related:
        parts.append(dump(related))
    return "\n\n".join(parts)


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
