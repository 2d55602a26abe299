"""An author's portrait follows the author: public while readers may see the author (a live story
names them), private before; listed where the item is used; not deletable while in use."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from media import actions as media_actions
from media.models import MediaItem
from media.usage import usages
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory

pytestmark = pytest.mark.django_db


def test_a_portrait_is_public_only_while_its_author_is(editor):
    photo = ImageFactory()
    author = AuthorFactory(name="Sara Hamidi", photo=photo)
    draft = ArticleFactory(draft=True)
    BylineFactory(article=draft, author=author)
    anon = APIClient()
    assert not MediaItem.objects.public().filter(pk=photo.pk).exists()
    assert anon.get(f"/api/v1/media/{photo.pk}/").status_code == 404
    BylineFactory(article=ArticleFactory(), author=author)
    assert MediaItem.objects.public().filter(pk=photo.pk).exists()
    assert anon.get(f"/api/v1/media/{photo.pk}/").status_code == 200


def test_a_portrait_is_a_use_and_is_not_deleted(editor):
    photo = ImageFactory()
    author = AuthorFactory(name="Sara Hamidi", photo=photo)
    assert [(use.story, use.how) for use in usages(photo)] == [(author, "portrait of the author")]
    with pytest.raises(ValidationError):
        media_actions.delete_media(actor=editor, item=photo)
    assert MediaItem.objects.filter(pk=photo.pk).exists()
