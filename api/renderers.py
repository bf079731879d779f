"""JSON through orjson: fast, UTF-8, Vietnamese left unescaped."""

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder()


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, serialised with orjson.

    orjson handles str/int/dict/list subclasses (``ErrorDetail``, ``ReturnDict``)
    natively; anything else (lazy translations, Decimal, ...) goes through DRF's
    own encoder. Indentation from ``Accept: application/json; indent=N`` is
    honoured as orjson's only indent (2).
    """

    charset = None  # JSON is UTF-8 by definition (RFC 8259)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        option = orjson.OPT_NON_STR_KEYS
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            option |= orjson.OPT_INDENT_2
        return orjson.dumps(data, default=_fallback.default, option=option)
