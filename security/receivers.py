"""What the security log hears: Django's sign-in signals, django-axes'
lockout, and changes to who may do what (group and permission memberships).

Receivers only call ``security.audit.record``; connected in
``SecurityConfig.ready``. Page and collection permissions are saved by
Wagtail's group form with ``bulk_create``, which sends no signal: the group
form's own ``wagtail.edit`` entry (Wagtail's log, joined in the report) says
who changed the group and when, and this log the groups' and users'
model permissions and memberships.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import m2m_changed, post_save

from security import actions, audit


def signed_in(sender, request, user, **kwargs):
    audit.record(actions.SIGN_IN, request=request, user=user, obj=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    known = get_user_model().objects.filter(username=username).first()
    audit.record(
        actions.SIGN_IN_FAILED,
        request=request,
        obj=known,
        label=username,
        data={"username": username},
    )


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actions.SIGN_OUT, request=request, user=user, obj=user)


def locked_out(sender, request, username, **kwargs):
    known = get_user_model().objects.filter(username=username).first()
    audit.record(
        actions.LOCKED_OUT,
        request=request,
        obj=known,
        label=username,
        data={"username": username},
    )


def _names(model, pks) -> list[str]:
    if model is Permission:
        rows = model.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    return sorted(str(row) for row in model.objects.filter(pk__in=pks))


def loaded_raw(sender, instance, raw=False, **kwargs):
    """A group or user saved as loaded (``loaddata``, a test database put
    back): the memberships the loader then sets on it are data restored, not
    a change anyone made (and the content types may not be back yet)."""
    if raw:
        instance._security_loaded_raw = True


def memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or reverse:
        return
    if getattr(instance, "_security_loaded_raw", False):
        return
    if action == "pre_clear":
        # The set is about to be emptied: name what it held.
        field = {
            Group.permissions.through: "permissions",
            get_user_model().groups.through: "groups",
            get_user_model().user_permissions.through: "user_permissions",
        }[sender]
        pk_set = set(getattr(instance, field).values_list("pk", flat=True))
    if not pk_set:
        return
    change = "added" if action == "post_add" else "removed"
    kind = "groups" if model is Group else "permissions"
    audit.record(
        actions.PERMISSIONS_CHANGED,
        obj=instance,
        data={kind + "_" + change: _names(model, pk_set)},
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="security.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="security.failed")
    user_logged_out.connect(signed_out, dispatch_uid="security.signed_out")
    user_locked_out.connect(locked_out, dispatch_uid="security.locked_out")
    user = get_user_model()
    for loaded in (Group, user):
        post_save.connect(
            loaded_raw, sender=loaded, dispatch_uid=f"security.raw.{loaded._meta.label}"
        )
    for through in (
        Group.permissions.through,
        user.groups.through,
        user.user_permissions.through,
    ):
        m2m_changed.connect(
            memberships_changed,
            sender=through,
            dispatch_uid=f"security.memberships.{through._meta.label}",
        )
