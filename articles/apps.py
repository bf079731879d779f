from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("articles")

    def ready(self):
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from articles import receivers
        from articles.models import ArticlePage
        from articles.page_forms import ArticlePageForm
        from articles.widgets import VietnameseSlugInput

        # Every slug field in the admin (pages, categories) folds Vietnamese.
        register_form_field_override(
            models.SlugField, override={"widget": VietnameseSlugInput}
        )
        receivers.connect()
        # Before any admin view builds the article's edit handler (lazily).
        ArticlePage.base_form_class = ArticlePageForm
