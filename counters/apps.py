from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    name = "counters"
    verbose_name = _("counters")

    def ready(self):
        from cms import readiness
        from counters.health import buffer_state, quarantine_state

        readiness.register("counting_buffer", buffer_state, needs_redis=True)
        readiness.register("counting_quarantine", quarantine_state, needs_database=True)
