"""No lost update, ever: two saves based on the same version → exactly one wins, the other is refused.

On PostgreSQL, 1,000 randomised pairs race in real threads (each with its own connection).
SQLite has no row locks (it serialises whole-database writes), so there the same pairs run
interleaved in one thread: both editors read, then both save.
"""

import random
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections

from articles import actions
from articles.models import Article, Revision
from tests.factories import ArticleFactory, SectionFactory, UserFactory

PAIRS_THREADED = 1000
PAIRS_INTERLEAVED = 200
FIELDS = ["title", "summary", "source", "body"]


def desk_users():
    perms = Permission.objects.filter(
        content_type__app_label="articles", codename__in=["add_article", "change_article", "edit_any_article"]
    )
    users = []
    for name in ("ana", "ben"):
        user = UserFactory(username=name)
        user.user_permissions.set(perms)
        users.append(type(user).objects.get(pk=user.pk))
    return users


def edited_copy(article_id: int, base: Article, rng: random.Random, tag: str) -> Article:
    """The article as one editor opened it (at `base`), with one or two fields changed."""
    copy = Article.objects.get(pk=article_id)
    for field in ("title", "summary", "source", "body", "version"):
        setattr(copy, field, getattr(base, field))
    for field in rng.sample(FIELDS, rng.randint(1, 2)):
        value = f"{field} by {tag}"
        setattr(copy, field, f"<p>{value}</p>" if field == "body" else value)
    return copy


def check_outcome(article_id, base, outcomes):
    """Exactly one save won; the row holds the winner's text; the loser was refused with StaleEdit."""
    wins = [copy for copy, error in outcomes if error is None]
    losses = [error for copy, error in outcomes if error is not None]
    assert len(wins) == 1, f"{len(wins)} saves won from version {base.version}: {losses}"
    assert len(losses) == 1 and isinstance(losses[0], actions.StaleEdit), losses
    stored = Article.objects.get(pk=article_id)
    assert stored.version == base.version + 1
    for field in FIELDS:
        assert getattr(stored, field) == getattr(wins[0], field), f"lost update on {field}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real threads need PostgreSQL row locks; SQLite runs the interleaved version below",
)
def test_thousand_threaded_pairs_never_lose_an_update():
    rng = random.Random(20260601)
    users = desk_users()
    section = SectionFactory()
    ids = [ArticleFactory(section=section, draft=True).pk for _ in range(20)]
    wins_per_article = dict.fromkeys(ids, 0)

    def save(copy, base_version, user, barrier, results, slot):
        try:
            barrier.wait()
            actions.save_article(actor=user, article=copy, base_version=base_version)
            results[slot] = (copy, None)
        except Exception as exc:  # noqa: BLE001 — the test inspects what was raised
            results[slot] = (copy, exc)
        finally:
            connections.close_all()

    for pair in range(PAIRS_THREADED):
        article_id = rng.choice(ids)
        base = Article.objects.get(pk=article_id)
        barrier = threading.Barrier(2)
        results = [None, None]
        threads = [
            threading.Thread(
                target=save,
                args=(
                    edited_copy(article_id, base, rng, f"{user.username}-{pair}"),
                    base.version,
                    user,
                    barrier,
                    results,
                    slot,
                ),
            )
            for slot, user in enumerate(rng.sample(users, 2))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        check_outcome(article_id, base, results)
        wins_per_article[article_id] += 1
    for article_id, wins in wins_per_article.items():
        # One revision per winning save (the factory made none): no refused save left a trace.
        assert Revision.objects.filter(article_id=article_id).count() == wins
        assert Article.objects.get(pk=article_id).version == 1 + wins


@pytest.mark.django_db
def test_interleaved_pairs_never_lose_an_update():
    rng = random.Random(7)
    users = desk_users()
    ids = [ArticleFactory(section=SectionFactory(), draft=True).pk for _ in range(5)]
    for pair in range(PAIRS_INTERLEAVED):
        article_id = rng.choice(ids)
        base = Article.objects.get(pk=article_id)
        copies = [edited_copy(article_id, base, rng, f"{user.username}-{pair}") for user in rng.sample(users, 2)]
        outcomes = []
        for copy, user in zip(copies, users, strict=False):
            try:
                actions.save_article(actor=user, article=copy, base_version=base.version)
                outcomes.append((copy, None))
            except actions.StaleEdit as exc:
                outcomes.append((copy, exc))
        check_outcome(article_id, base, outcomes)


@pytest.mark.django_db
def test_a_stale_save_says_what_the_other_editor_changed(editor):
    article = actions.save_article(actor=editor, article=ArticleFactory.build(draft=True, section=SectionFactory()))
    base = article.version
    theirs = Article.objects.get(pk=article.pk)
    theirs.summary = "Engineers found cracks in two pillars."
    actions.save_article(actor=editor, article=theirs, base_version=base)
    mine = Article.objects.get(pk=article.pk)
    mine.version = base
    mine.title = "My headline"
    with pytest.raises(actions.StaleEdit) as refused:
        actions.save_article(actor=editor, article=mine, base_version=base)
    assert "changed by someone else" in str(refused.value)
    assert [key for key, _, _ in refused.value.changes] == ["summary"]
    assert "Engineers found cracks in two pillars." in refused.value.diff_html().replace("&nbsp;", " ")
    assert Article.objects.get(pk=article.pk).title != "My headline"
