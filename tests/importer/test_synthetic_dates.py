"""The synthetic archive's datelines look like a real archive's: all in the past, spread over
years, busier in recent years than long ago, and the same for the same seed."""

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from articles.legacy import synthetic

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def datelines(count: int, seed: int = 7, **options) -> list[datetime]:
    end = synthetic.default_end(ZoneInfo(settings.TIME_ZONE), NOW)
    step = options.pop("step", synthetic.default_step(count))
    return list(synthetic.timeline(count, seed=seed, step=step, end=end, **options))


def test_a_large_run_spreads_over_years_with_recent_years_busier():
    times = datelines(200_000)
    now_local = NOW.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
    assert all(a <= b for a, b in zip(times, times[1:], strict=False))
    assert times[-1] <= now_local
    years = Counter(moment.year for moment in times)
    assert (times[-1] - times[0]).days > 8 * 365
    full_years = sorted(years)[1:-1]  # the first and the current year are partial
    counts = [years[year] for year in full_years]
    assert counts == sorted(counts), f"pages a year should grow towards the present: {counts}"
    assert counts[-1] > 1.8 * counts[0]


def test_the_same_seed_gives_the_same_datelines_and_another_seed_others():
    assert datelines(5_000, seed=3) == datelines(5_000, seed=3)
    assert datelines(5_000, seed=3) != datelines(5_000, seed=4)


def test_growth_one_spaces_pages_evenly():
    times = datelines(2_000, step=3600, growth=1)
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    first_half, second_half = gaps[: len(gaps) // 2], gaps[len(gaps) // 2 :]
    assert all(1800 <= gap <= 5400 for gap in gaps)
    assert 0.9 < sum(first_half) / sum(second_half) < 1.1


def test_a_growth_below_one_is_refused(tmp_path):
    with pytest.raises(ValueError, match="growth"):
        synthetic.generate(tmp_path, 10, growth=0.5)
