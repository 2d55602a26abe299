"""The one write door of the media library (`media.actions`): every action refuses who may not
make the change, writes its audit entry, and announces what it touched once the transaction
commits (never when it rolls back)."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

import changes
from articles.models import AuditEntry
from media import actions, renditions
from media.ingest import ingest_bytes
from media.models import MediaItem, Rendition
from media.samples import draw_photo, encode_clip
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = importlib.import_module("articles.migrations.0002_roles").ROLES
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nGulls over the quay\n"


def member(role: str, username: str):
    group, _ = Group.objects.get_or_create(name=role)
    if not group.permissions.exists():
        for dotted in ROLES[role]:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def reporter(db):
    return member("Reporter", "rita")


@pytest.fixture
def editor(db):
    return member("Editor", "edith")


@pytest.fixture
def chief(db):
    return member("Chief editor", "carl")


@pytest.fixture
def nobody(db):
    """Staff with no permission at all."""
    return UserFactory(username="nobody", is_staff=True)


@pytest.fixture
def heard():
    """Every Change announced and delivered (after commit) while the test runs."""
    found: list[changes.Change] = []
    changes.listen(found.append)
    yield found
    changes.unlisten(found.append)


PHOTO = draw_photo(300, 200, seed=31)


@pytest.fixture
def photo(db):
    return ingest_bytes(PHOTO, filename="quay.jpg", title="Quay")


@pytest.fixture
def published_photo(photo):
    ArticleFactory(lead_media=photo)
    return photo


def media_audit():
    return list(AuditEntry.objects.filter(action__startswith="media_").order_by("id"))


def media_heard(heard) -> list[set[int]]:
    return [set(change.media) for change in heard]


# --- create_media --------------------------------------------------------------------------------


def test_create_media_stores_audits_and_announces_after_commit(editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item, created = actions.create_media(
            actor=editor, data=draw_photo(300, 200, seed=32), filename="a.jpg", title="Harbour"
        )
    assert created and item.pk and item.title == "Harbour" and item.file
    [entry] = media_audit()
    assert (entry.action, entry.actor, entry.object_repr) == ("media_add", editor, "Harbour")
    assert entry.details == {"media_id": item.pk, "fields": ["file", "title"]}
    assert media_heard(heard) == [{item.pk}]


def test_create_media_announces_nothing_before_commit(editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.create_media(actor=editor, data=draw_photo(300, 200, seed=33), filename="a.jpg")
        assert heard == []
    assert callbacks  # delivered once the transaction commits


def test_create_media_rolled_back_is_not_announced(editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        actions.create_media(actor=editor, data=draw_photo(300, 200, seed=34), filename="a.jpg")
        raise RuntimeError("the caller's transaction fails")
    assert heard == [] and not MediaItem.objects.exists() and media_audit() == []


def test_create_media_of_bytes_already_held_changes_nothing(photo, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item, created = actions.create_media(actor=editor, data=PHOTO, filename="again.jpg")
    assert (item.pk, created) == (photo.pk, False)
    assert media_audit() == [] and heard == []


def test_create_media_refuses_without_the_add_permission(nobody):
    with pytest.raises(PermissionDenied, match="add media"):
        actions.create_media(actor=nobody, data=draw_photo(300, 200, seed=35), filename="a.jpg")
    assert not MediaItem.objects.exists()


def test_create_media_public_needs_a_publisher(reporter, editor):
    with pytest.raises(PermissionDenied, match="mark media public"):
        actions.create_media(actor=reporter, data=draw_photo(300, 200, seed=36), filename="a.jpg", public=True)
    item, _ = actions.create_media(actor=editor, data=draw_photo(300, 200, seed=36), filename="a.jpg", public=True)
    assert item.public


def test_create_media_from_an_upload_and_from_a_path(editor, tmp_path):
    upload = SimpleUploadedFile("u.jpg", draw_photo(300, 200, seed=37))
    from_upload, created = actions.create_media(actor=editor, upload=upload, filename="u.jpg")
    assert created and from_upload.kind == "image"
    clip = encode_clip(seconds=1.0, width=160, height=120, seed=38)
    source = tmp_path / "clip.mp4"
    source.write_bytes(clip)
    video, created = actions.create_media(actor=editor, path=source, title="Clip")
    assert created and video.is_video and video.poster is not None
    assert source.read_bytes() == clip  # the file given by path is left as it was


def test_create_media_refuses_unknown_fields(editor):
    with pytest.raises(TypeError, match="width"):
        actions.create_media(actor=editor, data=draw_photo(300, 200, seed=39), width=5)


def test_create_media_refusal_of_the_file_stores_nothing(editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.create_media(actor=editor, data=b"<svg onload=alert(1)></svg>", filename="x.jpg")
    assert not MediaItem.objects.exists() and heard == [] and media_audit() == []


# --- create_references ---------------------------------------------------------------------------


def test_create_references_adds_many_with_one_entry_and_one_announcement(heard, django_capture_on_commit_callbacks):
    refs = [{"kind": "image", "legacy_path": f"/2016/01/0{n}/a.jpg", "title": f"a{n}.jpg"} for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        ids = actions.create_references(actor=None, references=refs)
    items = MediaItem.objects.in_bulk(ids)
    assert [items[pk].legacy_path for pk in ids] == [r["legacy_path"] for r in refs]
    assert all(item.file_missing and not item.file for item in items.values())
    [entry] = media_audit()
    assert entry.details == {"media_ids": ids, "file_missing": True}
    assert media_heard(heard) == [set(ids)]


def test_create_references_uses_the_callers_insert(heard):
    written = []

    def insert(rows):
        written.extend(rows)
        return [item.pk for item in MediaItem.objects.bulk_create([MediaItem(**row) for row in rows])]

    ids = actions.create_references(actor=None, references=[{"kind": "video", "legacy_path": "/v.mp4"}], insert=insert)
    assert written == [{"kind": "video", "legacy_path": "/v.mp4", "file_missing": True}]
    assert MediaItem.objects.get(pk=ids[0]).legacy_path == "/v.mp4"
    assert media_audit()[0].object_repr == "/v.mp4"


def test_create_references_lets_a_bulk_caller_write_and_announce_its_way(heard, django_capture_on_commit_callbacks):
    """The importer adds the entry to its page's multi-row insert and gathers the announcement."""
    entries, gathered = [], []
    with django_capture_on_commit_callbacks(execute=True):
        ids = actions.create_references(
            actor=None,
            references=[{"kind": "image", "legacy_path": "/a.jpg"}, {"kind": "image", "legacy_path": "/b.jpg"}],
            record=lambda **entry: entries.append(entry),
            announce=gathered.append,
        )
    assert entries == [
        {
            "actor": None,
            "action": "media_add",
            "object_repr": "2 media items known by reference",
            "details": {"media_ids": ids, "file_missing": True},
        }
    ]
    assert gathered == [ids] and heard == [] and media_audit() == []


def test_create_references_refuses_without_the_add_permission(nobody):
    with pytest.raises(PermissionDenied):
        actions.create_references(actor=nobody, references=[{"kind": "image", "legacy_path": "/a.jpg"}])
    assert not MediaItem.objects.exists()


def test_create_references_of_nothing_does_nothing(heard):
    assert actions.create_references(actor=None, references=[]) == []
    assert media_audit() == [] and heard == []


# --- update_media and set_focal_point ------------------------------------------------------------


def test_update_media_saves_audits_and_announces_what_changed(photo, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_media(actor=editor, item=photo, caption="Boats", credit="AFP", title=photo.title)
    photo.refresh_from_db()
    assert (photo.caption, photo.credit) == ("Boats", "AFP")
    [entry] = media_audit()
    assert (entry.action, entry.actor, entry.details["fields"]) == ("media_edit", editor, ["caption", "credit"])
    assert media_heard(heard) == [{photo.pk}]


def test_update_media_with_nothing_different_writes_nothing(photo, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_media(actor=editor, item=photo, title=photo.title)
    assert media_audit() == [] and heard == []


def test_update_media_refuses_a_reporter_on_a_published_storys_media(published_photo, reporter, heard):
    with pytest.raises(PermissionDenied, match="may not edit"):
        actions.update_media(actor=reporter, item=published_photo, caption="Forged")
    published_photo.refresh_from_db()
    assert published_photo.caption != "Forged" and media_audit() == []


def test_update_media_public_needs_a_publisher(photo, reporter, editor):
    with pytest.raises(PermissionDenied, match="mark media public"):
        actions.update_media(actor=reporter, item=photo, public=True)
    actions.update_media(actor=editor, item=photo, public=True)
    assert MediaItem.objects.get(pk=photo.pk).public


def test_update_media_rolled_back_is_not_announced(photo, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        actions.update_media(actor=editor, item=photo, caption="Never")
        raise RuntimeError
    assert heard == [] and MediaItem.objects.get(pk=photo.pk).caption != "Never"


def test_set_focal_point_discards_old_crops_audits_and_announces(
    photo, editor, heard, django_capture_on_commit_callbacks
):
    crop = renditions.get_or_create_rendition(photo, "1x1-w320", "jpeg")
    plain = renditions.get_or_create_rendition(photo, "w320", "jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_focal_point(actor=editor, item=photo, x=0.2, y=0.5)
    assert list(Rendition.objects.filter(media=photo)) == [plain]
    assert not crop.file.storage.exists(crop.file.name)
    [entry] = media_audit()
    assert entry.details["fields"] == ["focal_x"]
    assert media_heard(heard) == [{photo.pk}]


def test_set_focal_point_outside_the_image_is_refused(photo, editor):
    with pytest.raises(ValidationError):
        actions.set_focal_point(actor=editor, item=photo, x=1.5, y=0.5)
    assert media_audit() == []


def test_set_focal_point_refuses_a_reporter_on_a_published_storys_media(published_photo, reporter):
    with pytest.raises(PermissionDenied):
        actions.set_focal_point(actor=reporter, item=published_photo, x=0.1, y=0.1)


# --- replace_file --------------------------------------------------------------------------------


def test_replace_file_gives_a_reference_its_file(heard, django_capture_on_commit_callbacks):
    [pk] = actions.create_references(actor=None, references=[{"kind": "image", "legacy_path": "/2016/q.jpg"}])
    item = MediaItem.objects.get(pk=pk)
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_file(actor=None, item=item, data=draw_photo(300, 200, seed=40))
    item.refresh_from_db()
    assert not item.file_missing and item.file and item.width == 300
    assert media_audit()[-1].details == {"media_id": pk, "fields": ["file"]}
    assert media_heard(heard)[-1] == {pk}


def test_replace_file_removes_the_old_file_after_commit(photo, editor, django_capture_on_commit_callbacks):
    old = photo.file.name
    made = renditions.get_or_create_rendition(photo, "w320", "jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_file(actor=editor, item=photo, data=draw_photo(320, 240, seed=41))
    photo.refresh_from_db()
    assert photo.file.name != old and photo.width == 320
    assert not photo.file.storage.exists(old) and not made.file.storage.exists(made.file.name)


def test_replace_file_refuses_without_the_change_permission(photo, nobody):
    with pytest.raises(PermissionDenied, match="change media"):
        actions.replace_file(actor=nobody, item=photo, data=draw_photo(300, 200, seed=42))


def test_replace_file_of_the_wrong_kind_is_refused(heard, django_capture_on_commit_callbacks):
    [pk] = actions.create_references(actor=None, references=[{"kind": "video", "legacy_path": "/v.mp4"}])
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        actions.replace_file(actor=None, item=MediaItem.objects.get(pk=pk), data=draw_photo(300, 200, seed=43))
    assert MediaItem.objects.get(pk=pk).file_missing and heard == []


# --- captions ------------------------------------------------------------------------------------


@pytest.fixture
def video(db):
    return ingest_bytes(encode_clip(seconds=1.0, width=160, height=120, seed=44), filename="v.mp4", title="Quay")


def test_captions_attach_and_remove_are_audited_and_announced(video, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.attach_captions(actor=editor, item=video, data=VTT, language="en")
    assert MediaItem.objects.get(pk=video.pk).captions
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_captions(actor=editor, item=video)
        actions.remove_captions(actor=editor, item=video)  # none left: nothing to record
    assert not MediaItem.objects.get(pk=video.pk).captions
    assert [e.details["fields"] for e in media_audit()] == [["captions", "captions_language"], ["captions"]]
    assert media_heard(heard) == [{video.pk}, {video.pk}]


def test_captions_refused_for_a_reporter_on_a_published_video(video, reporter):
    ArticleFactory(lead_media=video)
    with pytest.raises(PermissionDenied):
        actions.attach_captions(actor=reporter, item=video, data=VTT)
    with pytest.raises(PermissionDenied):
        actions.remove_captions(actor=reporter, item=video)
    assert media_audit() == []


# --- delete_media --------------------------------------------------------------------------------


def test_delete_announces_the_item_and_its_poster(video, chief, heard, django_capture_on_commit_callbacks):
    poster = video.poster_id
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_media(actor=chief, item=video)
    assert media_heard(heard) == [{video.pk, poster}]
    assert [e.details for e in media_audit()] == [{"media_id": video.pk}, {"media_id": poster, "poster_of": video.pk}]


def test_delete_refused_without_the_permission_and_while_in_use(published_photo, reporter, chief, heard):
    with pytest.raises(PermissionDenied, match="delete media"):
        actions.delete_media(actor=reporter, item=published_photo)
    with pytest.raises(actions.MediaInUse):
        actions.delete_media(actor=chief, item=published_photo)
    assert MediaItem.objects.filter(pk=published_photo.pk).exists() and heard == [] and media_audit() == []


def test_delete_rolled_back_is_not_announced(photo, chief, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        actions.delete_media(actor=chief, item=photo)
        raise RuntimeError
    assert heard == [] and MediaItem.objects.filter(pk=photo.pk).exists()
    assert photo.file.storage.exists(photo.file.name)
