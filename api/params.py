"""Query parameters, checked the same way by every endpoint of the API.

Unknown parameters are refused with a 400 naming them, as Wagtail's v2 API
does, rather than silently ignored; so are empty values (``?tag=``), which
DRF would otherwise read as "not given" though the schema asks for at least
one character. A ``category`` slug nobody can see is an unknown thing (404),
not an empty result.
"""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from articles import selectors
from articles.models import CategoryPage

#: Page ids are 32-bit integers (Wagtail's Page.id): a larger id in a path is
#: simply unknown (404), not a number the database would refuse.
MAX_PAGE_ID = 2**31 - 1
EMPTY_VALUE = "Give a value, or leave the parameter out."


def validated_params(
    request: Request, params_class, *, may_be_empty: tuple[str, ...] = ()
) -> dict:
    """Query parameters checked by ``params_class``; unknown ones are a 400,
    so are empty ones but those named in ``may_be_empty``."""
    unknown = sorted(set(request.query_params) - set(params_class().fields))
    if unknown:
        raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
    empty = sorted(
        name
        for name, values in request.query_params.lists()
        if "" in values and name not in may_be_empty
    )
    if empty:
        raise ValidationError({name: [EMPTY_VALUE] for name in empty})
    params = params_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def refuse_query_params(request: Request) -> None:
    """Endpoints without parameters refuse any, as Wagtail's v2 API does."""
    if request.query_params:
        raise ValidationError(
            {name: ["Unknown query parameter."] for name in request.query_params}
        )


def visible_category(slug: str) -> CategoryPage:
    """The category a ``category`` parameter names; 404 if a reader cannot see it."""
    category = selectors.visible_categories().filter(slug=slug).first()
    if category is None:
        raise NotFound(f"No category {slug!r}.")
    return category
