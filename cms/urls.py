"""Root URLs: the Wagtail admin, operational endpoints and the page tree."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.views import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("api/v1/", include("api.counting.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The page tree last: it answers every path the patterns above do not.
urlpatterns += [path("", include(wagtail_urls))]
