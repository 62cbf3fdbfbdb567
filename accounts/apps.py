from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save, pre_delete, pre_save

        from accounts import signals, validators

        validators.install()

        user_model = get_user_model()
        uid = "accounts.user_tokens"
        pre_save.connect(signals.user_pre_save, user_model, dispatch_uid=uid)
        post_save.connect(signals.user_post_save, user_model, dispatch_uid=uid)
        pre_delete.connect(signals.user_pre_delete, user_model, dispatch_uid=uid)
