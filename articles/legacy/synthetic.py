"""Synthetic pages in the legacy page format, for tests, benchmarks and the demo.

    python -m articles.legacy.synthetic OUT_DIR --count 1000 [--seed 7] [--related 10]
        [--start 2024-01-01T08:00:00 | --end 2024-06-30T18:00:00] [--step 3600] [--growth 4]
        [--zone Asia/Tehran]

Each page is what `articles.legacy.parser` reads: a breadcrumb, a title (sometimes labelled
"VIDEO:" or "PHOTOS:"), a dateline in the legacy site's local time, paragraphs, a desk sign-off
and, on most pages, the related list as a PHP `var_dump` of a JSON array. Related items always
name earlier pages of the same run, by legacy id and exact title, with a picture path, so
importing every page resolves every link and gives every referenced page a lead picture.

Alongside the pages, `index.json` holds the ground truth, oldest page first:
`[{"file", "legacy_id", "title", "published", "related"}, ...]` (`published` is the naive local
dateline in ISO form, `related` the legacy ids the page lists).

Times: pages are spaced `step` seconds apart on average, and like a real archive the recent
past is denser than the distant one: gaps shrink steadily through the run, the first ones
`--growth` times (default 4) as long as the last (each gap is drawn between half and one and a
half times its share; `--growth 1` spaces them evenly). Without `--start`, the run ends at
`--end`, by default at midnight that began today in `--zone`, so every page lies in the past and
a run repeats byte for byte all day; the default step shrinks for long runs so even a million
pages stay within about ten years. The same seed and times give the same bytes.

Titles are unique by construction (each page takes its own number in a shuffled enumeration of
every title the vocabulary can make), so nothing has to remember the titles already used and
memory stays flat however many pages are written. Standard library only: this module must run
without Django (`bench/` starts it as a separate process).
"""

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from articles.legacy.synthetic_vocabulary import (
    ACTORS,
    COUNTRY_ADJ,
    DEEDS,
    NUMBERS,
    OFFICIALS,
    PLACES,
    SENTENCES,
    SIGNOFFS,
    THINGS,
    TITLE_SPACE,
    TOPICS,
    TOWNS,
)

DEFAULT_ZONE = "Asia/Tehran"  # the legacy site's clock (the default of settings.TIME_ZONE)
DEFAULT_STEP = 3 * 3600
DEFAULT_SPAN = 10 * 365 * 86400  # long runs are squeezed into about this many seconds
TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000  # .NET ticks (100 ns since year 1) at 1970-01-01
DEFAULT_GROWTH = 4.0  # the first gaps of a run are this many times as long as the last ones
WINDOW = 150  # related items are drawn from this many immediately preceding pages

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Reference:
    """An entry of a page's related list: the page it names, as the legacy site listed it."""

    legacy_id: int
    sort: int
    title: str  # the raw title, with any "VIDEO:" label
    pic: str = ""


@dataclass
class Page:
    """One legacy page, ready to be written."""

    crumbs: list[str]
    title: str  # the raw title, with any "VIDEO:" / "PHOTOS:" label
    published: datetime  # naive, in the legacy site's local time
    paragraphs: list[str]
    signoff: str = ""
    related: list[Reference] = field(default_factory=list)


def dateline(moment: datetime) -> str:
    """`Thu Mar 24, 2016 14:18:09`, whatever the locale."""
    return (
        f"{WEEKDAYS[moment.weekday()]} {MONTHS[moment.month - 1]} {moment.day:02d}, {moment.year} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def item_json(reference: Reference) -> str:
    """One related item as the legacy JSON wrote it: every value a string, no spaces."""
    return json.dumps(
        {
            "id": str(reference.legacy_id),
            "sort": str(reference.sort),
            "contenttypeid": "21",
            "pic": reference.pic,
            "title": reference.title,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def related_dump(items: list[str]) -> str:
    """The related list as the legacy site printed it, `string(N) "[{…} ,{…} ]"` with N its
    length in bytes, from items already encoded by `item_json`."""
    payload = "[" + " ,".join(items) + " ]"
    return f'string({len(payload.encode())}) "{payload}"'


def page_text(page: Page, encoded_related: list[str] | None = None) -> str:
    """The page file's text: blank-line separated parts, the related list last.

    `encoded_related` saves re-encoding items a long run has encoded once already.
    """
    parts = [" \u2013 ".join(page.crumbs), page.title, dateline(page.published), *page.paragraphs]
    if page.signoff:
        parts.append(page.signoff)
    if page.related:
        parts.append(related_dump(encoded_related or [item_json(r) for r in page.related]))
    return "\n\n".join(parts) + "\n"


def write_page(path: Path, page: Page, encoded_related: list[str] | None = None) -> None:
    with open(path, "wb") as file:
        file.write(page_text(page, encoded_related).encode())


def media_path(published_utc: datetime, video: bool, rng: random.Random) -> str:
    """A legacy picture path, `/YYYY/MM/DD/wire_<.NET ticks>_16x9.jpg`, uploaded shortly before publication."""
    uploaded = published_utc - timedelta(seconds=rng.randint(300, 5400))
    seconds = int((uploaded - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())
    ticks = TICKS_AT_UNIX_EPOCH + seconds * 10_000_000 + rng.randrange(10_000_000)
    return f"/{uploaded:%Y/%m/%d}/wire_{ticks}_16x9.{'mp4' if video else 'jpg'}"


def default_step(count: int) -> int:
    """Seconds between pages on average: three hours, less when that would span over ten years."""
    return max(2, min(DEFAULT_STEP, DEFAULT_SPAN // max(count, 1)))


def default_end(zone: ZoneInfo, now: datetime | None = None) -> datetime:
    """The midnight that began today in `zone`, naive: in the past, and the same all day."""
    local = (now or datetime.now(UTC)).astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)


def gap_shares(count: int, growth: float):
    """The share of the average step each of the `count - 1` gaps takes: falling in a straight
    line from `2g / (1 + g)` to `2 / (1 + g)` (g = growth), so they average one and the first is
    g times the last: more pages a day the nearer the run comes to its end."""
    gaps = count - 1
    first, last = 2 * growth / (1 + growth), 2 / (1 + growth)
    for n in range(gaps):
        yield first + (last - first) * (n / (gaps - 1) if gaps > 1 else 0.0)


def timeline(
    count: int,
    *,
    seed: int,
    step: int,
    start: datetime | None = None,
    end: datetime | None = None,
    growth: float = DEFAULT_GROWTH,
):
    """The `count` naive datelines, oldest first: from `start`, or ending exactly at `end`.

    Gaps come from their own random stream, so the same seed gives the same spacing whatever
    else the pages draw; each is drawn between half and one and a half times its share of
    `step` (`gap_shares`). Ending at `end` takes two passes over that stream (the first only
    adds up the gaps), so no list of a million times is ever held.
    """
    if (start is None) == (end is None):
        raise ValueError("give exactly one of start and end")
    if growth < 1:
        raise ValueError("growth must be at least 1")
    low, high = max(1, step // 2), max(1, step + step // 2)

    def gaps():
        rng = random.Random(f"{seed}:gaps")
        for share in gap_shares(count, growth):
            yield max(1, round(rng.randint(low, high) * share))

    if start is None:
        start = end - timedelta(seconds=sum(gaps()))
    moment = start
    yield moment
    for gap in gaps():
        moment += timedelta(seconds=gap)
        yield moment


def title_for(number: int, multiplier: int, offset: int) -> tuple[str, str, str]:
    """The `number`th title of a shuffled enumeration of every title: (title, country, town).

    `number → (number × multiplier + offset) mod TITLE_SPACE` is one-to-one when the multiplier
    shares no factor with TITLE_SPACE, so different numbers never give the same title.
    """
    index = (number * multiplier + offset) % TITLE_SPACE
    index, actor = divmod(index, len(ACTORS))
    index, deed = divmod(index, len(DEEDS))
    index, amount = divmod(index, len(NUMBERS))
    index, thing = divmod(index, len(THINGS))
    country, town = TOWNS[index]
    title = f"{ACTORS[actor]} {DEEDS[deed]} {NUMBERS[amount]} {THINGS[thing]} in {town}"
    return title, country, town


def _paragraphs(rng: random.Random, country: str, town: str, published: datetime) -> list[str]:
    slots = {
        "actor": rng.choice(ACTORS),
        "town": town,
        "other_town": rng.choice(PLACES[country]),
        "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[published.weekday()],
        "n": rng.randint(2, 40),
        "things": rng.choice(THINGS).lower(),
        "weeks": rng.randint(2, 9),
        "official": rng.choice(OFFICIALS),
        "pct": rng.randint(15, 85),
        "bids": rng.randint(3, 19),
        "country_adj": COUNTRY_ADJ[country],
    }
    slots["official_cap"] = slots["official"][0].upper() + slots["official"][1:]
    chosen = rng.sample(SENTENCES, rng.randint(4, 9))
    paragraphs, sentences = [], iter(chosen)
    for sentence in sentences:
        text = sentence.format(**slots)
        if rng.random() < 0.4:
            following = next(sentences, None)
            if following:
                text += " " + following.format(**slots)
        paragraphs.append(text[0].upper() + text[1:])
    return paragraphs


@dataclass
class Summary:
    count: int
    first: datetime | None
    last: datetime | None


def generate(
    out_dir: Path | str,
    count: int,
    *,
    seed: int = 7,
    related: int = 10,
    start: datetime | None = None,
    end: datetime | None = None,
    step: int | None = None,
    zone: str = DEFAULT_ZONE,
    growth: float = DEFAULT_GROWTH,
) -> Summary:
    """Write `count` pages and `index.json` into `out_dir` (created if missing); see the module doc."""
    check_arguments(count, related=related, start=start, end=end, step=step, growth=growth)
    tz = ZoneInfo(zone)
    step = step or default_step(count)
    if start is None:
        end = end or default_end(tz)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(out, random.Random(seed), count=count, related=related, zone=tz)
    first = last = None
    with open(out / "index.json", "w", encoding="utf-8") as index:
        index.write("[")
        for number, published in enumerate(timeline(count, seed=seed, step=step, start=start, end=end, growth=growth)):
            first = first or published
            last = published
            entry = run.write(number, published)
            index.write(("\n" if number == 0 else ",\n") + json.dumps(entry, ensure_ascii=False))
        index.write("\n]\n")
    return Summary(count=count, first=first, last=last)


def check_arguments(
    count: int,
    *,
    related: int,
    start: datetime | None,
    end: datetime | None,
    step: int | None,
    growth: float = DEFAULT_GROWTH,
):
    """Refuse (ValueError) what `generate` cannot do."""
    if count < 0:
        raise ValueError("count must not be negative")
    if count > TITLE_SPACE:
        raise ValueError(f"at most {TITLE_SPACE:,} pages have distinct titles; {count:,} were asked for")
    if related < 0:
        raise ValueError("related must not be negative")
    if step is not None and step < 1:
        raise ValueError("step must be at least one second")
    if start is not None and end is not None:
        raise ValueError("give a start or an end, not both")
    if not growth >= 1:
        raise ValueError("growth must be at least 1 (1 spaces the pages evenly)")


def title_permutation(rng: random.Random) -> tuple[int, int]:
    """(multiplier, offset) for `title_for`: the multiplier shares no factor with TITLE_SPACE."""
    multiplier = rng.randrange(TITLE_SPACE // 3, TITLE_SPACE)
    while math.gcd(multiplier, TITLE_SPACE) != 1:
        multiplier += 1
    return multiplier, rng.randrange(TITLE_SPACE)


class _Run:
    """The pages of one `generate` run, written one by one from one random stream.

    The order of the draws from `rng` is what makes a seed give the same bytes: keep it.
    """

    def __init__(self, out: Path, rng: random.Random, *, count: int, related: int, zone: ZoneInfo):
        self.out = out
        self.rng = rng
        self.related = related
        self.zone = zone
        self.multiplier, self.offset = title_permutation(rng)
        self.recent: list[tuple[Reference, str]] = []  # the latest pages, each with its related item encoded
        self.width = max(6, len(str(max(count - 1, 0))))

    def write(self, number: int, published: datetime) -> dict:
        """Write the `number`th page; its entry in `index.json`."""
        rng = self.rng
        title, country, town = title_for(number, self.multiplier, self.offset)
        title, video = _labelled(title, rng.random())
        crumbs = [country, rng.choice(TOPICS)] + ([town] if rng.random() < 0.8 else [])
        chosen = self._choose_related()
        page = Page(
            crumbs=crumbs,
            title=title,
            published=published,
            paragraphs=_paragraphs(rng, country, town, published),
            signoff=rng.choice(SIGNOFFS),
            related=[reference for reference, _ in chosen],  # `recent` is in sort order already
        )
        name = f"page_{number:0{self.width}d}.txt"
        write_page(self.out / name, page, [encoded for _, encoded in chosen])
        reference = self._remember(number, title, published, video)
        return {
            "file": name,
            "legacy_id": str(reference.legacy_id),
            "title": title,
            "published": published.isoformat(),
            "related": [str(r.legacy_id) for r in page.related],
        }

    def _choose_related(self) -> list[tuple[Reference, str]]:
        """Up to `related` of the last WINDOW pages, in their order."""
        window = self.recent[-WINDOW:]
        size = min(len(window), self.rng.randint(0, self.related))
        return [window[i] for i in sorted(self.rng.sample(range(len(window)), size))]

    def _remember(self, number: int, title: str, published: datetime, video: bool) -> Reference:
        """How later pages name this one (with a picture uploaded shortly before it)."""
        utc = published.replace(tzinfo=self.zone).astimezone(UTC)
        reference = Reference(
            legacy_id=2_100_000 + number * 5 + self.rng.randrange(5),
            sort=4_000_000 + number,
            title=title,
            pic=media_path(utc, video, self.rng),
        )
        self.recent.append((reference, item_json(reference)))
        if len(self.recent) > 4 * WINDOW:
            del self.recent[:-WINDOW]
        return reference


def _labelled(title: str, draw: float) -> tuple[str, bool]:
    """(the title, labelled "VIDEO:" for a fifth of the pages and "PHOTOS:" for a few; whether a video)."""
    if draw < 0.2:
        return "VIDEO: " + title, True
    if draw > 0.96:
        return "PHOTOS: " + title, False
    return title, False


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date and time like 2024-03-01T08:00:00") from None
    if moment.tzinfo is not None:
        raise argparse.ArgumentTypeError(f"“{text}” has a UTC offset; give the local time of --zone instead")
    return moment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m articles.legacy.synthetic",
        description="Write synthetic pages in the legacy page format, and index.json, into OUT_DIR.",
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000, help="how many pages (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="the same seed and times give the same bytes")
    parser.add_argument("--related", type=int, default=10, help="at most this many related items a page")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--start", type=_moment, help="dateline of the first page (local time of --zone)")
    when.add_argument("--end", type=_moment, help="dateline of the last page (default: today's midnight in --zone)")
    parser.add_argument(
        "--step", type=int, help="average seconds between pages (default: 3 hours, less for runs longer than ten years)"
    )
    parser.add_argument(
        "--growth",
        type=float,
        default=DEFAULT_GROWTH,
        help=f"how many times as long the first gaps are as the last (default {DEFAULT_GROWTH:g}; 1: even spacing)",
    )
    parser.add_argument("--zone", default=DEFAULT_ZONE, help=f"the legacy site's time zone (default {DEFAULT_ZONE})")
    args = parser.parse_args(argv)
    try:
        summary = generate(
            args.out_dir,
            args.count,
            seed=args.seed,
            related=args.related,
            start=args.start,
            end=args.end,
            step=args.step,
            zone=args.zone,
            growth=args.growth,
        )
    except ZoneInfoNotFoundError:
        parser.error(f"unknown time zone “{args.zone}”")
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    if summary.count:
        print(f"{summary.count:,} pages in {args.out_dir}, datelines {summary.first} to {summary.last} ({args.zone})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
