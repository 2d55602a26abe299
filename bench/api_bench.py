"""API benchmark: in-process latency of the article list, detail and related lists, with SQL counts.

Run: .venv/bin/python bench/api_bench.py [N]   (a throw-away SQLite database; N articles, default 5000)
Each article has a section three deep, two tags and a lead photo; the measured article has 20
related articles. Prints the median over repeated requests in ms, and the queries per request.
Measured in-process through Django's test client (no HTTP server, anonymous throttle off).
"""

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import setup_scratch_django  # noqa: E402

setup_scratch_django("api-bench-", API_ANON_RATE="1000000/minute")

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, RelatedLink, Section, Tag  # noqa: E402
from media.models import MediaItem  # noqa: E402

REPEAT = 30


def build(n: int) -> Article:
    top = Section.objects.create(name="World", slug="world")
    leaf = Section.objects.create(
        name="Harbours", slug="harbours", parent=Section.objects.create(name="Coast", slug="coast", parent=top)
    )
    tags = [Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(2)]
    photos = MediaItem.objects.bulk_create(
        MediaItem(
            kind="image", title=f"Photo {i}", width=1600, height=1200, file=f"library/bench/{i}.jpg", sha256=f"{i:064x}"
        )
        for i in range(n)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Harbour story {i}",
            slug=f"harbour-story-{i}",
            section=leaf,
            status="published",
            published_at=now - timedelta(minutes=i),
            lead_media=photos[i],
            summary="Ships came and went.",
            body="<p>Ships came and went.</p>",
        )
        for i in range(n)
    )
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article_id=a.pk, tag_id=t.pk) for a in articles for t in tags
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(source=articles[0], target=target, position=i) for i, target in enumerate(articles[1:21])
    )
    return articles[0]


def measure(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    call_command("migrate", verbosity=0)
    article = build(n)
    client = Client()
    request_started.disconnect(reset_queries)  # keep the captured queries of the measured request
    print(f"API benchmark, {n} live articles, SQLite, median of {REPEAT} requests")
    for label, url in [
        ("list, page_size=20", "/api/v1/articles/"),
        ("list, page_size=100", "/api/v1/articles/?page_size=100"),
        ("list, section + tag filter", "/api/v1/articles/?section=world&tag=topic-1"),
        ("list, full-text q", "/api/v1/articles/?q=harbour"),
        ("detail, 20 related", f"/api/v1/articles/{article.pk}/"),
        ("related, legacy shape", f"/api/v1/articles/{article.pk}/related/?format=legacy"),
    ]:
        ms, queries = measure(client, url)
        print(f"  {label:30} {ms:7.1f} ms  {queries} queries")


if __name__ == "__main__":
    main()
