"""The account models, taken over from rollout with their tables as they are
(rollout.0005): state only, plus their content types, so that permissions
and admin history granted on them stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ['apitoken', 'userpreference']


def _content_types(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=old, model__in=MODELS)
    # A content type made for the new label before this ran (code served ahead
    # of migrate) holds nothing yet: the old one, with its permissions and
    # history, takes its place.
    ContentType.objects.filter(
        app_label=new, model__in=moving.values("model")
    ).delete()
    moving.update(app_label=new)


def forwards(apps, schema_editor):
    _content_types(apps, "rollout", "accounts")


def backwards(apps, schema_editor):
    _content_types(apps, "accounts", "rollout")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('rollout', '0005_move_accounts_and_proposals_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('digest', models.CharField(max_length=128, primary_key=True, serialize=False)),
                        ('token_key', models.CharField(db_index=True, max_length=25)),
                        ('created', models.DateTimeField(auto_now_add=True)),
                        ('expiry', models.DateTimeField(blank=True, null=True)),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('scope', models.CharField(choices=[('read_write', 'read and write'), ('read_only', 'read only'), ('feed', 'calendar feed')], default='read_only', max_length=10, verbose_name='scope')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'API token',
                        'verbose_name_plural': 'API tokens',
                        'db_table': 'rollout_apitoken',
                    },
                ),
                migrations.CreateModel(
                    name='UserPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('en', 'English'), ('zh-hans', '简体中文')], default='en', max_length=10, verbose_name='language')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preference', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'rollout_userpreference',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
