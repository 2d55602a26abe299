"""Share-preview links (built by the workflow feature)."""

urlpatterns = []
