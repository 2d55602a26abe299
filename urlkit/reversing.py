"""`reverse()` for the URL names a page makes dozens of times (articles, sections, renditions).

reverse() matches the name against the URLconf on every call, which costs more than the rest
of a link. A QuickReverse reverses sample values once per script prefix and URLconf, keeps
the URL as literal pieces around the arguments, and afterwards only quotes the new values
into it, as reverse() does (the same characters are left unquoted). Values reverse() might
refuse take the slow path, so they fail the same way: an empty value, or a "/" in an argument
whose converter does not accept one (only `path_args` do), or a non-int for an int sample.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# What django.urls.resolvers leaves unquoted in a reversed URL (RFC 3986 sub-delims, / ~ : @).
_SAFE = "!$&'()*+,;=/~:@"


class QuickReverse:
    def __init__(self, name: str, samples: dict, path_args: tuple = ()):
        """`samples`: one value per URL argument, each unlike the rest of the URL (it is found
        in the reversed sample URL to cut it into pieces)."""
        self.name = name
        self.samples = samples
        self.path_args = frozenset(path_args)
        self._pieces: dict[tuple, tuple | None] = {}

    def _pieces_for_urlconf(self):
        key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if key not in self._pieces:
            self._pieces[key] = self._cut(reverse(self.name, kwargs=self.samples))
        return self._pieces[key]

    def _cut(self, url: str) -> tuple | None:
        """(literal, argument name, literal, …, literal) or None when the samples can't be found."""
        if any(url.count(str(sample)) != 1 for sample in self.samples.values()):
            return None
        pieces, rest = [], url
        for name, sample in sorted(self.samples.items(), key=lambda item: url.find(str(item[1]))):
            before, _, rest = rest.partition(str(sample))
            pieces += [before, name]
        return (*pieces, rest)

    def __call__(self, **kwargs) -> str:
        pieces = self._pieces_for_urlconf()
        if pieces is None:
            return reverse(self.name, kwargs=kwargs)
        parts = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                parts.append(piece)
                continue
            value = kwargs[piece]
            if isinstance(self.samples[piece], int) and not isinstance(value, int):
                return reverse(self.name, kwargs=kwargs)
            value = str(value)
            if not value or ("/" in value and piece not in self.path_args):
                return reverse(self.name, kwargs=kwargs)
            parts.append(quote(value, safe=_SAFE))
        return "".join(parts)
