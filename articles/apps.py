from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    label = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.page_cache import connect_invalidation

        connect_invalidation()
