"""Why a backup or a restore was refused or failed: typed errors with stable codes."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError


class BackupDirectoryNotEmpty(CopHubError):
    code = "backup_directory_not_empty"
    default_message = _("The backup folder must be new or empty.")


class BackupInvalid(CopHubError):
    code = "backup_invalid"
    default_message = _("This folder does not hold a complete, unaltered backup.")


class BackupTargetNotEmpty(CopHubError):
    code = "backup_target_not_empty"
    status = 409
    default_message = _(
        "The database or the file storage already holds data; restore with --force to replace it."
    )


class BackupKeyMismatch(CopHubError):
    code = "backup_microdata_key_mismatch"
    status = 409
    default_message = _("The current microdata key cannot read the backup's encrypted microdata.")


class BackupNewerSchema(CopHubError):
    code = "backup_unknown_migrations"
    status = 409
    default_message = _("The backup was made by a newer version of COP Hub.")


class BackupFailed(CopHubError):
    code = "backup_failed"
    status = 500
    default_message = _("The backup or restore did not complete.")
