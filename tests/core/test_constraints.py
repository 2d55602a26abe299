"""The database itself refuses what would corrupt the archive, whatever path writes."""

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, RelatedLink, Section
from media.models import MediaItem
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_duplicate_legacy_id_is_refused():
    ArticleFactory(legacy_id=1796140)
    refused(lambda: ArticleFactory(legacy_id=1796140))
    assert Article.objects.filter(legacy_id=1796140).count() == 1


def test_many_articles_without_legacy_id_are_fine():
    ArticleFactory.create_batch(3, legacy_id=None)
    assert Article.objects.filter(legacy_id__isnull=True).count() == 3


def test_self_link_is_refused_by_the_database():
    article = ArticleFactory()
    refused(lambda: RelatedLink.objects.create(source=article, target=article, position=0))


def test_duplicate_related_pair_is_refused():
    source, target = ArticleFactory(), ArticleFactory()
    RelatedLink.objects.create(source=source, target=target, position=0)
    refused(lambda: RelatedLink.objects.create(source=source, target=target, position=1))
    assert source.related_links.count() == 1


def test_duplicate_media_sha256_is_refused():
    ImageFactory(sha256="a" * 64)
    refused(lambda: ImageFactory(sha256="a" * 64))
    assert MediaItem.objects.filter(sha256="a" * 64).count() == 1


def test_duplicate_legacy_media_path_is_refused():
    path = "/2016/03/06/alalam_635929008798548103_25f_4x3.mp4"
    MediaItem.objects.create(kind="video", legacy_path=path, file_missing=True)
    refused(lambda: MediaItem.objects.create(kind="video", legacy_path=path, file_missing=True))


def test_section_slug_unique_among_siblings_only():
    iraq = SectionFactory(name="Iraq", slug="iraq")
    syria = SectionFactory(name="Syria", slug="syria")
    Section.objects.create(name="Conflict", slug="conflict", parent=iraq)
    Section.objects.create(name="Conflict", slug="conflict", parent=syria)  # a cousin may share it
    refused(lambda: Section.objects.bulk_create([Section(name="Conflict", slug="conflict", parent=iraq, path="x/y")]))
    refused(lambda: Section.objects.bulk_create([Section(name="Iraq again", slug="iraq", path="iraq-2")]))


def test_published_article_needs_a_dateline_and_a_stub_cannot_be_published():
    refused(lambda: ArticleFactory(status=Article.Status.PUBLISHED, published_at=None))
    refused(lambda: ArticleFactory(status=Article.Status.PUBLISHED, is_stub=True))


def test_section_paths_follow_the_tree():
    mosul = Section.ensure_path(["Iraq", "Conflict", "Mosul"])
    assert mosul.path == "iraq/conflict/mosul"
    assert [s.name for s in mosul.ancestors_and_self()] == ["Iraq", "Conflict", "Mosul"]
    assert Section.ensure_path(["Iraq", "Conflict", "Mosul"]).pk == mosul.pk
    iraq = Section.objects.get(path="iraq")
    iraq.slug = "republic-of-iraq"
    iraq.save()
    mosul.refresh_from_db()
    assert mosul.path == "republic-of-iraq/conflict/mosul"
