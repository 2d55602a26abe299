"""The two shapes of a demo story: one written through the editorial actions, one as a legacy page."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Story:
    key: str
    crumbs: tuple[str, ...]
    kind: str  # text, photo or video
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    signoff: str
    tags: tuple[str, ...]
    hours_ago: int
    picture: str | None = "landscape"
    language: str = "en"
    related: tuple[str, ...] = ()
    caption: str = ""  # a video's second caption cue


@dataclass(frozen=True)
class LegacyStory:
    key: str
    title: str  # as the legacy page prints it, "VIDEO:" label included
    paragraphs: tuple[str, ...]
    signoff: str
    hours_ago: int
    picture: str | None = "town"
    related: tuple[str, ...] = field(default=())
    crumbs: tuple[str, ...] = ("World", "Middle East", "Iraq")
