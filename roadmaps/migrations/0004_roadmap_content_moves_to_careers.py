"""Members' rows point at the catalogue's phases and items, now in `careers` (step 2 of 3).

State only: the foreign keys already point at the same tables and ids; nothing in the
database changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0002_roadmap_content_moves_in"),
        ("roadmaps", "0003_checkins_reminders_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="itemprogress",
                    name="item",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="progress", to="careers.roadmapitem"),
                ),
                migrations.AlterField(
                    model_name="checkin",
                    name="focus_items",
                    field=models.ManyToManyField(blank=True, related_name="+", to="careers.roadmapitem"),
                ),
                migrations.DeleteModel(name="ActionItem"),
                migrations.DeleteModel(name="PhaseItem"),
                migrations.DeleteModel(name="RoadmapItem"),
                migrations.DeleteModel(name="Phase"),
            ],
        ),
    ]
