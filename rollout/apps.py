from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Go-live planning")

    def ready(self) -> None:
        from calendars.signals import calendar_changed

        calendar_changed.connect(
            _rebuild_on_calendar_change, dispatch_uid="rollout-rebuild-on-change"
        )
        from rollout.proposals.revalidation import rebuild_hook_register

        rebuild_hook_register()


def _rebuild_on_calendar_change(sender, plant_ids, **kwargs) -> None:
    from rollout.tasks import recommendations_enqueue

    recommendations_enqueue(plant_ids=plant_ids)
