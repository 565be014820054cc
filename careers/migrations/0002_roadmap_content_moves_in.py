"""Phases and roadmap items move from `roadmaps` into `careers` (state only, step 1 of 3).

The catalogue owns its content; `roadmaps` keeps members' data only. No row moves and no id
changes: this migration only tells Django's state that the models now live here, still in
their old tables. `roadmaps.0004` then points members' rows at them and forgets the old
models, and `careers.0003` renames the tables and moves the content types (and with them
permissions and admin history).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0001_initial"),
        ("roadmaps", "0003_checkins_reminders_calendar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Phase",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("order", models.PositiveSmallIntegerField()),
                        ("title", models.CharField(max_length=160)),
                        ("weeks", models.PositiveSmallIntegerField()),
                        ("summary", models.TextField(blank=True)),
                        ("transition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="phases", to="careers.transition")),
                    ],
                    options={
                        "ordering": ["transition", "order"],
                        "db_table": "roadmaps_phase",
                        "constraints": [
                            models.UniqueConstraint(fields=("transition", "order"), name="phase_unique_order"),
                            models.CheckConstraint(condition=models.Q(("weeks__gte", 1)), name="phase_weeks_positive"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RoadmapItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("task", "Task"), ("resource", "Resource"), ("action", "Action plan item")], max_length=10)),
                        ("horizon", models.CharField(blank=True, choices=[("week", "This week"), ("month", "This month"), ("quarter", "Next 90 days")], max_length=10)),
                        ("key", models.SlugField(help_text="Permanent identity; never reuse or change.", max_length=80)),
                        ("title", models.CharField(max_length=300)),
                        ("resource_type", models.CharField(blank=True, choices=[("course", "Course"), ("book", "Book"), ("docs", "Documentation"), ("community", "Community"), ("dataset", "Datasets"), ("event", "Event"), ("programme", "Programme"), ("platform", "Platform"), ("job_board", "Job board"), ("other", "Other")], max_length=20)),
                        ("url", models.URLField(blank=True, max_length=500)),
                        ("order", models.PositiveIntegerField(default=0)),
                        ("is_archived", models.BooleanField(default=False, help_text="Archived items leave plans; members' records of them stay.")),
                        ("phase", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="items", to="careers.phase")),
                        ("transition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="roadmap_items", to="careers.transition")),
                    ],
                    options={
                        "ordering": ["transition", "phase__order", "horizon", "kind", "order", "id"],
                        "db_table": "roadmaps_roadmapitem",
                        "constraints": [
                            models.UniqueConstraint(fields=("transition", "key"), name="roadmapitem_unique_key"),
                            models.CheckConstraint(condition=models.Q(models.Q(("kind", "action"), ("phase__isnull", True), ("horizon__in", ["week", "month", "quarter"])), models.Q(("kind__in", ["task", "resource"]), ("phase__isnull", False), ("horizon", "")), _connector="OR"), name="roadmapitem_action_has_horizon_others_have_phase"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ActionItem",
                    fields=[],
                    options={"verbose_name": "action-plan item", "proxy": True, "indexes": [], "constraints": []},
                    bases=("careers.roadmapitem",),
                ),
                migrations.CreateModel(
                    name="PhaseItem",
                    fields=[],
                    options={"verbose_name": "task or resource", "proxy": True, "indexes": [], "constraints": []},
                    bases=("careers.roadmapitem",),
                ),
            ],
        ),
    ]
