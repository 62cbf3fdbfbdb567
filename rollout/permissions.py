"""Who may do what, for the API and the pages alike.

Roles are Django groups (created by a migration): plant manager, IT lead,
viewer. Users see only the plants they are members of; staff and superusers see
every plant. Objects of other plants are reported as not found (404), never as
forbidden, so their existence does not leak.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from calendars.models import Plant
from rollout.models import Rollout

PLANT_MANAGER = "plant manager"
IT_LEAD = "IT lead"
VIEWER = "viewer"
ROLES = (PLANT_MANAGER, IT_LEAD, VIEWER)


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_offpeak_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._offpeak_roles = cached
    return cached


def sees_all_plants(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def plants_visible_to(user: User | AnonymousUser) -> QuerySet[Plant]:
    if not user.is_authenticated:
        return Plant.objects.none()
    if sees_all_plants(user):
        return Plant.objects.all()
    return Plant.objects.filter(members=user)


def _has_role_at(user, plant: Plant, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if role not in user_roles(user):
        return False
    return sees_all_plants(user) or plant.members.filter(pk=user.pk).exists()


def can_view_plant(user, plant: Plant) -> bool:
    return plants_visible_to(user).filter(pk=plant.pk).exists()


def can_edit_calendar(user, plant: Plant) -> bool:
    """Plant managers keep their plants' seasons, milestones, blackouts, plans."""
    return _has_role_at(user, plant, PLANT_MANAGER)


def can_decide_proposals(user, plant: Plant) -> bool:
    return _has_role_at(user, plant, PLANT_MANAGER)


def can_plan_rollouts(user, plant: Plant) -> bool:
    """IT leads create rollouts and go-live proposals for their plants."""
    return _has_role_at(user, plant, IT_LEAD)


def can_edit_company_calendar(user) -> bool:
    """Company-wide peak seasons (no plant) apply to every plant: staff only."""
    return sees_all_plants(user)


def can_edit_calendar_item(user, plant: Plant | None) -> bool:
    """A season, milestone, blackout or exception of `plant` (None: company-wide)."""
    if plant is None:
        return can_edit_company_calendar(user)
    return can_edit_calendar(user, plant)


def rollouts_visible_to(user: User | AnonymousUser) -> QuerySet[Rollout]:
    """Rollouts touching at least one plant the user sees (all for staff)."""
    if not user.is_authenticated:
        return Rollout.objects.none()
    if sees_all_plants(user):
        return Rollout.objects.all()
    return Rollout.objects.filter(
        pk__in=Rollout.objects.filter(plants__members=user).values("pk")
    )


def can_plan_rollout_at(user, plants) -> bool:
    """IT lead at every one of `plants` (a rollout spanning plants the user does
    not plan for stays read-only to them)."""
    plants = list(plants)
    return bool(plants) and all(can_plan_rollouts(user, p) for p in plants)


def has_any_role(user, *roles: str) -> bool:
    """Whether the user holds one of `roles` anywhere (superusers hold all)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & set(roles))


def default_token_scope(user) -> str:
    """API tokens of viewers are read-only unless asked otherwise; everyone
    else's are read-write (their rights still bound what a token can do)."""
    if has_any_role(user, PLANT_MANAGER, IT_LEAD) or sees_all_plants(user):
        return "read_write"
    return "read_only"
