import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DeadlineRuleSet",
            fields=[
                (
                    "code",
                    models.SlugField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="code"
                    ),
                ),
                ("names", models.JSONField(help_text="By language code.", verbose_name="names")),
                (
                    "source",
                    models.CharField(
                        help_text="The resolution or decision and its points, as published.",
                        max_length=300,
                        verbose_name="source",
                    ),
                ),
                (
                    "source_url",
                    models.URLField(blank=True, max_length=500, verbose_name="source address"),
                ),
                (
                    "translated_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="A document received at least this many calendar days before "
                        "the first day is translated. Empty: the rule set has no translation "
                        "deadline.",
                        null=True,
                        verbose_name="translated: days before the meeting",
                    ),
                ),
                (
                    "translated_days_confirmed",
                    models.BooleanField(default=True, verbose_name="translation deadline confirmed"),
                ),
                (
                    "accepted_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="The last day a document is accepted for the meeting (without "
                        "translation when there is a translation deadline). Empty: the translation "
                        "deadline is the last day.",
                        null=True,
                        verbose_name="accepted: days before the meeting",
                    ),
                ),
                (
                    "accepted_days_confirmed",
                    models.BooleanField(default=True, verbose_name="acceptance deadline confirmed"),
                ),
                (
                    "posted_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Documents are posted on the website at least this many days "
                        "before.",
                        null=True,
                        verbose_name="posted: days before the meeting",
                    ),
                ),
                (
                    "posted_days_confirmed",
                    models.BooleanField(default=True, verbose_name="posting deadline confirmed"),
                ),
                (
                    "exempt_kinds",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Document types the submission deadlines do not bind.",
                        verbose_name="exempt document types",
                    ),
                ),
                (
                    "exempt_posted_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Exempt documents are posted at least this many days before the "
                        "item is discussed.",
                        null=True,
                        verbose_name="exempt types: days before the item",
                    ),
                ),
                (
                    "exempt_posted_days_confirmed",
                    models.BooleanField(
                        default=True, verbose_name="exempt posting deadline confirmed"
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="What could not be confirmed, and why.",
                        verbose_name="note",
                    ),
                ),
                (
                    "edited_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="edited in the back office on"
                    ),
                ),
                (
                    "edited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="edited by",
                    ),
                ),
            ],
            options={
                "verbose_name": "deadline rule set",
                "verbose_name_plural": "deadline rule sets",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="body",
            name="rule_set",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bodies",
                to="coordination.deadlineruleset",
                verbose_name="deadline rules",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("agenda", "Agenda"),
                    ("contribution", "Contribution"),
                    ("information", "Information document"),
                    ("liaison_in", "Incoming liaison statement"),
                    ("liaison_out", "Outgoing liaison statement"),
                    ("report", "Report"),
                    ("outcome", "Outcome document"),
                    ("administrative", "Administrative document"),
                    ("chair_proposal", "Proposal from the chair or a convenor"),
                    ("compilation", "Compilation of proposals"),
                    ("requested", "Contribution requested by the meeting"),
                    ("event_report", "Report on an event held less than 21 days before"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="timeliness",
            field=models.CharField(
                choices=[
                    ("on_time", "On time"),
                    ("delayed", "Delayed: accepted without translation"),
                    ("held", "Late: held for the next meeting"),
                    ("exempt", "Not bound by the submission deadlines"),
                ],
                max_length=10,
                verbose_name="deadline rule",
            ),
        ),
        migrations.RenameField(model_name="report", old_name="content", new_name="snapshot"),
        migrations.AlterField(
            model_name="report",
            name="snapshot",
            field=models.JSONField(
                help_text="Everything the report shows, stored when it is compiled and completed "
                "when it is approved (format in report_snapshot.py).",
                verbose_name="snapshot",
            ),
        ),
    ]
