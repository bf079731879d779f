"""The page a person gets when the database does not answer, outside the API
(the admin, documents): a Vietnamese 503 with ``Retry-After``, instead of
Django's English "Server Error (500)".

Rendered without the request: the context processors would read the session
and messages, that is the database again.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

#: What a database that cannot answer now raises (Django's wrappers of the
#: driver's errors: refused, timed out, cut by cms.postgresql's deadline).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait: long enough for a restart or failover
#: not to be hammered, short for a person.
RETRY_AFTER = 5


def database_unavailable_page() -> HttpResponse:
    return HttpResponse(
        render_to_string("cms/unavailable.html"),
        status=503,
        headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
    )
