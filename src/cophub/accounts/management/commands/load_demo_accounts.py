from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cophub.accounts.services import demo_accounts_create
from cophub.portal.errors import ActionForbidden


class Command(BaseCommand):
    help = "Create one demo account per role (password cophub-demo). Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            users = demo_accounts_create()
        except ActionForbidden as refused:
            raise CommandError(str(refused.message)) from refused
        self.stdout.write(
            f"{len(users)} demo accounts ready: " + ", ".join(u.username for u in users)
        )
