"""A password change or a deactivation revokes the user's tokens at once.

Connected in AccountsConfig.ready() to the user model. Before a user row is
saved, its stored password hash and is_active are compared with the database;
after the save, a new hash (set_password, the admin's password form, a hash
assigned directly) or an active user turned inactive deletes every API and
feed token of the user and clears them from the authentication cache
(accounts.tokens.user_tokens_revoke). Django re-hashing the same password at
sign-in (a stronger hasher; a save of only the password, with no new raw
password) is not a change. Deleting a user clears the cache the same way.
"""

from accounts import tokens

_REVOKE = "_offpeak_revoke_tokens"


def _rehash_on_sign_in(instance, update_fields) -> bool:
    # AbstractBaseUser.check_password(): set_password(), then `_password` is
    # reset to None and only the password field is saved.
    return (
        update_fields is not None
        and set(update_fields) == {"password"}
        and getattr(instance, "_password", None) is None
    )


def user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    setattr(instance, _REVOKE, False)
    if raw or instance.pk is None:
        return
    fields = {"password", "is_active"}
    if update_fields is not None and not fields & set(update_fields):
        return
    before = (
        sender._default_manager.filter(pk=instance.pk)
        .values("password", "is_active")
        .first()
    )
    if before is None:
        return
    password_changed = before["password"] != instance.password and not (
        _rehash_on_sign_in(instance, update_fields)
    )
    deactivated = before["is_active"] and not instance.is_active
    setattr(instance, _REVOKE, password_changed or deactivated)


def user_post_save(sender, instance, created=False, raw=False, **kwargs):
    if getattr(instance, _REVOKE, False):
        setattr(instance, _REVOKE, False)
        tokens.user_tokens_revoke(user=instance)


def user_pre_delete(sender, instance, **kwargs):
    tokens.user_tokens_forget(user=instance)
