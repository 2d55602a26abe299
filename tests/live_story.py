"""The live story the working-draft tests (core and desk) start from."""

from articles import actions
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.roles import draft_by

OLD_TITLE = "Flood barrier holds through the night"
OLD_BODY = "<p>The barrier held, engineers said.</p>"


def publish_live_story(people, **fields):
    """A story written by rita (reporter), edited and published by edith (editor), with a tag,
    a related story and a byline."""
    section = SectionFactory(name="Rivers", slug="rivers")
    fields = {"title": OLD_TITLE, "body": OLD_BODY, "signoff": "", **fields}
    article = draft_by(people["author"], section=section, **fields)
    actions.save_article(
        actor=people["editor"],
        article=article,
        base_version=article.version,
        tags=[TagFactory(name="Floods", slug="floods")],
        related_ids=[ArticleFactory(title="Barrier plans approved last year").pk],
        author_ids=[AuthorFactory(name="Rita Reporter", slug="rita-reporter").pk],
    )
    actions.publish(actor=people["editor"], article=article)
    article.refresh_from_db()
    return article
