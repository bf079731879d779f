"""Root URLs: the Wagtail admin, the API, operational endpoints and the reader."""

from django.conf import settings
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import reader_site
from cms.views import healthz, readyz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    path("api/", include("api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The reader's routes last: every other path (cms/reader_site.py). Wagtail's own
# page views are not mounted: readers see only what the API shows them.
urlpatterns += [path("", include(reader_site))]

# Under /api/ every error is problem details, also when it happens outside a
# view (a middleware, the request itself); elsewhere Django's own pages.
handler400 = "api.errors.handler400"
handler403 = "api.errors.handler403"
handler404 = "api.errors.handler404"
handler500 = "api.errors.handler500"
