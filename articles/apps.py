from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    label = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.site.page_cache import connect_invalidation

        connect_invalidation()

        from articles.actions import media_usage_provider
        from media.usage import register_provider

        # Media visibility, edit rights and audit follow the stories using each item.
        register_provider(media_usage_provider())
