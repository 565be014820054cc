"""Salary bands' source becomes the reference 0010 filled in (`source_ref`); the old text goes.

A migration of its own: PostgreSQL refuses to alter a table in the transaction that just wrote
rows with pending foreign-key checks, and each migration runs in its own transaction.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0010_sources"),
    ]

    operations = [
        migrations.RemoveField(model_name="salaryband", name="source"),
        migrations.RenameField(model_name="salaryband", old_name="source_ref", new_name="source"),
        migrations.AlterField(
            model_name="salaryband",
            name="source",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty when the figures are a Waypoint editorial estimate.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="salary_bands",
                to="careers.source",
            ),
        ),
        migrations.RemoveField(model_name="historicalsalaryband", name="source"),
        migrations.AddField(
            model_name="historicalsalaryband",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Leave empty when the figures are a Waypoint editorial estimate.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="careers.source",
            ),
        ),
    ]
