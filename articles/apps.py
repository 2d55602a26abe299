from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    label = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        import changes
        from articles.actions import media_usage_provider
        from articles.desk.preview import granted_item
        from articles.due_changes import remember_next_due
        from articles.site.page_cache import purge_changed
        from media.usage import register_provider

        # Every change an action announces purges the cached pages (and Varnish's copies) showing
        # what it touched: the one way cached pages are invalidated (no model signals).
        changes.listen(purge_changed)
        # Then the next scheduled change is noted for the new generation (articles.due_changes).
        changes.listen(remember_next_due)

        # Media usage, visibility, edit rights, audit and preview grants follow the stories.
        register_provider(media_usage_provider(granted_item=granted_item))
