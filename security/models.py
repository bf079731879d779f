"""The security log's own entries: sign-ins, sign-outs, lockouts, second
factors and permission changes, with the client's address.

A Wagtail log entry model (``BaseLogEntry``), registered with Wagtail's log
registry (``security.wagtail_hooks``), so Wagtail's own "Site history" report
lists these entries beside its page and model entries; and its own table,
because a sign-in that failed has no object to attach a ``ModelLogEntry`` to
(its ``object_id`` may not be blank) and Wagtail's entries keep no address.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager


class SecurityLogEntryManager(BaseLogEntryManager):
    def viewable_by_user(self, user):
        # Addresses and failed sign-ins are for the administrators only.
        return self.all() if user.is_superuser else self.none()

    def for_instance(self, instance):
        return self.filter(
            content_type__app_label=instance._meta.app_label,
            content_type__model=instance._meta.model_name,
            object_id=str(instance.pk),
        )


class SecurityLogEntry(BaseLogEntry):
    # Blank when there is no such object (a username nobody has).
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, unpack_ipv4=True
    )

    objects = SecurityLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("security log entry")
        verbose_name_plural = _("security log entries")
