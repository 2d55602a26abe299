"""API routes for working together on a story: presence, notes and autosave (issue #16)."""

urlpatterns: list = []
