"""Who reaches the editors' admin (Wagtail, /cms/): BDT staff, through one Wagtail group kept
in step with their role. Translators work in the hub's translation pages, not in the admin."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cophub.accounts.models import Role, RoleAssignment, User

EDITORS_GROUP = "Resource editors (BDT staff)"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")
MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("resources", "add_resourcedownload"),
    ("resources", "change_resourcedownload"),
    ("resources", "delete_resourcedownload"),
    ("resources", "view_resourcedownload"),
]


def editors_group_ensure() -> Group:
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for app_label, codename in MODEL_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for codename in DOCUMENT_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return group


def editor_membership_sync(user: User) -> None:
    """In the editors' group exactly while holding the BDT staff role."""
    is_staff = RoleAssignment.objects.filter(user=user, role=Role.BDT_STAFF).exists()
    group = editors_group_ensure()
    if is_staff:
        user.groups.add(group)
    else:
        user.groups.remove(group)
