"""Wagtail's own groups, "Editors" and "Moderators", retired.

Wagtail's migrations create them with broad rights (Editors add and change
every page; Moderators also publish), in English, beside the newsroom's roles
(``articles.newsroom``), which replace them. Unused (no member), they are
deleted; with members they stay, so nobody loses access silently, but under a
Vietnamese name the operator recognises as the old default, to move those users
to a newsroom role and delete the group. ``setup_newsroom`` calls this.
"""

from django.contrib.auth.models import Group

WAGTAIL_DEFAULT_GROUPS = {
    "Editors": "Nhóm sửa trang mặc định cũ",
    "Moderators": "Nhóm kiểm duyệt mặc định cũ",
}


def retire_wagtail_groups() -> None:
    for name, vietnamese in WAGTAIL_DEFAULT_GROUPS.items():
        for group in Group.objects.filter(name=name):
            if not group.user_set.exists():
                group.delete()
            elif not Group.objects.filter(name=vietnamese).exists():
                group.name = vietnamese
                group.save(update_fields=["name"])
