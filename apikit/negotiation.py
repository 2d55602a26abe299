"""Content negotiation for an API that answers JSON only."""

from types import SimpleNamespace

from rest_framework.negotiation import DefaultContentNegotiation


class QueryFormatFreeNegotiation(DefaultContentNegotiation):
    """Content negotiation that leaves `?format=` alone: the API answers JSON only, and on the
    related list `format=legacy` names the legacy shape, not a renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)
