"""`media.usage` is a registry the apps using media fill in: media works with none registered,
asks whatever is registered, and imports nothing from `articles` (nor has import cycles)."""

import grimp
import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.test import Client

from articles.models import AuditEntry
from media import actions, usage
from media.ingest import ingest_bytes
from media.models import MediaItem
from media.samples import draw_photo
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def standing_alone():
    """No provider registered while the test runs (articles' one is put back afterwards)."""
    registered = usage.providers()
    for provider in registered:
        usage.unregister_provider(provider)
    yield
    for provider in registered:
        usage.register_provider(provider)


@pytest.fixture
def photo(db):
    return ingest_bytes(draw_photo(200, 150, seed=51), filename="p.jpg", title="Harbour")


def test_with_no_provider_nothing_uses_an_item_and_only_marked_items_are_public(standing_alone, photo):
    ArticleFactory(lead_media=photo)  # articles' use is not known to media without its provider
    assert usage.usages(photo) == [] and usage.usages_for([photo]) == {photo.pk: []}
    assert usage.users_label() == ""
    assert not photo.is_public()
    photo.public = True
    photo.save()
    assert photo.is_public()


def test_with_no_provider_changes_follow_the_media_permissions_only(standing_alone, photo):
    editor = UserFactory(perms=["media.change_mediaitem", "media.delete_mediaitem"])
    assert usage.may_publish(editor) and usage.granted_item("anything") is None
    actions.update_media(actor=editor, item=photo, caption="Quay", public=True)
    assert not AuditEntry.objects.exists()  # no app keeps an audit log
    actions.delete_media(actor=editor, item=photo)
    assert not MediaItem.objects.exists()


def test_registering_the_same_provider_twice_counts_once(standing_alone):
    provider = usage.UsageProvider(
        uses=lambda ids: {}, live_use=lambda: Q(pk__in=[]), may_edit=lambda a, s: True, may_publish=bool, record=print
    )
    usage.register_provider(provider)
    usage.register_provider(provider)
    assert usage.providers() == (provider,)
    usage.unregister_provider(provider)
    assert usage.providers() == ()


def test_media_asks_the_registered_provider(standing_alone, photo):
    """Uses, visibility, edit rights, the audit writer and grants all come from the provider."""
    recorded = []
    provider = usage.UsageProvider(
        uses=lambda ids: {photo.pk: [usage.Use("The quay story", "on a poster")]} if photo.pk in ids else {},
        live_use=lambda: Q(pk=photo.pk),
        may_edit=lambda actor, stories: stories != ["The quay story"],
        may_publish=lambda actor: False,
        record=lambda **entry: recorded.append(entry),
        granted_item=lambda grant: photo.pk if grant == "open-sesame" else None,
        label="posters",
    )
    usage.register_provider(provider)
    try:
        assert [str(u) for u in usage.usages(photo)] == ["“The quay story” (on a poster)"]
        assert photo.is_public() and usage.users_label() == "posters"
        editor = UserFactory(perms=["media.change_mediaitem"])
        with pytest.raises(PermissionDenied):
            actions.update_media(actor=editor, item=photo, caption="x")
        actions.update_media(actor=None, item=photo, caption="By the system")
        assert recorded[0]["action"] == "media_edit" and recorded[0]["details"]["fields"] == ["caption"]
        assert usage.granted_item("open-sesame") == photo.pk and usage.granted_item("other") is None
    finally:
        usage.unregister_provider(provider)


def test_a_grant_is_checked_through_the_registry(standing_alone, photo):
    provider = usage.UsageProvider(
        uses=lambda ids: {},
        live_use=lambda: Q(pk__in=[]),
        may_edit=lambda a, s: True,
        may_publish=lambda a: True,
        record=lambda **entry: None,
        granted_item=lambda grant: photo.pk if grant == "open-sesame" else None,
    )
    url = f"/media-renditions/{photo.pk}/w320.jpeg"
    assert Client().get(url).status_code == 404
    usage.register_provider(provider)
    try:
        response = Client().get(f"{url}?grant=open-sesame")
        assert response.status_code == 302 and "no-store" in response["Cache-Control"]
        assert Client().get(f"{url}?grant=forged").status_code == 404
    finally:
        usage.unregister_provider(provider)


def test_articles_registers_its_provider():
    [provider] = usage.providers()
    assert provider.label == "articles" and provider.granted_item is not None


# --- the import graph ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("media", "articles")


def test_media_imports_nothing_from_articles(graph):
    found = [
        (importer, imported)
        for importer in graph.find_children("media") | graph.find_descendants("media")
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported == "articles" or imported.startswith("articles.")
    ]
    assert found == []
    assert not graph.chain_exists(importer="media", imported="articles", as_packages=True)


def test_media_modules_import_each_other_one_way(graph):
    modules = {"media"} | graph.find_descendants("media")
    cycles = sorted(
        (a, b)
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and b != a and graph.chain_exists(importer=b, imported=a)
    )
    assert cycles == []
