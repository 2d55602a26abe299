"""`Article.objects.live()` is what readers may see — and the only way public code reads articles."""

import ast
import pathlib

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_live_excludes_every_non_public_state():
    now = timezone.now()
    visible = ArticleFactory(title="Visible")
    ArticleFactory(title="Draft", draft=True)
    ArticleFactory(title="In review", status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(title="Archived", status=Article.Status.ARCHIVED)
    ArticleFactory(title="Scheduled", published_at=now + timezone.timedelta(minutes=5))
    ArticleFactory(title="Embargoed", embargo_until=now + timezone.timedelta(minutes=5))
    ArticleFactory(title="Expired", expires_at=now - timezone.timedelta(seconds=1))
    ArticleFactory(title="Stub", is_stub=True, status=Article.Status.DRAFT, published_at=None)
    assert list(Article.objects.live()) == [visible]


def test_scheduled_article_goes_live_at_its_second():
    at = timezone.now() + timezone.timedelta(hours=1)
    article = ArticleFactory(published_at=at)
    assert not Article.objects.live(at=at - timezone.timedelta(seconds=1)).filter(pk=article.pk).exists()
    assert Article.objects.live(at=at).filter(pk=article.pk).exists()
    assert Article.objects.next_boundary() == at


def test_is_live_agrees_with_live_queryset():
    now = timezone.now()
    articles = [
        ArticleFactory(),
        ArticleFactory(draft=True),
        ArticleFactory(published_at=now + timezone.timedelta(minutes=1)),
        ArticleFactory(expires_at=now - timezone.timedelta(minutes=1)),
    ]
    live_ids = set(Article.objects.live(at=now).values_list("pk", flat=True))
    assert {a.pk for a in articles if a.is_live(at=now)} == live_ids


# Modules that serve readers or programs. Each must reach articles through live() only.
PUBLIC_MODULE_GLOBS = [
    "articles/site/*.py",
    "articles/search.py",
    "articles/api/**/*.py",
    "articles/templatetags/*.py",
    "articles/desk/preview.py",
    "media/views.py",
    "media/templatetags/*.py",
]
# The one permission-gated place that reads non-live articles for editors (the API's
# ?status= and legacy-shape stubs); its views check `articles.view_article` before calling it.
EDITORIAL_READS = {"articles/api/editorial/reads.py"}
# Manager calls that are fine in public code: live() itself; related_to(), which checks each
# related target against live() (tests/site cover the stubs it may add while an archive is
# imported); and next_boundary(), which returns only the moment the live set next changes (for
# cache lifetimes), never an article.
ALLOWED_AFTER_OBJECTS = {"live", "related_to", "next_boundary"}


def _public_modules():
    base = pathlib.Path(settings.BASE_DIR)
    for pattern in PUBLIC_MODULE_GLOBS:
        yield from sorted(base.glob(pattern))


def _article_manager_uses(path):
    """(line, method) for every `Article.objects.<method>` / `Article._default_manager` use."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            on_article = isinstance(inner.value, ast.Name) and inner.value.id == "Article"
            if on_article and inner.attr in {"objects", "_default_manager", "_base_manager"}:
                yield node.lineno, node.attr


def test_public_code_reads_articles_only_through_live():
    modules = list(_public_modules())
    assert any(p.name == "views.py" for p in modules), "the public views module is missing"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line} Article.objects.{method}"
        for path in modules
        if str(path.relative_to(settings.BASE_DIR)) not in EDITORIAL_READS
        for line, method in _article_manager_uses(path)
        if method not in ALLOWED_AFTER_OBJECTS
    ]
    assert offenders == [], "public code must start from Article.objects.live():\n" + "\n".join(offenders)


def test_the_live_check_catches_a_bypass(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from articles.models import Article\nx = Article.objects.filter(pk=1)\n")
    assert list(_article_manager_uses(leaky)) == [(2, "filter")]
