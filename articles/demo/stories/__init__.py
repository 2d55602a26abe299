"""The demo's stories: fictional wire copy written for this project.

`STORIES` are written through the editorial actions; `LEGACY_PAGES` are written as legacy page
files (with `articles.legacy.synthetic`) and brought in through the real importer, the way the
archive arrives. Times are hours before the first `load_demo`; a story's `related` names other
stories by key, in editorial order. `picture` is a motif of `articles.demo.pictures` (None: a
text-only story).

The stories are kept one module per section of the demo site; this package puts them together
in the order the demo has always loaded them.
"""

from articles.demo.stories.business import BUSINESS
from articles.demo.stories.culture import CULTURE
from articles.demo.stories.health import HEALTH
from articles.demo.stories.kinds import LegacyStory, Story
from articles.demo.stories.legacy import LEGACY_LEAD, LEGACY_PAGES
from articles.demo.stories.science import SCIENCE
from articles.demo.stories.sport import SPORT
from articles.demo.stories.world import WORLD

STORIES = WORLD + BUSINESS + SCIENCE + HEALTH + SPORT + CULTURE

__all__ = ["LEGACY_LEAD", "LEGACY_PAGES", "STORIES", "LegacyStory", "Story"]
