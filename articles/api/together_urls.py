"""API routes for working together on a story: presence, notes and autosave (issue #16).

Included from newsroom/api.py under /api/v1/, beside the router's article routes. Ids too large
for an id column do not match (`<id:…>`), so such URLs get the API's JSON 404.
"""

from django.urls import path

import urlkit.converters  # noqa: F401 (registers the `id` converter)
from articles.api.together_autosave import AutosaveView
from articles.api.together_notes import NotesView
from articles.api.together_presence import PresenceView, TakeOverView

urlpatterns = [
    path("articles/<id:id>/presence/", PresenceView.as_view(), name="article-presence"),
    path("articles/<id:id>/presence/take-over/", TakeOverView.as_view(), name="article-take-over"),
    path("articles/<id:id>/notes/", NotesView.as_view(), name="article-notes"),
    path("articles/<id:id>/autosave/", AutosaveView.as_view(), name="article-autosave"),
]
