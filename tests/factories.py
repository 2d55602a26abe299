"""factory-boy factories shared by every feature's tests. Text here is written for the tests."""

import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, RelatedLink, Section, StaffProfile, Tag
from media.models import MediaItem


def jpeg_bytes(width=64, height=48, color=(40, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=85)
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        if extracted:
            for codename in extracted:
                app, code = codename.split(".")
                self.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=code))
        self.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    signoff_initials = "K/LM"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    parent = None


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Keyword {n}")
    slug = factory.Sequence(lambda n: f"keyword-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaItem

    kind = MediaItem.Kind.IMAGE
    title = factory.Sequence(lambda n: f"Photo {n}")
    alt_text = "Engineers inspect a bridge at dusk"
    width = 64
    height = 48
    file = factory.django.FileField(filename="photo.jpg", data=factory.LazyFunction(jpeg_bytes))
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Engineers reopen river crossing number {n}")
    kind = Article.Kind.TEXT
    summary = "Repair crews finished work on a crossing closed since spring."
    body = "<p>Repair crews finished their work on Tuesday, officials said.</p><p>Traffic resumed by noon.</p>"
    section = factory.SubFactory(SectionFactory)
    signoff = "T/QA 4"
    source = "Newsroom"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:  # the links carry the dateline, as the actions write them
            self.tags.set(extracted, through_defaults={"published_at": self.published_at})


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    source = factory.SubFactory(ArticleFactory)
    target = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter Number {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    job_title = "Correspondent"


class BylineFactory(factory.django.DjangoModelFactory):
    """One author in an article's byline; `position` 0 is named first."""

    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)
    position = 0
    published_at = factory.SelfAttribute("article.published_at")  # as the actions write it
