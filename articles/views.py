from django.shortcuts import get_object_or_404, redirect, render

from articles.models import Article, Section, Tag


def home(request):
    articles = Article.objects.live().for_listing().newest_first()[:20]
    return render(request, "articles/list.html", {"title": "Latest news", "articles": articles})


def section(request, path):
    section = get_object_or_404(Section, path=path.strip("/"))
    articles = Article.objects.live().in_section(section).for_listing().newest_first()[:20]
    return render(request, "articles/list.html", {"title": section.name, "articles": articles})


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.live().filter(tags=tag).for_listing().newest_first()[:20]
    return render(request, "articles/list.html", {"title": tag.name, "articles": articles})


def article(request, pk, slug):
    article = get_object_or_404(Article.objects.live().select_related("section", "lead_media"), pk=pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/article.html", {"article": article})
