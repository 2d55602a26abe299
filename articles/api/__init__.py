"""The articles part of the JSON API (/api/v1/): articles, their related lists, sections and tags.

Readers and programs see `Article.objects.live()` only; what editors may see beyond that is
decided in `articles.api.editorial`, behind the `articles.view_article` permission.
"""
