"""The desk's doors for working together that work without JavaScript: take a story over, add
a note or a reply, discard autosaved text (each a POST that redirects back to the form), and
the autosave of a story not saved yet (PUT from the form's script; stories already saved use
the API's /api/v1/articles/<id>/autosave/).

Each view checks the role first and changes rows only through `articles.actions`.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from articles import actions
from articles.models import Note
from urlkit.converters import is_storable_id


def error_text(exc: Exception) -> str:
    messages_ = getattr(exc, "messages", None)
    return messages_[0] if messages_ else (str(exc) or "Not allowed.")


class TogetherViews:
    """Views for the article admin (`model_admin`), added by `together.together_urls`."""

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def _article(self, request, object_id):
        if request.method != "POST":
            raise Http404("Only a form's button reaches this page.")
        article = self.model_admin.get_object(request, object_id)
        if article is None or not self.model_admin.has_view_permission(request, article):
            raise Http404("No such article.")
        return article

    def _back(self, article, anchor: str = "") -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + anchor)

    def take_over(self, request, object_id):
        article = self._article(request, object_id)
        try:
            actions.take_over(actor=request.user, article=article)
        except PermissionDenied as exc:
            messages.error(request, f"Not taken over: {error_text(exc)}")
        else:
            messages.success(request, "You have taken this story over; the others who had it open are told.")
        return self._back(article)

    def add_note(self, request, object_id):
        article = self._article(request, object_id)
        parent = None
        parent_id = request.POST.get("parent", "")
        if parent_id.isdigit() and is_storable_id(int(parent_id)):
            parent = Note.objects.filter(pk=int(parent_id)).first()
        try:
            body = request.POST.get("body", "")
            note = actions.add_note(actor=request.user, article=article, body=body, parent=parent)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, f"The note was not added: {error_text(exc)}")
            return self._back(article, "#notes")
        return self._back(article, f"#note-{note.pk}")

    def discard_autosave(self, request, object_id):
        article = self._article(request, object_id)
        actions.discard_autosave(actor=request.user, article=article)
        messages.info(request, "Your unsaved text was discarded.")
        return self._back(article)

    def new_story_autosave(self, request):
        """PUT: keep the add form's typed fields; POST (the Discard button): forget them."""
        if request.method == "POST":
            actions.discard_autosave(actor=request.user, article=None)
            messages.info(request, "Your unsaved text was discarded.")
            return HttpResponseRedirect(reverse("admin:articles_article_add"))
        if request.method != "PUT":
            return HttpResponseNotAllowed(["PUT", "POST"])
        try:
            body = json.loads(request.body or b"{}")
            data, base_version = body.get("data"), None
            saved = actions.autosave(actor=request.user, article=None, data=data, base_version=base_version)
        except (ValueError, AttributeError):
            return JsonResponse({"detail": 'Send a JSON object: {"data": {field name: text}}.'}, status=400)
        except PermissionDenied as exc:
            return JsonResponse({"detail": error_text(exc)}, status=403)
        except ValidationError as exc:
            return JsonResponse({"detail": error_text(exc)}, status=400)
        return JsonResponse({"saved_at": saved.saved_at.isoformat()})
