"""API views for articles (read, write, related lists in two shapes), sections and tags."""

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apikit.conditional import ETagMixin
from apikit.errors import ErrorSerializer
from apikit.negotiation import QueryFormatFreeNegotiation
from apikit.pagination import KeysetCursorPagination
from apikit.schema import NewsroomAutoSchema
from articles.actions import StaleEdit, delete_article
from articles.api.authors import byline_prefetch
from articles.api.cached_reads import CachedPublicReads
from articles.api.drafts import DraftActionsMixin, stale_answer
from articles.api.editorial.reads import (
    all_related_links,
    articles_with_status,
    may_read_unpublished,
    readable_articles,
)
from articles.api.filters import FILTER_PARAMETERS, ArticleFilters
from articles.api.ninjs import NinjsActionMixin
from articles.api.preconditions import named_article_version
from articles.api.revisions import RevisionActionsMixin
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    LegacyRelatedSerializer,
    RelatedSerializer,
    SectionNodeSerializer,
    TagListSerializer,
)
from articles.api.surrogate import SurrogateKeysMixin
from articles.api.writes import write_article
from articles.models import Article, RelatedLink, Section, Tag
from articles.querysets import LISTED_NEWEST_FIRST, sections_with_live_stories, tags_with_live_stories
from media.renditions import prefetch_for

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
WRITE_ERRORS = {**ERRORS, 412: ErrorSerializer, 428: ErrorSerializer}
NEWEST_FIRST = [("published_at", True), ("id", True)]
NEWEST_FIRST_ANY_STATUS = [("listed_at", True), ("id", True)]
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the article as you last read it; a stale one is refused with 412. "
    "`*` matches whatever version is current (RFC 9110), i.e. a write that overrides other editors' changes.",
)


def related_links(queryset):
    """`queryset` of RelatedLinks with what an entry shows (target, its lead media and renditions)."""
    return (
        queryset.select_related("target", "target__lead_media", "target__lead_media__poster")
        .prefetch_related(*prefetch_for("target__lead_media"))
        .order_by("position", "id")
    )


def sections_for(articles) -> dict:
    """{path: Section} for every section in the breadcrumbs of `articles`, in one query."""
    prefixes = {p for article in articles for p in article.section.path_prefixes()}
    if not prefixes:
        return {}
    return {s.path: s for s in Section.objects.filter(path__in=prefixes)}


@extend_schema_view(
    list=extend_schema(
        summary="Live articles, newest first",
        parameters=FILTER_PARAMETERS,
        responses={200: ArticleSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One article", responses={200: ArticleDetailSerializer, **ERRORS}),
    create=extend_schema(
        summary="Create an article",
        request=ArticleWriteSerializer,
        responses={201: ArticleDetailSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary="Replace an article",
        request=ArticleWriteSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change an article",
        request=ArticleWriteSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete an article",
        parameters=[IF_MATCH_PARAMETER],
        responses={204: None, **WRITE_ERRORS},
    ),
)
class ArticleViewSet(
    CachedPublicReads,
    SurrogateKeysMixin,
    DraftActionsMixin,
    RevisionActionsMixin,
    NinjsActionMixin,
    ETagMixin,
    viewsets.ModelViewSet,
):
    """Articles. Everyone reads live ones; editors (articles.view_article) also the rest.

    Writes need the article model permissions and go through `articles.actions`; changes and
    deletions must name the version they are based on with If-Match. A live story's working
    draft (articles.api.drafts) and its revisions (articles.api.revisions) are routes of their own.
    """

    queryset = Article.objects.live()
    pagination_class = KeysetCursorPagination
    content_negotiation_class = QueryFormatFreeNegotiation
    schema = NewsroomAutoSchema()
    cursor_ordering = NEWEST_FIRST
    # What the list reads from the query (articles.api.cached_reads keys anonymous lists by them).
    list_reads = (*(parameter.name for parameter in FILTER_PARAMETERS), "cursor", "page_size")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ArticleWriteSerializer
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_queryset(self):
        if self.action in ("related", "draft", "draft_publish", "revisions"):
            return readable_articles(self.request.user)
        queryset = (
            readable_articles(self.request.user)
            .for_listing()
            .prefetch_related("tags", byline_prefetch(), *prefetch_for("lead_media"))
        )
        if self.action == "retrieve":
            live_links = RelatedLink.objects.to_live_targets()
            queryset = queryset.prefetch_related(
                Prefetch("related_links", queryset=related_links(live_links), to_attr="live_related_links"),
                "corrections",
            )
            if may_read_unpublished(self.request.user):  # has_draft, draft_publish_at
                queryset = queryset.select_related("working_draft")
        return queryset

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = ArticleFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        self.list_surrogate_keys = filters.surrogate_keys()
        wanted = filters.validated_data.get("status")
        if wanted:
            try:
                queryset = articles_with_status(self.request.user, wanted)
            except PermissionError as exc:
                self.permission_denied(self.request, message=str(exc))
            queryset = queryset.for_listing().prefetch_related("tags", byline_prefetch(), *prefetch_for("lead_media"))
            queryset = queryset.annotate(listed_at=Coalesce("published_at", "created_at"))
            self.cursor_ordering = NEWEST_FIRST_ANY_STATUS
        else:
            queryset = (
                Article.objects.live()
                .for_listing()
                .prefetch_related("tags", byline_prefetch(), *prefetch_for("lead_media"))
            )
        live = not wanted
        if filters.tag_listed(live=live):
            self.cursor_ordering = LISTED_NEWEST_FIRST  # the same order, read from the tag's index
        return filters.apply(queryset, live=live)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.update(getattr(self, "extra_context", {}))
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.extra_context = {"sections": sections_for(page)}
        return page

    # ETags and If-Match

    def etag_prefix(self, response) -> str:
        """`a<id>v<version>-` for an article, `a<id>d<draft id>v<draft version>-` for its working
        draft (articles.api.preconditions reads them back from If-Match)."""
        draft = self.etag_draft
        if draft is not None:
            return f"a{draft.article_id}d{draft.pk}v{draft.version}-"
        article = getattr(self, "etag_article", None)
        return f"a{article.pk}v{article.version}-" if article is not None else ""

    def base_version(self, request, article) -> int | None:
        """The version the caller's If-Match names (428 without one or for another article).

        `If-Match: *` matches any current version (RFC 9110, 13.1.1): the write goes ahead
        whatever the version, so None (no version check) is returned.
        """
        return named_article_version(request, article.pk)

    def detail_response(self, article, status_code=status.HTTP_200_OK, *, reload=True) -> Response:
        """The article's detail document; after a write it is read again, with everything it shows."""
        fresh = self.get_queryset_for_detail().get(pk=article.pk) if reload else article
        self.etag_article = fresh
        context = self.detail_context(fresh, staff=may_read_unpublished(self.request.user))
        headers = {"Location": reverse("article-detail", kwargs={"pk": fresh.pk})} if status_code == 201 else {}
        return Response(ArticleDetailSerializer(fresh, context=context).data, status=status_code, headers=headers)

    def detail_context(self, article, *, staff: bool) -> dict:
        """What ArticleDetailSerializer needs to draw `article`; `staff` adds has_draft and
        draft_publish_at."""
        return {**self.get_serializer_context(), "sections": sections_for([article]), "staff": staff}

    def get_queryset_for_detail(self):
        action_name, self.action = self.action, "retrieve"
        try:
            return self.get_queryset()
        finally:
            self.action = action_name

    # handlers

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object(), reload=False)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = write_article(
            actor=request.user, article=Article(), data=serializer.validated_data, base_version=None
        )
        return self.detail_response(article, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        article = self.get_object()
        base_version = self.base_version(request, article)
        serializer = self.get_serializer(article, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        try:
            write_article(
                actor=request.user, article=article, data=serializer.validated_data, base_version=base_version
            )
        except StaleEdit as exc:
            return stale_answer(exc)
        return self.detail_response(article)

    def destroy(self, request, *args, **kwargs):
        article = self.get_object()
        base_version = self.base_version(request, article)
        try:
            delete_article(actor=request.user, article=article, base_version=base_version)
        except StaleEdit as exc:
            return stale_answer(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="An article's related list",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["legacy"],
                description="legacy: the old site's shape, every value a string (editors also see stubs).",
            )
        ],
        responses={
            200: OpenApiResponse(
                response=PolymorphicProxySerializer(
                    component_name="RelatedEntry",
                    serializers=[RelatedSerializer, LegacyRelatedSerializer],
                    resource_type_field_name=None,
                    many=True,
                ),
                description="In editorial order, live articles only. With format=legacy, a list of "
                "{id, sort, contenttypeid, pic, title} strings instead.",
            ),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def related(self, request, pk=None):
        shape = request.query_params.get("format") or None  # empty: the default shape
        if shape not in (None, "legacy"):
            raise ValidationError({"format": [f"Unknown format “{shape[:40]}”; the only one is “legacy”."]})
        article = self.get_object()
        if shape == "legacy" and may_read_unpublished(request.user):
            links = all_related_links(request.user, article)
        else:
            links = RelatedLink.objects.filter(source=article).to_live_targets()
        serializer = LegacyRelatedSerializer if shape == "legacy" else RelatedSerializer
        return Response(serializer(related_links(links), many=True, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="The section tree, top sections in order, each with its subsections",
        responses={200: SectionNodeSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One section with its subsections", responses={200: SectionNodeSerializer, **ERRORS}
    ),
)
class SectionViewSet(SurrogateKeysMixin, ETagMixin, viewsets.ReadOnlyModelViewSet):
    surrogate_kind = "section"
    schema = NewsroomAutoSchema()
    serializer_class = SectionNodeSerializer
    pagination_class = KeysetCursorPagination
    cursor_ordering = [("position", False), ("id", False)]
    queryset = Section.objects.all()

    def get_queryset(self):
        """Every section for editors; for anybody else those with a live story (issue #13)."""
        if may_read_unpublished(self.request.user):
            return super().get_queryset()
        return sections_with_live_stories(super().get_queryset())

    def filter_queryset(self, queryset):
        return queryset.filter(parent__isnull=True) if self.action == "list" else queryset

    def get_serializer(self, *args, **kwargs):
        """Attach every subsection of the sections shown, read in one query."""
        if args:
            shown = args[0] if kwargs.get("many") else [args[0]]
            below = Q()
            for section in shown:
                below |= Q(path__startswith=section.path + "/")
            children: dict = {}
            if shown:
                for section in self.get_queryset().filter(below).order_by("depth", "position", "name"):
                    children.setdefault(section.parent_id, []).append(section)
            kwargs.setdefault("context", {**self.get_serializer_context(), "children": children})
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Tags, by name", responses={200: TagListSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(summary="One tag", responses={200: TagListSerializer, **ERRORS}),
)
class TagViewSet(SurrogateKeysMixin, ETagMixin, viewsets.ReadOnlyModelViewSet):
    surrogate_kind = "tag"
    schema = NewsroomAutoSchema()
    serializer_class = TagListSerializer
    pagination_class = KeysetCursorPagination
    cursor_ordering = [("name", False)]
    queryset = Tag.objects.all()

    def get_queryset(self):
        """Every tag for editors; for anybody else those a live story carries (issue #13)."""
        if may_read_unpublished(self.request.user):
            return super().get_queryset()
        return tags_with_live_stories(super().get_queryset())
