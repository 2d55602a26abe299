"""The working draft of a live story in the API: /articles/<id>/draft/ and /draft/publish/.

Only people who may edit the story see or change its draft (others: 404 for a story they
cannot read, 401/403 when they can); readers never learn whether one exists. Every change goes
through `articles.actions` (save_draft, discard_draft, publish_draft, unschedule_draft).

If-Match: the first save names the article's ETag (or `*`); every later save, the discard, the
publication and its cancellation name the draft's own ETag (articles.api.preconditions). The
check is made on the article's locked row, which every draft action locks first, so the draft
an ETag names cannot be swapped for another between the check and the write.
"""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apikit.errors import ErrorSerializer
from articles import actions
from articles.api.draft_shapes import (
    DraftConflictSerializer,
    DraftPublishSerializer,
    DraftSerializer,
    DraftWriteSerializer,
    StaleSerializer,
    api_name,
    draft_changes,
)
from articles.api.editorial.reads import locked_version
from articles.api.preconditions import Named, named_for_draft
from articles.api.serializers import ArticleDetailSerializer
from articles.models import Article, WorkingDraft

DRAFT_ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    412: StaleSerializer,
    428: ErrorSerializer,
}
READ_ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
DRAFT_IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The working draft's ETag as you last read it. Starting a draft (the first PUT or PATCH) names "
    "the article's ETag instead. `*` matches whatever version is current. A stale one is refused with 412.",
)
NO_DRAFT = "This story has no working draft."


class NotLive(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Only a published story has a working draft; change this one directly with PATCH on the article."
    default_code = "not_published"


def stale_answer(exc) -> Response:
    """412 for a stale article version (StaleEdit) or a stale draft version (StaleDraft)."""
    if isinstance(exc, actions.StaleEdit):
        current, yours = exc.article.version, exc.base_version
    else:
        current, yours = exc.current_version, exc.your_version
    return Response(
        {"detail": str(exc), "current_version": current, "your_version": yours},
        status=status.HTTP_412_PRECONDITION_FAILED,
    )


def _current_draft(article: Article) -> tuple[int, int] | None:
    """(id, version) of the story's draft, read with the article's row locked (404: story gone)."""
    if locked_version(article.pk) is None:
        raise Http404("No such article.")
    return WorkingDraft.objects.filter(article_id=article.pk).values_list("pk", "version").first()


def _check_named(named: Named, current: tuple[int, int] | None) -> None:
    """StaleDraft when the caller names a draft that is no longer the story's draft."""
    if named.draft_id is not None and (current is None or current[0] != named.draft_id):
        raise actions.StaleDraft(
            "The working draft you name was published or discarded since you read it. Nothing was changed.",
            current_version=current[1] if current else None,
            your_version=named.draft_version,
        )


def _version_arguments(named: Named) -> dict:
    if named.any_version:
        return {"any_version": True}
    if named.draft_id is not None:
        return {"draft_version": named.draft_version}
    return {"base_version": named.article_version}


class DraftActionsMixin:
    """The working-draft routes of ArticleViewSet (which provides get_object and detail_response)."""

    etag_draft = None

    def _editable(self, request) -> Article:
        article = self.get_object()
        if not actions.can_edit(request.user, article):
            self.permission_denied(request, message="You may not edit this story, so its working draft is not yours.")
        return article

    def draft_response(self, article: Article, draft: WorkingDraft, status_code=status.HTTP_200_OK) -> Response:
        self.etag_draft = draft
        context = {**self.get_serializer_context(), "live": actions.content_of(article)}
        return Response(DraftSerializer(draft, context=context).data, status=status_code)

    @extend_schema(
        methods=["GET"],
        summary="The working draft of a live story",
        description="404 while the story has none. Its ETag is the one later writes name in If-Match.",
        responses={200: DraftSerializer, **READ_ERRORS},
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary="Save the working draft (the first save starts it)",
        description="Readers keep seeing the live story until the draft is published. 201 when this save "
        "started the draft. 409 for a story that is not published (change it directly instead).",
        request=DraftWriteSerializer,
        parameters=[DRAFT_IF_MATCH],
        responses={200: DraftSerializer, 201: DraftSerializer, 409: ErrorSerializer, **DRAFT_ERRORS},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Discard the working draft (the live story stays as it is)",
        parameters=[DRAFT_IF_MATCH],
        responses={204: None, **DRAFT_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "put", "patch", "delete"],
        url_path="draft",
        permission_classes=[IsAuthenticated],
        pagination_class=None,
    )
    def draft(self, request, pk=None):
        if request.method == "GET":
            article = self._editable(request)
            draft = WorkingDraft.objects.select_related("created_by", "updated_by").filter(article=article).first()
            if draft is None:
                raise Http404(NO_DRAFT)
            return self.draft_response(article, draft)
        if request.method == "DELETE":
            return self._draft_step(request, self._discard)
        return self._save_draft(request, partial=request.method == "PATCH")

    def _save_draft(self, request, *, partial: bool) -> Response:
        article = self._editable(request)
        named = named_for_draft(request, article.pk, article_allowed=True)
        serializer = DraftWriteSerializer(article, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                current = _current_draft(article)
                if current is None and article.status != Article.Status.PUBLISHED:
                    raise NotLive()
                _check_named(named, current)
                draft = actions.save_draft(
                    actor=request.user,
                    article=article,
                    changes=draft_changes(serializer.validated_data),
                    **_version_arguments(named),
                )
        except (actions.StaleEdit, actions.StaleDraft) as exc:
            return stale_answer(exc)
        return self.draft_response(article, draft, status.HTTP_200_OK if current else status.HTTP_201_CREATED)

    def _draft_step(self, request, step) -> Response:
        """Discard, publish or unschedule: the draft's ETag checked on the locked row, then `step`."""
        article = self._editable(request)
        named = named_for_draft(request, article.pk, article_allowed=False)
        try:
            with transaction.atomic():
                current = _current_draft(article)
                if current is None and named.draft_id is None:
                    raise Http404(NO_DRAFT)
                _check_named(named, current)
                version = {"draft_version": named.draft_version, "any_version": named.any_version}
                return step(request, article, version)
        except actions.StaleDraft as exc:
            return stale_answer(exc)
        except WorkingDraft.DoesNotExist:
            raise Http404(NO_DRAFT) from None

    def _discard(self, request, article, version) -> Response:
        actions.discard_draft(actor=request.user, article=article, **version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["POST"],
        summary="Publish the working draft now, or schedule it",
        description="Without `at` (or with `at` null) the draft goes live now: 200 with the article. With a "
        "future `at` it is scheduled and goes live at that second by itself: 202 with the draft (scheduling "
        "again moves the time). 409 when the live story changed the same fields since the draft started "
        "(nothing is published; `fields` names them). Needs the publish permission.",
        request=DraftPublishSerializer,
        parameters=[DRAFT_IF_MATCH],
        responses={
            200: OpenApiResponse(ArticleDetailSerializer, description="Published: the article as it is now live."),
            202: OpenApiResponse(DraftSerializer, description="Scheduled: the draft, with `publish_at` set."),
            409: DraftConflictSerializer,
            **DRAFT_ERRORS,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Cancel the scheduled publication of the working draft (the draft stays)",
        request=None,
        parameters=[DRAFT_IF_MATCH],
        responses={200: DraftSerializer, **DRAFT_ERRORS},
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        url_path="draft/publish",
        permission_classes=[IsAuthenticated],
        pagination_class=None,
    )
    def draft_publish(self, request, pk=None):
        if request.method == "DELETE":
            return self._draft_step(request, self._unschedule)
        return self._draft_step(request, self._publish)

    def _publish(self, request, article, version) -> Response:
        serializer = DraftPublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = actions.publish_draft(
                actor=request.user, article=article, at=serializer.validated_data.get("at"), **version
            )
        except actions.DraftConflict as exc:
            return Response(
                {"detail": exc.messages[0], "fields": [api_name(key) for key in exc.fields]},
                status=status.HTTP_409_CONFLICT,
            )
        if isinstance(result, WorkingDraft):
            return self.draft_response(article, result, status.HTTP_202_ACCEPTED)
        return self.detail_response(result)

    def _unschedule(self, request, article, version) -> Response:
        draft = actions.unschedule_draft(actor=request.user, article=article, **version)
        return self.draft_response(article, draft)
