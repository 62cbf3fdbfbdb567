from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Go-live proposals")

    def ready(self) -> None:
        # proposals plugs into the layers below it; they never import it.
        from proposals import extensions

        extensions.register()
