"""The editorial desk inside the article admin: state buttons (Approve among them), revision
history with each revision's sign-off chain, diff, revert, previews and share links, a live
story's working-draft buttons (discard, cancel the schedule), its corrections, and the editors'
calendar.

Each view checks the role first (403 otherwise) and changes state only through
`articles.actions` (or `articles.desk.preview` for share links).
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import actions
from articles.desk import preview
from articles.models import Article, Correction, PreviewLink, Revision, WorkingDraft
from articles.revisions import diff_table, snapshot
from articles.signoffs import signoff_line
from urlkit.absolute_urls import absolute_url
from urlkit.converters import is_storable_id

CALENDAR_MAX_DAYS = 90


def can_view_history(user, article: Article) -> bool:
    """Editors (who may view revisions) and whoever may edit the article see its history."""
    return user.has_perm("articles.view_revision") or actions.can_edit(user, article)


def is_live_now(article: Article) -> bool:
    """Published with a dateline already passed: "Publish now" would only move its dateline."""
    return article.status == Article.Status.PUBLISHED and (
        article.published_at is not None and article.published_at <= timezone.now()
    )


def _publishing_buttons(article: Article) -> list[tuple[str, str]]:
    """The publishing desk's changes for someone who may publish (a stub has none)."""
    if article.is_stub:
        return []
    buttons = [] if is_live_now(article) else [("publish", "Publish now")]
    buttons.append(("schedule", "Schedule at…"))
    if article.status == Article.Status.PUBLISHED:
        buttons.append(("unpublish", "Unpublish"))
    if article.status != Article.Status.ARCHIVED:
        buttons.append(("archive", "Archive"))
    return buttons


def state_buttons(user, article: Article) -> list[tuple[str, str]]:
    """(name, label) of each state change this user may make to this article now: the change
    form's one door for state changes (the list's bulk actions are for many articles at once)."""
    status, buttons = article.status, []
    if status == Article.Status.DRAFT and user.has_perm("articles.submit_article") and actions.can_edit(user, article):
        buttons.append(("submit", "Submit for review"))
    if not actions.can_publish(user):
        return buttons
    if status == Article.Status.REVIEW:
        buttons.append(("approve", "Approve"))
    return buttons + _publishing_buttons(article)


def publish_now(*, actor, article: Article) -> Article:
    """Publish `article` now (the desk's button, the list's bulk action). A story already live is
    refused rather than given a new dateline; a scheduled one goes live now."""
    if is_live_now(article):
        raise ValidationError("It is already published.")
    return actions.publish(actor=actor, article=article, at=timezone.now())


def error_text(exc: Exception) -> str:
    return exc.messages[0] if getattr(exc, "messages", None) else (str(exc) or "Not allowed.")


def _parse_moment(text: str):
    """A datetime from an <input type=datetime-local> (site time zone) or ISO text, or None."""
    moment = parse_datetime((text or "").strip())
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _submit(user, article, post) -> str:
    actions.submit_for_review(actor=user, article=article)
    return "Submitted for review."


def _approve(user, article, post) -> str:
    actions.approve(actor=user, article=article)
    return "Approved: you are its approver in the sign-off chain."


def _publish(user, article, post) -> str:
    publish_now(actor=user, article=article)
    return "Published."


def _schedule(user, article, post) -> str:
    at = _parse_moment(post.get("at", ""))
    if at is None:
        raise ValidationError("Give the date and time to publish at, e.g. 2026-05-01 09:30.")
    actions.schedule(actor=user, article=article, at=at)
    return f"Scheduled: goes live {timezone.localtime(at):%Y-%m-%d %H:%M}."


def _unpublish(user, article, post) -> str:
    actions.unpublish(actor=user, article=article)
    return "Unpublished: back to draft."


def _archive(user, article, post) -> str:
    actions.archive(actor=user, article=article)
    return "Archived."


# The desk's buttons (state_buttons): name → (user, article, POST) → the message once done.
STATE_CHANGES = {
    "submit": _submit,
    "approve": _approve,
    "publish": _publish,
    "schedule": _schedule,
    "unpublish": _unpublish,
    "archive": _archive,
}


def _discard(user, article, named: tuple) -> str:
    draft_id, draft_version = named
    actions.discard_draft(actor=user, article=article, draft_version=draft_version, draft_id=draft_id)
    return "The working draft is discarded; the live story is as it was."


def _unschedule(user, article, named: tuple) -> str:
    draft_id, draft_version = named
    actions.unschedule_draft(actor=user, article=article, draft_version=draft_version, draft_id=draft_id)
    return "The scheduled changes will not go live by themselves; they stay in the working draft."


# The working draft's buttons on a live story: name → (user, article, (draft id, version)) → message.
DRAFT_CHANGES = {"discard": _discard, "unschedule": _unschedule}


class EditorialViews:
    """Mixed into ArticleAdmin: the desk's extra URLs and the context its change form shows."""

    def desk_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(self.calendar_view), name="articles_article_calendar"),
            path("<path:object_id>/state/<str:name>/", wrap(self.state_view), name="articles_article_state"),
            path("<path:object_id>/revisions/", wrap(self.revisions_view), name="articles_article_revisions"),
            path("<path:object_id>/revisions/compare/", wrap(self.compare_view), name="articles_article_compare"),
            path(
                "<path:object_id>/revisions/<int:number>/preview/",
                wrap(self.revision_preview_view),
                name="articles_article_revision_preview",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/draft/preview/",
                wrap(self.draft_preview_view),
                name="articles_article_draft_preview",
            ),
            path("<path:object_id>/draft/<str:name>/", wrap(self.draft_view), name="articles_article_draft"),
            path("<path:object_id>/share/", wrap(self.share_view), name="articles_article_share"),
            path("<path:object_id>/correct/", wrap(self.correct_view), name="articles_article_correct"),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                wrap(self.revoke_view),
                name="articles_article_revoke_share",
            ),
        ]

    def desk_context(self, request, article: Article) -> dict:
        user = request.user
        links = []
        if user.has_perm("articles.view_previewlink"):
            links = list(article.preview_links.select_related("revision").order_by("-created_at")[:20])
        return {
            "state_buttons": state_buttons(user, article),
            "can_view_history": can_view_history(user, article),
            "can_share": user.has_perm("articles.add_previewlink"),
            "can_revoke": user.has_perm("articles.change_previewlink"),
            "share_links": links,
            "corrections": list(article.corrections.all()),
            "can_correct": actions.can_publish(user) and article.is_live(),
            "correction_kinds": Correction.Kind.choices,
            "now": timezone.now(),
            "schedule_default": article.published_at
            if article.published_at and article.published_at > timezone.now()
            else None,
        }

    def _article(self, request, object_id) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _change_url(self, article: Article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    def _page(self, request, template: str, article: Article | None, title: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "original": article,
            "article": article,
            **context,
        }
        return TemplateResponse(request, f"admin/articles/article/{template}", context)

    # State --------------------------------------------------------------------------------------

    def state_view(self, request, object_id, name):
        """POST: submit, publish (now), schedule (at a given moment), unpublish or archive."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        change = STATE_CHANGES.get(name)
        try:
            if change is None:
                raise ValidationError(f"Unknown state change “{name}”.")
            done = change(request.user, article, request.POST)
        except ValidationError as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

    def draft_view(self, request, object_id, name):
        """POST: discard a live story's working draft, or cancel its scheduled publication
        (the draft's version as the form was opened at: a draft changed since is left alone)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        change = DRAFT_CHANGES.get(name)
        try:
            if change is None:
                raise ValidationError(f"Unknown change to the working draft “{name}”.")
            named = (request.POST.get("draft_id", ""), request.POST.get("draft_version", ""))
            done = change(request.user, article, tuple(int(v) if v.isdigit() else None for v in named))
        except (ValidationError, PermissionDenied, actions.StaleDraft, WorkingDraft.DoesNotExist) as exc:
            self.message_user(request, f"Nothing was changed: {error_text(exc)}", messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

    # Revisions ----------------------------------------------------------------------------------

    def _history_article(self, request, object_id) -> Article:
        article = self._article(request, object_id)
        if not can_view_history(request.user, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, object_id):
        article = self._history_article(request, object_id)
        revisions = list(article.revisions.select_related("created_by").order_by("-number"))
        return self._page(
            request,
            "revisions.html",
            article,
            f"History of “{article.title}”",
            revisions=revisions,
            imported=bool(article.legacy_key or article.legacy_id),
            line_from_chain=bool(revisions and signoff_line(revisions[0].chain)),
            can_restore=actions.can_edit(request.user, article),
            can_share=request.user.has_perm("articles.add_previewlink"),
        )

    def compare_view(self, request, object_id):
        """Side-by-side diff of revisions ?a= and ?b= (older first whatever the order given)."""
        article = self._history_article(request, object_id)
        try:
            numbers = sorted({int(request.GET["a"]), int(request.GET["b"])})
            if not all(is_storable_id(number) for number in numbers):
                raise ValueError("no revision has so large a number")
        except (KeyError, ValueError):
            self.message_user(request, "Choose two revisions to compare.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        found = {r.number: r for r in article.revisions.filter(number__in=numbers)}
        if len(found) != len(numbers) or len(numbers) != 2:
            self.message_user(request, "Choose two different revisions of this article.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        old, new = found[numbers[0]], found[numbers[1]]
        table = diff_table(old.data, new.data, old_label=f"Revision {old.number}", new_label=f"Revision {new.number}")
        return self._page(
            request,
            "compare.html",
            article,
            f"Revisions {old.number} and {new.number} of “{article.title}”",
            old=old,
            new=new,
            diff=table,
        )

    def revision_preview_view(self, request, object_id, number):
        article = self._history_article(request, object_id)
        revision = get_object_or_404(Revision, article=article, number=number)
        return preview.render_revision(request, revision)

    def draft_preview_view(self, request, object_id):
        """The public page as it will read once the working draft is published (its live state
        and timeline kept); for the desk only, never stored by any cache."""
        article = self._history_article(request, object_id)
        draft = get_object_or_404(WorkingDraft, article=article)
        unsaved = Revision(article=article, number=0, data={**snapshot(article), **draft.data})
        return preview.render_revision(request, unsaved)

    def restore_view(self, request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        revision = get_object_or_404(Revision, article=article, number=number)
        try:
            actions.restore_revision(actor=request.user, article=article, revision=revision)
        except ValidationError as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
        else:
            self.message_user(request, f"Revision {number} restored as a new revision.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

    # Share links --------------------------------------------------------------------------------

    def share_view(self, request, object_id):
        """POST: a new share link for the newest revision (or ?revision=n)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        revision = None
        if request.POST.get("revision"):
            revision = get_object_or_404(Revision, article=article, number=request.POST["revision"])
        try:
            link = preview.create_link(actor=request.user, article=article, revision=revision)
        except ValidationError as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
        else:
            url = absolute_url(reverse("shared-preview", args=[link.token]), request)
            self.message_user(
                request,
                f"Share link (valid until {timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}): {url}",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(article))

    def correct_view(self, request, object_id):
        """POST: publish a correction, clarification or update of the live story (kind, text)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        kind = request.POST.get("kind", "")
        try:
            actions.add_correction(actor=request.user, article=article, kind=kind, text=request.POST.get("text", ""))
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was published: {error_text(exc)}", messages.ERROR)
        else:
            label = dict(Correction.Kind.choices)[kind]
            self.message_user(
                request, f"{label} published: it shows on the story and at /corrections/.", messages.SUCCESS
            )
        return HttpResponseRedirect(self._change_url(article) + "#corrections")

    def revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        preview.revoke_link(actor=request.user, link=link)
        self.message_user(request, "Share link revoked.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(article))

    # Calendar -----------------------------------------------------------------------------------

    def calendar_view(self, request):
        """What goes live, comes out of embargo or expires in the next ?days= days (7 by default)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            days = min(max(int(request.GET.get("days", 7)), 1), CALENDAR_MAX_DAYS)
        except ValueError:
            days = 7
        now = timezone.now()
        return self._page(
            request,
            "calendar.html",
            None,
            f"Editors’ calendar: the next {days} days",
            days=days,
            day_choices=[1, 7, 14, 30, 90],
            **calendar_entries(now, now + timedelta(days=days)),
        )


def calendar_entries(start: datetime, end: datetime) -> dict:
    """The timeline between `start` and `end`: events grouped by local day, and current embargoes.

    Events: "goes live" (a published article's future dateline), "embargo ends" (any article
    whose embargo lifts), "expires" (a published article leaving the site). Three queries at most.
    """
    published = Article.Status.PUBLISHED
    in_window = (
        Q(status=published, published_at__gt=start, published_at__lte=end)
        | Q(embargo_until__gt=start, embargo_until__lte=end)
        | Q(status=published, expires_at__gt=start, expires_at__lte=end)
    )
    events = []
    for article in Article.objects.filter(in_window).select_related("section"):
        for label, moment, applies in [
            ("goes live", article.published_at, article.status == published),
            ("embargo ends", article.embargo_until, True),
            ("expires", article.expires_at, article.status == published),
        ]:
            if applies and moment and start < moment <= end:
                events.append((moment, label, article))
    events.sort(key=lambda event: (event[0], event[2].pk))
    days: dict = {}
    for moment, label, article in events:
        days.setdefault(timezone.localtime(moment).date(), []).append(
            {"moment": moment, "label": label, "article": article}
        )
    embargoed = list(
        Article.objects.filter(embargo_until__gt=start)
        .exclude(status=Article.Status.ARCHIVED)
        .select_related("section")
        .order_by("embargo_until")
    )
    return {"by_day": sorted(days.items()), "embargoed": embargoed}
