"""Authors and bylines change only through the action functions: who may, what is refused, and
what each change records (revision, one audit entry) and announces."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles import actions
from articles.models import Article, AuditEntry, Author, Byline
from tests.factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory, SectionFactory
from tests.roles import draft_by

pytestmark = pytest.mark.django_db


def byline(article) -> list[int]:
    return list(Byline.objects.filter(article=article).order_by("position").values_list("author_id", flat=True))


# Authors ---------------------------------------------------------------------------------------


def test_only_the_name_is_required_and_the_slug_is_made_from_it(people):
    author = actions.save_author(actor=people["editor"], author=Author(name="  Sara Hamidi "))
    assert (author.name, author.slug, author.job_title, author.bio) == ("Sara Hamidi", "sara-hamidi", "", "")
    twin = actions.save_author(actor=people["editor"], author=Author(name="Sara Hamidi"))
    assert twin.slug == "sara-hamidi-2"
    entry = AuditEntry.objects.filter(action="author_create").order_by("id").first()
    assert entry.actor == people["editor"] and entry.object_repr == "Sara Hamidi"
    assert entry.details == {"author_id": author.pk, "fields": ["name"]}


@pytest.mark.parametrize("role, allowed", [("author", False), ("editor", True), ("chief", True)])
def test_editors_and_up_add_change_and_delete_authors(people, role, allowed):
    stored = AuthorFactory(name="Omar Said")
    if not allowed:
        with pytest.raises(PermissionDenied):
            actions.save_author(actor=people[role], author=Author(name="Nadia Kareem"))
        stored.job_title = "Editor at large"
        with pytest.raises(PermissionDenied):
            actions.save_author(actor=people[role], author=stored)
        with pytest.raises(PermissionDenied):
            actions.delete_author(actor=people[role], author=stored)
        assert not Author.objects.filter(name="Nadia Kareem").exists()
        assert Author.objects.get(pk=stored.pk).job_title == "Correspondent"
        return
    actions.save_author(actor=people[role], author=Author(name="Nadia Kareem"))
    stored.job_title = "Editor at large"
    actions.save_author(actor=people[role], author=stored)
    assert Author.objects.get(pk=stored.pk).job_title == "Editor at large"
    actions.delete_author(actor=people[role], author=stored)
    assert not Author.objects.filter(pk=stored.pk).exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="author_").order_by("id").values_list("action", flat=True)
    ) == [
        "author_create",
        "author_edit",
        "author_delete",
    ]


def test_an_edit_records_the_fields_it_changed_and_an_unchanged_save_records_nothing(people, heard, committed):
    author = AuthorFactory(name="Omar Said")
    story = ArticleFactory()
    BylineFactory(article=story, author=author)
    author.bio = "Covers energy."
    author.signoff = "O/SD"
    with committed():
        actions.save_author(actor=people["editor"], author=author)
    entry = AuditEntry.objects.get(action="author_edit")
    assert entry.details == {"author_id": author.pk, "fields": ["bio", "signoff"]}
    assert heard[-1].authors == {author.pk} and heard[-1].articles == {story.pk}
    with committed():
        actions.save_author(actor=people["editor"], author=Author.objects.get(pk=author.pk))
    assert AuditEntry.objects.filter(action="author_edit").count() == 1 and len(heard) == 1


def test_author_fields_are_validated_as_a_form_would(people):
    AuthorFactory(name="Taken", slug="taken")
    for bad in (
        Author(name=""),
        Author(name="   "),
        Author(name="Bell\x07"),
        Author(name="Other", slug="taken"),
        Author(name="Bad sign-off", signoff="<script>"),
        Author(name="Video portrait", photo=ImageFactory(kind="video")),
    ):
        with pytest.raises(ValidationError):
            actions.save_author(actor=people["editor"], author=bad)
    assert Author.objects.count() == 1 and not AuditEntry.objects.exists()


def test_an_author_in_a_byline_cannot_be_deleted(people):
    author = AuthorFactory(name="Omar Said")
    BylineFactory(author=author, article=ArticleFactory())
    BylineFactory(author=author, article=ArticleFactory(draft=True))
    with pytest.raises(ValidationError) as refused:
        actions.delete_author(actor=people["chief"], author=author)
    assert refused.value.messages == ["“Omar Said” is in the byline of 2 stories; take them off those bylines first."]
    assert Author.objects.filter(pk=author.pk).exists() and not AuditEntry.objects.exists()


def test_deleting_is_announced(people, heard, committed):
    author = AuthorFactory()
    with committed():
        actions.delete_author(actor=people["editor"], author=author)
    assert heard[-1].authors == {author.pk}
    entry = AuditEntry.objects.get(action="author_delete")
    assert entry.details == {"author_id": author.pk} and entry.object_repr == author.name


# Bylines ---------------------------------------------------------------------------------------


def test_a_byline_is_set_in_order_with_a_revision_an_entry_and_an_announcement(people, heard, committed):
    first, second, third = AuthorFactory(), AuthorFactory(), AuthorFactory()
    article = draft_by(people["author"])
    article = Article.objects.get(pk=article.pk)
    with committed():
        actions.save_article(
            actor=people["author"], article=article, base_version=article.version, author_ids=[third.pk, first.pk]
        )
    assert byline(article) == [third.pk, first.pk]
    revision = article.revisions.order_by("-number").first()
    assert revision.data["author_ids"] == [third.pk, first.pk]
    assert AuditEntry.objects.filter(article=article, action="edit").count() == 1
    assert heard[-1].articles == {article.pk} and heard[-1].authors == {third.pk, first.pk}
    # Reordered, one swapped for another: the author taken off is announced too.
    with committed():
        actions.save_article(
            actor=people["author"], article=article, base_version=article.version, author_ids=[second.pk, third.pk]
        )
    assert byline(article) == [second.pk, third.pk]
    assert heard[-1].authors == {first.pk, second.pk, third.pk}
    assert article.revisions.order_by("-number").first().data["author_ids"] == [second.pk, third.pk]


def test_the_same_byline_again_is_no_edit(people):
    author = AuthorFactory()
    article = draft_by(people["author"])
    actions.save_article(actor=people["author"], article=article, author_ids=[author.pk])
    version, revisions = article.version, article.revisions.count()
    actions.save_article(actor=people["author"], article=Article.objects.get(pk=article.pk), author_ids=[author.pk])
    assert Article.objects.get(pk=article.pk).version == version and article.revisions.count() == revisions


@pytest.mark.parametrize(
    "ids, message",
    [
        (lambda a, b: [a, a], "named more than once"),
        (lambda a, b: [a, 2**62], "No author has the id 4611686018427387904."),
    ],
)
def test_a_byline_with_repeats_or_unknown_ids_is_refused(people, ids, message):
    first, second = AuthorFactory(), AuthorFactory()
    article = draft_by(people["author"])
    with pytest.raises(ValidationError) as refused:
        actions.save_article(actor=people["author"], article=article, author_ids=ids(first.pk, second.pk))
    assert message in refused.value.messages[0]
    assert byline(article) == []


def test_a_reporters_new_story_is_credited_to_their_author(people):
    mine = AuthorFactory(user=people["author"])
    article = draft_by(people["author"])
    assert byline(article) == [mine.pk]
    assert article.revisions.get().data["author_ids"] == [mine.pk]
    # Without a linked author, and when a byline is given, nothing is added.
    assert byline(draft_by(people["other"])) == []
    other = AuthorFactory()
    story = Article(title="Given byline", section=SectionFactory())
    actions.save_article(actor=people["author"], article=story, author_ids=[other.pk])
    assert byline(story) == [other.pk]


def test_restoring_a_revision_brings_back_its_byline(people):
    first, second = AuthorFactory(), AuthorFactory()
    article = draft_by(people["editor"])
    actions.save_article(actor=people["editor"], article=article, author_ids=[first.pk, second.pk])
    early = article.revisions.order_by("-number").first()
    actions.save_article(actor=people["editor"], article=Article.objects.get(pk=article.pk), author_ids=[second.pk])
    actions.restore_revision(actor=people["editor"], article=Article.objects.get(pk=article.pk), revision=early)
    assert byline(article) == [first.pk, second.pk]


def test_a_revision_naming_a_deleted_author_is_not_restored(people):
    gone, staying = AuthorFactory(), AuthorFactory()
    article = draft_by(people["editor"])
    actions.save_article(actor=people["editor"], article=article, author_ids=[gone.pk])
    early = article.revisions.order_by("-number").first()
    actions.save_article(actor=people["editor"], article=Article.objects.get(pk=article.pk), author_ids=[staying.pk])
    actions.delete_author(actor=people["editor"], author=gone)
    with pytest.raises(ValidationError) as refused:
        actions.restore_revision(actor=people["editor"], article=Article.objects.get(pk=article.pk), revision=early)
    assert "author deleted since" in refused.value.messages[0]
    assert byline(article) == [staying.pk]


def test_deleting_a_story_frees_its_authors_and_announces_them(people, heard, committed):
    author = AuthorFactory()
    article = ArticleFactory()
    BylineFactory(article=article, author=author)
    with committed():
        actions.delete_article(actor=people["chief"], article=article)
    assert heard[-1].authors == {author.pk}
    actions.delete_author(actor=people["chief"], author=author)
    assert not Author.objects.filter(pk=author.pk).exists()


def test_publishing_announces_the_byline(people, heard, committed):
    author = AuthorFactory()
    article = draft_by(people["editor"])
    actions.save_article(actor=people["editor"], article=article, author_ids=[author.pk])
    with committed():
        actions.publish(actor=people["editor"], article=Article.objects.get(pk=article.pk))
    assert heard[-1].authors == {author.pk}
    assert list(Author.objects.public()) == [author]
