"""The page editor's saves: one article per "new article" form, one save of a
page at a time (``articles.drafts``).

A middleware because Wagtail's views must run inside the transaction that
claims the form's key or locks the page, and Wagtail's page hooks run inside
the views. Listed after Django's CSRF and authentication middleware, whose
checks run first.
"""

from articles.drafts import create_article_once, edit_one_at_a_time

ARTICLE = ("articles", "articlepage")


class PageSaves:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None:
            return None
        if match.view_name == "wagtailadmin_pages:edit":
            return edit_one_at_a_time(request, view_func, **view_kwargs)
        if (
            match.view_name == "wagtailadmin_pages:add"
            and (
                view_kwargs.get("content_type_app_name"),
                view_kwargs.get("content_type_model_name"),
            )
            == ARTICLE
        ):
            return create_article_once(request, view_func, **view_kwargs)
        return None
