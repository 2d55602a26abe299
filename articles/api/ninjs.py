"""A live article as IPTC ninjs 2.1 (News in JSON), for agencies and partners who take our copy.

`GET /api/v1/articles/<id>/ninjs/` answers the same story the API detail shows an anonymous
reader — live stories only, for every caller, since what is distributed is what is published —
in the shape of the ninjs 2.1 schema (http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json):

- `uri` is the article's API URL, which names it for good (a slug may change, the id does not);
  `version` is the article's version, so a receiver can tell an update from a repeat;
- `headlines` the title, `descriptions` the summary (role `summary`) then each correction,
  clarification or update (role its kind), `bodies` the body as HTML,
  `by` the byline as one phrase ("A, B and C"), `slugline` the slug;
- `subjects` the section path (rel `section`, outermost first) and the tags (rel `tag`), each
  with its page's URL;
- `associations` the lead media (`lead`) and the inline media in body order (`inline-1`, …),
  each with every rendition: the original file, a video's poster, each size in JPEG and WebP;
- `renditions` the story's web page; `altids` the legacy id of an imported story.

The document is made from the API detail's own serialization (ArticleDetailSerializer), so the
two never disagree about what a story shows.
"""

import mimetypes
import re

from django.urls import reverse
from django.utils.html import format_html, strip_tags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from apikit.errors import ErrorSerializer
from articles.api.serializers import ArticleDetailSerializer
from urlkit.absolute_urls import absolute_url

SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#"
STANDARD = {"name": "ninjs", "version": "2.1", "schema": SCHEMA_URI}
FORMATS = {"jpeg": "image/jpeg", "webp": "image/webp"}
BODY_SIZE = "w960"  # the size an inline picture is drawn at in the distributed body
STORED_FIGURE = re.compile(r'<figure data-media-id="(\d+)">(.*?)</figure>', re.DOTALL)


def byline_phrase(authors: list[dict]) -> str:
    """'Ann Lee', 'Ann Lee and Bo Ma', 'Ann Lee, Bo Ma and Cy Ng' — the byline as the page says it."""
    names = [author["name"] for author in authors if author.get("name")]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _file_type(url: str) -> str | None:
    guessed, _ = mimetypes.guess_type(url.split("?", 1)[0])
    return guessed


def _renditions(item: dict) -> list[dict]:
    """The original file (and a video's poster) first, then each size in each format (a video's
    sizes are its poster's, named so)."""
    found = []
    if item.get("url"):
        original = {"name": "original", "href": item["url"]}
        if _file_type(item["url"]):
            original["contenttype"] = _file_type(item["url"])
        for key in ("width", "height", "duration"):
            if item.get(key) is not None:
                original[key] = item[key]
        found.append(original)
    if item.get("poster_url"):
        poster = {"name": "poster", "href": item["poster_url"]}
        if _file_type(item["poster_url"]):
            poster["contenttype"] = _file_type(item["poster_url"])
        found.append(poster)
    prefix = "poster-" if item["kind"] == "video" else ""
    for spec, sizes in (item.get("renditions") or {}).items():
        for fmt, contenttype in FORMATS.items():
            if sizes.get(fmt):
                found.append(
                    {
                        "name": f"{prefix}{spec}-{fmt}",
                        "href": sizes[fmt],
                        "contenttype": contenttype,
                        "width": sizes["width"],
                        "height": sizes["height"],
                    }
                )
    return found


def association(name: str, item: dict, request) -> dict:
    """A media item (the lead media's or an inline item's API shape) as a ninjs association."""
    described = [
        {"role": role, "value": item[key]} for role, key in (("alt", "alt"), ("caption", "caption")) if item.get(key)
    ]
    document = {
        "name": name,
        "uri": absolute_url(reverse("media-detail", kwargs={"pk": item["id"]}), request),
        "type": "video" if item["kind"] == "video" else "picture",
        "representationtype": "partial",
    }
    if described:
        document["descriptions"] = described
    if item.get("credit"):
        document["by"] = item["credit"]
    document["renditions"] = _renditions(item)
    return document


def _subjects(article, detail: dict, request) -> list[dict]:
    subjects = [
        {"name": step["name"], "rel": "section", "uri": step["web_url"], "literal": step["slug"]}
        for step in detail.get("breadcrumb") or ()
    ]
    for tag in article.tags.all():
        subjects.append(
            {"name": tag.name, "rel": "tag", "uri": absolute_url(tag.get_absolute_url(), request), "literal": tag.slug}
        )
    return subjects


def _drawn(item: dict) -> str:
    """What a receiver's page shows for an inline item: the picture at BODY_SIZE, or the video."""
    if item["kind"] == "video":
        return format_html('<video controls src="{}" poster="{}"></video>', item["url"] or "", item["poster_url"] or "")
    size = (item.get("renditions") or {}).get(BODY_SIZE) or {}
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}">',
        size.get("jpeg") or item["url"] or "",
        item.get("alt") or "",
        size.get("width") or item.get("width") or "",
        size.get("height") or item.get("height") or "",
    )


def distributed_body(html: str, inline: list[dict]) -> str:
    """The stored body with each inline figure drawn and tied to its association
    (`data-assoc-ref="inline-<n>"`); a figure naming no item a reader may see is left out."""
    names = {item["id"]: (f"inline-{number}", item) for number, item in enumerate(inline, start=1)}

    def draw(match) -> str:
        found = names.get(int(match.group(1)))
        if found is None:
            return ""
        name, item = found
        return format_html('<figure data-assoc-ref="{}">', name) + _drawn(item) + match.group(2) + "</figure>"

    return STORED_FIGURE.sub(draw, html)


def _body(html: str) -> dict:
    """The HTML body with its counts; figure captions are not counted, as ninjs says."""
    # A tag ends a word ("</p><p>" between two paragraphs is a space to a reader).
    text = " ".join(strip_tags(_without_captions(html).replace("<", " <")).split())
    return {
        "role": "main",
        "contenttype": "text/html",
        "value": html,
        "charcount": len(text),
        "wordcount": len(text.split()),
    }


def _without_captions(html: str) -> str:
    kept, rest = [], html
    while "<figcaption" in rest:
        before, _, after = rest.partition("<figcaption")
        kept.append(before)
        rest = after.partition("</figcaption>")[2]
    kept.append(rest)
    return "".join(kept)


def ninjs_document(article, detail: dict, request) -> dict:
    """The ninjs 2.1 document of `article`, from its API detail `detail` (an anonymous reader's)."""
    document = {
        "uri": detail["url"],
        "standard": STANDARD,
        "type": "text",
        "representationtype": "full",
        "profile": f"newsroom-{detail['kind']}",
        "version": str(article.version),
        "firstcreated": serializers.DateTimeField().to_representation(article.created_at),
        "versioncreated": detail["updated_at"],
        "contentcreated": detail["published_at"],
        "pubstatus": "usable",
        "language": detail["language"],
        "slugline": detail["slug"],
        "headlines": [{"role": "main", "value": detail["title"]}],
        "bodies": [_body(distributed_body(detail["body_html"], detail.get("inline_media") or []))],
        "subjects": _subjects(article, detail, request),
        "renditions": [{"name": "web", "href": detail["web_url"], "contenttype": "text/html"}],
    }
    descriptions = [{"role": "summary", "value": detail["summary"]}] if detail.get("summary") else []
    descriptions += [{"role": item["kind"], "value": item["text"]} for item in detail.get("corrections") or ()]
    if descriptions:
        document["descriptions"] = descriptions
    by = byline_phrase(detail.get("authors") or [])
    if by:
        document["by"] = by
    if detail.get("source"):
        document["infosources"] = [{"name": detail["source"], "role": "source"}]
    if detail.get("legacy_id") is not None:
        document["altids"] = [{"role": "legacy-id", "value": str(detail["legacy_id"])}]
    associations = []
    if detail.get("lead_media"):
        associations.append(association("lead", detail["lead_media"], request))
    for number, item in enumerate(detail.get("inline_media") or (), start=1):
        associations.append(association(f"inline-{number}", item, request))
    if associations:
        document["associations"] = associations
    return document


class NinjsActionMixin:
    """The `ninjs/` route of an article (for ArticleViewSet)."""

    @extend_schema(
        summary="A live article as IPTC ninjs 2.1",
        description="The story as News in JSON 2.1 (http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json): "
        "headlines, HTML body, byline, sections and tags as subjects, lead and inline media with "
        "their renditions. Live articles only, for every caller.",
        responses={
            200: OpenApiResponse(response=OpenApiTypes.OBJECT, description="A ninjs 2.1 document."),
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["get"], url_path="ninjs", pagination_class=None)
    def ninjs(self, request, pk=None):
        # What is distributed is what is published: live stories only, whoever asks.
        article = get_object_or_404(self.get_queryset_for_detail().live(), pk=pk)
        detail = ArticleDetailSerializer(article, context=self.detail_context(article, staff=False)).data
        self.surrogate_source = detail  # the Surrogate-Key names what the detail would
        return Response(ninjs_document(article, detail, request))
