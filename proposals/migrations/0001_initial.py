"""The proposal models, taken over from rollout with their tables as they are
(rollout.0005): state only, plus their content types, so that permissions
and admin history granted on them stay attached."""

import calendars.models
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ['goliveproposal', 'proposaltransition', 'readinessitem', 'observation', 'proposalreview']


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
    _content_types(apps, "rollout", "proposals")


def backwards(apps, schema_editor):
    _content_types(apps, "proposals", "rollout")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('calendars', '0003_calendar_date_range'),
        ('rollout', '0005_move_accounts_and_proposals_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GoLiveProposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('go_live', models.DateField(validators=[calendars.models.validate_calendar_date], verbose_name='go-live date')),
                        ('phases', models.JSONField(blank=True, default=list, verbose_name='phases')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('approved', 'approved'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn'), ('go', 'go'), ('live', 'live'), ('hypercare', 'in hypercare'), ('paused', 'paused'), ('rolled_back', 'rolled back'), ('closed', 'closed')], db_index=True, default='draft', max_length=16, verbose_name='status')),
                        ('version', models.PositiveIntegerField(default=0, editable=False)),
                        ('evaluation', models.JSONField(blank=True, default=dict, verbose_name='evaluation at submission')),
                        ('score', models.FloatField(blank=True, null=True, verbose_name='quietness')),
                        ('percentile', models.FloatField(blank=True, null=True, verbose_name='percentile')),
                        ('evaluated_at', models.DateTimeField(blank=True, null=True, verbose_name='evaluated at')),
                        ('contingency_fallback', models.TextField(blank=True, verbose_name='fallback system or procedure')),
                        ('contingency_triggers', models.TextField(blank=True, verbose_name='rollback trigger criteria')),
                        ('contingency_decider', models.CharField(blank=True, max_length=200, verbose_name='who decides a rollback')),
                        ('contingency_rollback_hours', models.PositiveIntegerField(blank=True, null=True, verbose_name='rollback duration (hours)')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_comment', models.TextField(blank=True, verbose_name='decision comment')),
                        ('override_reason', models.TextField(blank=True, verbose_name='conflict override reason')),
                        ('paused_from', models.CharField(blank=True, choices=[('draft', 'draft'), ('submitted', 'submitted'), ('approved', 'approved'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn'), ('go', 'go'), ('live', 'live'), ('hypercare', 'in hypercare'), ('paused', 'paused'), ('rolled_back', 'rolled back'), ('closed', 'closed')], max_length=16, verbose_name='paused from')),
                        ('pause_reason', models.TextField(blank=True, verbose_name='pause reason')),
                        ('pause_impact', models.TextField(blank=True, verbose_name='observed impact on production')),
                        ('rollback_reason', models.TextField(blank=True, verbose_name='rollback reason')),
                        ('revalidation_conflicts', models.JSONField(blank=True, default=list, verbose_name='new conflicts')),
                        ('revalidated_at', models.DateTimeField(blank=True, null=True, verbose_name='re-validated at')),
                        ('notified_conflict_keys', models.JSONField(blank=True, default=list)),
                        ('acknowledged_conflict_keys', models.JSONField(blank=True, default=list)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated at')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('plant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='calendars.plant', verbose_name='plant')),
                        ('proposer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='golive_proposals', to=settings.AUTH_USER_MODEL, verbose_name='proposer')),
                        ('rollout', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='rollout.rollout', verbose_name='rollout')),
                    ],
                    options={
                        'verbose_name': 'go-live proposal',
                        'verbose_name_plural': 'go-live proposals',
                        'db_table': 'rollout_goliveproposal',
                        'ordering': ['go_live', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Observation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('observed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='observed at')),
                        ('severity', models.CharField(choices=[('low', 'low'), ('medium', 'medium'), ('high', 'high'), ('critical', 'critical')], max_length=10, verbose_name='severity')),
                        ('area', models.CharField(choices=[('production', 'production'), ('quality', 'quality'), ('shipping', 'shipping'), ('finance', 'finance'), ('it', 'IT')], max_length=12, verbose_name='area')),
                        ('description', models.TextField(verbose_name='description')),
                        ('production_affected', models.BooleanField(default=False, verbose_name='production affected')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='proposals.goliveproposal')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'observation',
                        'verbose_name_plural': 'observations',
                        'db_table': 'rollout_observation',
                        'ordering': ['-observed_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProposalReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('planned_go_live', models.DateField(verbose_name='planned go-live')),
                        ('actual_go_live', models.DateField(blank=True, null=True, verbose_name='actual go-live')),
                        ('planned_hypercare_start', models.DateField(blank=True, null=True, verbose_name='planned hypercare start')),
                        ('planned_hypercare_end', models.DateField(blank=True, null=True, verbose_name='planned hypercare end')),
                        ('actual_hypercare_start', models.DateField(blank=True, null=True, verbose_name='actual hypercare start')),
                        ('closed_on', models.DateField(verbose_name='closed on')),
                        ('planned_utilisation', models.FloatField(blank=True, null=True, verbose_name='planned utilisation during hypercare')),
                        ('actual_utilisation', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(5.0)], verbose_name='actual utilisation during hypercare')),
                        ('incidents', models.JSONField(blank=True, default=dict, verbose_name='incidents by severity')),
                        ('paused', models.BooleanField(default=False, verbose_name='was paused')),
                        ('rolled_back', models.BooleanField(default=False, verbose_name='was rolled back')),
                        ('lessons_learned', models.TextField(verbose_name='lessons learned')),
                        ('rating', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='rating')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated at')),
                        ('proposal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review', to='proposals.goliveproposal')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                    ],
                    options={
                        'verbose_name': 'go-live review',
                        'verbose_name_plural': 'go-live reviews',
                        'db_table': 'rollout_proposalreview',
                        'ordering': ['-closed_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProposalTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=20, verbose_name='action')),
                        ('from_status', models.CharField(blank=True, choices=[('draft', 'draft'), ('submitted', 'submitted'), ('approved', 'approved'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn'), ('go', 'go'), ('live', 'live'), ('hypercare', 'in hypercare'), ('paused', 'paused'), ('rolled_back', 'rolled back'), ('closed', 'closed')], max_length=16, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('draft', 'draft'), ('submitted', 'submitted'), ('approved', 'approved'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn'), ('go', 'go'), ('live', 'live'), ('hypercare', 'in hypercare'), ('paused', 'paused'), ('rolled_back', 'rolled back'), ('closed', 'closed')], max_length=16, verbose_name='to')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='proposals.goliveproposal')),
                    ],
                    options={
                        'verbose_name': 'proposal transition',
                        'verbose_name_plural': 'proposal transitions',
                        'db_table': 'rollout_proposaltransition',
                        'ordering': ['at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReadinessItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('key_users_trained', 'Key users trained'), ('uat_passed', 'User acceptance tests passed'), ('backup_verified', 'Data backup taken and restore verified'), ('migration_rehearsed', 'Data migration rehearsed'), ('contingency_reviewed', 'Contingency plan reviewed'), ('cutover_communicated', 'Cutover plan communicated to production'), ('other', 'Other')], default='other', max_length=24, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('due', models.DateField(blank=True, null=True, validators=[calendars.models.validate_calendar_date], verbose_name='due')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                        ('evidence', models.TextField(blank=True, verbose_name='evidence')),
                        ('trained_share', models.FloatField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0.0), django.core.validators.MaxValueValidator(100.0)], verbose_name='trained staff (%)')),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='done by')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='readiness_items', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checklist', to='proposals.goliveproposal')),
                    ],
                    options={
                        'verbose_name': 'readiness item',
                        'verbose_name_plural': 'readiness items',
                        'db_table': 'rollout_readinessitem',
                        'ordering': ['proposal', 'position', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='goliveproposal',
                    index=models.Index(fields=['plant', 'status'], name='rollout_gol_plant_i_122f0a_idx'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
