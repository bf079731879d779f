"""The site's language, whatever the browser asks for.

Django's ``LocaleMiddleware`` follows ``Accept-Language``, so an office machine
with an English browser got an English admin. Here every request runs in
``LANGUAGE_CODE`` (Vietnamese); an editor who chose another language in their
own account (Wagtail's ``UserProfile.preferred_language``) gets it from
Wagtail's admin views, which switch to it per request.
"""

from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
