"""The article's admin form: its slug is always free, its suggestion asks the server.

``ArticlePage.base_form_class``, set in ``ArticlesConfig.ready`` (the models
cannot import it: ``articles.drafts`` imports them).
"""

import uuid

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import WagtailAdminPageForm

from articles.scheduling import GO_LIVE_AT_HELP
from articles.widgets import ScheduleInput

SCHEDULE_INVALID = _(
    "Enter a date and time such as 24/12/2030 08:00 (or 2030-12-24T08:00)."
)


class ArticlePageForm(WagtailAdminPageForm):
    """A taken slug becomes the next free ``-2``, ``-3`` instead of an error.

    Wagtail's form refuses a slug used by a sibling ("The slug ... is already in
    use within the parent page"); articles' slugs are unique among all articles
    (``unique_article_slug``), so the form takes the free one first, giving up
    the slug of an abandoned autosave draft (``articles.drafts``).
    """

    # Names the one article a new-article form makes (articles.drafts); Wagtail
    # renders it as a hidden input, since no panel claims it.
    new_article_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["new_article_key"]
        else:
            self.fields["new_article_key"].initial = uuid.uuid4()
        if "go_live_at" in self.fields:  # Wagtail's, in the schedule dialog
            self.fields["go_live_at"].help_text = GO_LIVE_AT_HELP
        for name in ("go_live_at", "expire_at"):
            if name in self.fields:
                field = self.fields[name]
                field.widget = ScheduleInput(attrs=field.widget.attrs)
                field.error_messages["invalid"] = SCHEDULE_INVALID
        if "slug" in self.fields:
            # Made from the title when empty (clean_slug): a save clicked before
            # the suggestion arrived must not fail for a field the editor never
            # had to fill.
            self.fields["slug"].required = False
            attrs = self.fields["slug"].widget.attrs
            attrs["data-newsdesk-slug-url"] = reverse("articles_slug_suggestion")
            if self.instance.pk:
                attrs["data-newsdesk-page-id"] = str(self.instance.pk)

    def clean_slug(self):
        from articles.drafts import claim_article_slug

        slug = self.cleaned_data.get("slug")
        text = slug or self.cleaned_data.get("title") or ""
        if not text:
            return slug
        return claim_article_slug(
            text=text, page_id=self.instance.pk, user=self.for_user
        )

    def get_field_updates_for_resave(self):
        """After an autosave, the open form shows the slug that was kept."""
        updates = list(super().get_field_updates_for_resave())
        if "slug" in self.fields and self.data.get("slug") != self.instance.slug:
            updates.append(("slug", self.instance.slug))
        return updates
