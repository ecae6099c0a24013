"""Compile the .po catalogues to .mo with Babel, so no GNU gettext install is needed.

Each ``.mo`` is written beside its target and renamed over it: every ``cophub serve`` compiles
at start-up, and an app server restarting next to running ones must never let them read a
half-written catalogue."""

import os
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the platform's translation catalogues (.po to .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                mo_path = po_path.with_suffix(".mo")
                handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
                try:
                    with os.fdopen(handle, "wb") as mo_file:
                        write_mo(mo_file, catalog)
                    os.chmod(temporary, 0o644)
                    os.replace(temporary, mo_path)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)
                    raise
                count += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {count} catalogues.")
