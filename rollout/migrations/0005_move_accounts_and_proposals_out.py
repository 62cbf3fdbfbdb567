"""Models leave rollout without touching their tables (see accounts.0001 and
proposals.0001); rollout dates get the calendar's date range."""

import calendars.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0004_proposals"),
    ]

    operations = [
        # API tokens and preferences moved to accounts, proposals to their own
        # app: only Django's picture of the models changes; the tables stay
        # (the new apps' models name them with db_table).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="goliveproposal",
                    name="decided_by",
                ),
                migrations.RemoveField(
                    model_name="goliveproposal",
                    name="plant",
                ),
                migrations.RemoveField(
                    model_name="goliveproposal",
                    name="proposer",
                ),
                migrations.RemoveField(
                    model_name="goliveproposal",
                    name="rollout",
                ),
                migrations.RemoveField(
                    model_name="readinessitem",
                    name="proposal",
                ),
                migrations.RemoveField(
                    model_name="observation",
                    name="proposal",
                ),
                migrations.RemoveField(
                    model_name="proposalreview",
                    name="proposal",
                ),
                migrations.RemoveField(
                    model_name="proposaltransition",
                    name="proposal",
                ),
                migrations.RemoveField(
                    model_name="observation",
                    name="recorded_by",
                ),
                migrations.RemoveField(
                    model_name="proposalreview",
                    name="reviewed_by",
                ),
                migrations.RemoveField(
                    model_name="proposaltransition",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="readinessitem",
                    name="done_by",
                ),
                migrations.RemoveField(
                    model_name="readinessitem",
                    name="owner",
                ),
                migrations.RemoveField(
                    model_name="userpreference",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="ApiToken",
                ),
                migrations.DeleteModel(
                    name="GoLiveProposal",
                ),
                migrations.DeleteModel(
                    name="Observation",
                ),
                migrations.DeleteModel(
                    name="ProposalReview",
                ),
                migrations.DeleteModel(
                    name="ProposalTransition",
                ),
                migrations.DeleteModel(
                    name="ReadinessItem",
                ),
                migrations.DeleteModel(
                    name="UserPreference",
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="rollout",
            name="earliest_go_live",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[calendars.models.validate_calendar_date],
                verbose_name="earliest go-live",
            ),
        ),
        migrations.AlterField(
            model_name="rollout",
            name="latest_go_live",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[calendars.models.validate_calendar_date],
                verbose_name="latest go-live",
            ),
        ),
    ]
