"""Media URLs: rendition generation on demand (built by the media feature)."""

urlpatterns = []
