"""The change form's working-together parts: presence, take-over, autosave and notes.

`together_context` adds what their templates need (together_panel.html, notes_panel.html,
together_scripts.html); `together_urls` their desk views (articles.desk.together_views).

Opening a story's form (a GET) checks the person in server-side, so the others see them and
they see the others without any script; static/desk/together.js then calls in every few
seconds, shows who comes and goes, tells them when someone takes the story over, autosaves
what they type and offers it back.
"""

from django.conf import settings
from django.urls import path, reverse

from articles import actions
from articles.desk.together_autosave import autosave_offer
from articles.desk.together_notes import threads
from articles.desk.together_views import TogetherViews
from articles.signoffs import person

HEARTBEAT_SECONDS = 5
AUTOSAVE_IDLE_SECONDS = 2


def _check_in_on_opening(request, article) -> None:
    """Opening the form starts a new stay, behind whoever is in; but the holder reopening it
    (after their own save, say) keeps the story."""
    if request.method == "GET":
        holding = getattr(actions.holder(actions.present(article)), "pk", None) == request.user.pk
        actions.check_in(actor=request.user, article=article, opening=not holding)


def presence_context(request, article) -> dict:
    """Who else has `article` open, who holds it, and whether the viewer was taken over."""
    user = request.user
    _check_in_on_opening(request, article)
    rows = actions.present(article)
    by_user = {row.user_id: row for row in rows}
    holder = actions.holder(rows)
    mine = by_user.get(user.pk)
    return {
        "others": [row for row in rows if row.user_id != user.pk],
        "holder_row": by_user[holder.pk] if holder is not None and holder.pk != user.pk else None,
        "taken_over": mine if getattr(mine, "taken_over_by_id", None) is not None else None,
        "may_take_over": actions.can_edit(user, article),
        "presence_url": reverse("article-presence", kwargs={"id": article.pk}),
        "take_over_url": reverse("admin:articles_article_take_over", args=[article.pk]),
    }


def autosave_context(request, article) -> dict:
    """Where the form's script autosaves, and the offer of unsaved text (GET only)."""
    if article is None:
        may = request.user.has_perm("articles.add_article")
        url = reverse("admin:articles_article_autosave_new")
        discard_url = url
    else:
        may = actions.can_edit(request.user, article)
        url = reverse("article-autosave", kwargs={"id": article.pk})
        discard_url = reverse("admin:articles_article_discard_autosave", args=[article.pk])
    if not may:
        return {}
    offer = autosave_offer(request.user, article) if request.method == "GET" else None
    return {"autosave_url": url, "discard_url": discard_url, "offer": offer}


def notes_context(request, article) -> dict:
    if not actions.may_read_notes(request.user):
        return {}
    return {"notes": threads(article), "note_url": reverse("admin:articles_article_note", args=[article.pk])}


def together_context(request, article) -> dict:
    """Everything the working-together templates show, under `together` (and `notes_panel`)."""
    user = request.user
    if not user.has_perm("articles.view_article"):
        return {}
    together = {
        "me": person(user),
        "time_zone": settings.TIME_ZONE,
        "heartbeat_ms": HEARTBEAT_SECONDS * 1000,
        "idle_ms": AUTOSAVE_IDLE_SECONDS * 1000,
        **autosave_context(request, article),
    }
    context = {"together": together}
    if article is not None:
        together.update(presence_context(request, article))
        together["article_id"] = article.pk
        context["notes_panel"] = notes_context(request, article)
    return context


def together_urls(model_admin) -> list:
    """The desk views above, as URLs of the article admin (before its `<object_id>/` routes)."""
    views = TogetherViews(model_admin)
    wrap = model_admin.admin_site.admin_view
    return [
        path("autosave/new/", wrap(views.new_story_autosave), name="articles_article_autosave_new"),
        path("<path:object_id>/take-over/", wrap(views.take_over), name="articles_article_take_over"),
        path("<path:object_id>/notes/add/", wrap(views.add_note), name="articles_article_note"),
        path(
            "<path:object_id>/autosave/discard/",
            wrap(views.discard_autosave),
            name="articles_article_discard_autosave",
        ),
    ]
