"""gunicorn's access log without secrets in URLs: a preview token
(``?token=``, docs/preview.md) lets anyone who reads it see an unpublished
draft, and access logs are read by more people (and kept longer) than the
token lives. gunicorn.conf.py names :class:`RedactingLogger`; every atom of a
log line that carries a URL (the request line, query, referer, and any header
or response header a format names) has the token's value replaced."""

import re

from gunicorn.glogging import Logger

#: Query parameters whose values never reach a log.
SECRET_PARAMETERS = ("token",)
REDACTED = "[redacted]"
_NAMES = "|".join(map(re.escape, SECRET_PARAMETERS))
_SECRET = re.compile(rf"(?<=[?&;])((?:{_NAMES})=)[^&;#\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    return _SECRET.sub(rf"\g<1>{REDACTED}", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and "=" in value:
                atoms[key] = redact(value)
        if atoms.get("q"):  # the query alone: no "?" in front of its first pair
            atoms["q"] = redact("?" + atoms["q"])[1:]
        return atoms
