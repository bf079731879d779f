from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("articles")

    def ready(self):
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from articles import changes, reader_changes, receivers
        from articles.models import ArticlePage
        from articles.page_forms import ArticlePageForm
        from articles.widgets import VietnameseSlugInput

        # Every slug field in the admin (pages, categories) folds Vietnamese.
        register_form_field_override(
            models.SlugField, override={"widget": VietnameseSlugInput}
        )
        receivers.connect()
        # The one event "readers' view changed"; the change log hears it first.
        reader_changes.connect()
        reader_changes.subscribe(
            "articles.changes",
            changes.record_reader_change,
            stage=reader_changes.Stage.RECORD,
        )
        # Before any admin view builds the article's edit handler (lazily).
        ArticlePage.base_form_class = ArticlePageForm
