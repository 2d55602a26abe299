"""The change form's working-together parts: presence, take-over, autosave and notes.

`together_context` adds what their templates need; `together_urls` their desk views.
"""


def together_context(request, article) -> dict:
    return {}


def together_urls(model_admin) -> list:
    return []
