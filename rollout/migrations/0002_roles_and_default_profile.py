"""The three roles and Offpeak's default scoring profile."""

from django.db import migrations

ROLES = ("plant manager", "IT lead", "viewer")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ScoringProfile = apps.get_model("rollout", "ScoringProfile")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    # Field defaults carry the engine's DEFAULT_PROFILE weights.
    ScoringProfile.objects.get_or_create(
        name="Default", defaults={"description": "Offpeak's default weights."}
    )


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
