"""WSGI entry point: ``gunicorn cms.wsgi``.

The application is wrapped by the WSGI layers named in ``WSGI_MIDDLEWARE``
(outermost last): kept API answers served before Django's handler.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

application = get_wsgi_application()
for _layer in settings.WSGI_MIDDLEWARE:
    application = import_string(_layer)(application)
