"""Webhook endpoints and their deliveries (the delivery log)."""

import base64
import secrets

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.changes import EVENTS

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    """Where webhooks go. The secret signs them; the admin shows it once,
    when the endpoint is made, never again."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(
        _("events"),
        default=list,
        help_text=_("The events sent to this URL."),
    )
    secret = models.CharField(_("secret"), max_length=200, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = new_secret()
        super().save(*args, **kwargs)

    @admin.display(description=_("events"))
    def event_list(self) -> str:
        return ", ".join(self.events)

    def wants(self, event: str) -> bool:
        return self.active and event in self.events


class Delivery(models.Model):
    """One event for one endpoint: at most one row each (``change_seq`` is
    the change feed's position of the change it announces), claimed by one
    worker at a time (``webhooks.services.attempt``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    change_seq = models.BigIntegerField()
    event = models.CharField(
        _("event"), max_length=32, choices=[(event, event) for event in EVENTS]
    )
    message_id = models.CharField(max_length=64)
    payload = models.TextField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    retry_until = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "change_seq"], name="delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
