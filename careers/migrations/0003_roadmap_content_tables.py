"""Phases and roadmap items take `careers` table names, and their content types move (step 3).

Renaming keeps every row and id; foreign keys from members' rows follow the table. The
content types are relabelled rather than recreated, so permissions and admin history that
point at them stay attached.
"""

from django.db import migrations

MOVED = ["phase", "roadmapitem", "actionitem", "phaseitem"]


def relabel_content_types(apps, schema_editor, source="roadmaps", target="careers"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, source="careers", target="roadmaps")


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0002_roadmap_content_moves_in"),
        ("roadmaps", "0004_roadmap_content_moves_to_careers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="phase", table=None),
        migrations.AlterModelTable(name="roadmapitem", table=None),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
