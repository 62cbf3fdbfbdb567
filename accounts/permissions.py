"""Who may do what: the one permission layer every interface asks.

Roles are Django groups (created by a migration): plant manager, IT lead,
viewer. A role counts at the plants the user is a member of (`Plant.members`);
staff and superusers see every plant, superusers hold every role everywhere.
Objects of plants a user cannot see are reported as not found (404), never as
forbidden, so their existence does not leak; a missing role is forbidden (403).

The REST API, the pages, the admin, the feeds and the services all call these
functions; none re-implements a role or plant check. They take the objects
they judge (a plant, a rollout, a profile) and read only what those objects
offer (`plant.members`, `rollout.plants`, `profile.rollouts`), so this module
imports no other app and every app may import it.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

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


def has_any_role(user, *roles: str) -> bool:
    """Whether the user holds one of `roles` anywhere (superusers hold all)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & set(roles))


def visible(user, queryset: QuerySet, *, via: str = "") -> QuerySet:
    """`queryset` narrowed to what the user may see: objects of plants the user
    is a member of (everything for staff, nothing for anonymous users).

    `via` is the lookup from the queryset's model to its plant: "" for plants
    themselves, "plant" for a calendar item or proposal, "plants" for a rollout
    (visible when it runs at one visible plant)."""
    if not user.is_authenticated:
        return queryset.none()
    if sees_all_plants(user):
        return queryset
    if not via:
        return queryset.filter(members=user)
    # Through a subquery: a many-valued path (a rollout's plants) would
    # otherwise repeat rows.
    matching = queryset.model.objects.filter(Q(**{f"{via}__members": user}))
    return queryset.filter(pk__in=matching.values("pk"))


def _member_plant_ids(user) -> frozenset[int]:
    # Read once per user object, like its roles: one page asks many times.
    cached = getattr(user, "_offpeak_plant_ids", None)
    if cached is None:
        cached = frozenset(user.plants.values_list("id", flat=True))
        user._offpeak_plant_ids = cached
    return cached


def is_member(user, plant) -> bool:
    if not user.is_authenticated:
        return False
    if sees_all_plants(user):
        return True
    return plant.pk in _member_plant_ids(user)


def has_role_at(user, plant, *roles: str) -> bool:
    """Whether the user holds one of `roles` at `plant` (member of it, or staff)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not user_roles(user) & set(roles):
        return False
    return is_member(user, plant)


def require(allowed: bool) -> None:
    """Raise PermissionDenied (403) unless `allowed`."""
    if not allowed:
        raise PermissionDenied


# --- calendars --------------------------------------------------------------


def can_edit_calendar(user, plant) -> bool:
    """Plant managers keep their plants' seasons, milestones, blackouts, plans
    and settings."""
    return has_role_at(user, plant, PLANT_MANAGER)


def can_edit_company_calendar(user) -> bool:
    """Company-wide peak seasons (no plant) apply to every plant: staff only."""
    return sees_all_plants(user)


def can_edit_calendar_item(user, plant) -> bool:
    """A season, milestone, blackout or exception of `plant` (None: company-wide)."""
    if plant is None:
        return can_edit_company_calendar(user)
    return can_edit_calendar(user, plant)


def can_create_plant(user) -> bool:
    """New plants, and removing one: staff."""
    return sees_all_plants(user)


def can_change_plant(user, plant) -> bool:
    """A plant's settings (time zone, holidays, working week, fiscal calendar,
    default utilisation): its plant managers, and staff."""
    return can_edit_calendar(user, plant) or sees_all_plants(user)


def can_delete_plant(user, plant) -> bool:
    return can_create_plant(user)


# --- rollouts -----------------------------------------------------------------


def can_plan_rollouts(user, plant) -> bool:
    """IT leads create rollouts and go-live proposals for their plants."""
    return has_role_at(user, plant, IT_LEAD)


def can_plan_rollout_at(user, plants) -> bool:
    """IT lead at every one of `plants` (a rollout spanning plants the user does
    not plan for stays read-only to them)."""
    plants = list(plants)
    return bool(plants) and all(can_plan_rollouts(user, p) for p in plants)


def can_change_rollout(user, rollout, plants=None) -> bool:
    """Change (or create) `rollout`: IT lead at every plant it runs at now
    (all of them, not only those the user sees) and at every plant it is to
    run at (`plants`, when they change)."""
    current = _all_plants(rollout) if rollout.pk else []
    wanted = list(plants) if plants is not None else []
    involved = list({p.pk: p for p in [*current, *wanted]}.values())
    if not involved:
        # A rollout at no plant is nobody's but staff's.
        return sees_all_plants(user)
    return can_plan_rollout_at(user, involved)


def _all_plants(rollout) -> list:
    # Not rollout.plants.all(): a view may have prefetched only the plants its
    # user sees, and the rule is about every plant of the rollout.
    link = rollout.plants.through.objects.filter(rollout_id=rollout.pk)
    return list(rollout.plants.model.objects.filter(pk__in=link.values("plant_id")))


def can_change_profile(user, profile) -> bool:
    """Scoring weights move every rollout that uses them: staff, or an IT lead
    who may change every one of those rollouts (any IT lead for a profile no
    rollout uses yet)."""
    if sees_all_plants(user):
        return True
    if not has_any_role(user, IT_LEAD):
        return False
    if profile.pk is None:
        return True
    return all(can_change_rollout(user, r) for r in profile.rollouts.all())


# --- programs -----------------------------------------------------------------


def visible_programs(user, queryset: QuerySet) -> QuerySet:
    """Programs whose every plant the user sees (all for staff): a program's
    plan weighs its plants against each other, so seeing part of it would
    show the rest."""
    if not user.is_authenticated:
        return queryset.none()
    if sees_all_plants(user):
        return queryset
    link = queryset.model.plants.through.objects
    seen = link.filter(plant__members=user).values("program_id")
    unseen = link.exclude(plant__members=user).values("program_id")
    return queryset.filter(pk__in=seen).exclude(pk__in=unseen)


def can_change_program(user, program, plants=None) -> bool:
    """Change, plan or delete a program (or create one): IT lead at every
    plant it spans now (all of them) and is to span (`plants`), as for a
    rollout."""
    current = []
    if program.pk:
        link = program.plants.through.objects.filter(program_id=program.pk)
        current = list(
            program.plants.model.objects.filter(pk__in=link.values("plant_id"))
        )
    wanted = list(plants) if plants is not None else []
    involved = list({p.pk: p for p in [*current, *wanted]}.values())
    if not involved:
        return sees_all_plants(user)
    return can_plan_rollout_at(user, involved)


# --- proposals ----------------------------------------------------------------


def can_decide_proposals(user, plant) -> bool:
    """Plant managers approve, reject and give the go."""
    return has_role_at(user, plant, PLANT_MANAGER)


def can_override_four_eyes(user) -> bool:
    """Approve or give the go to one's own proposal (four eyes): staff only,
    and only with a reason, which the audit trail keeps."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


# --- tokens -------------------------------------------------------------------


def default_token_scope(user) -> str:
    """API tokens of viewers are read-only unless asked otherwise; everyone
    else's are read-write (their rights still bound what a token can do)."""
    if has_any_role(user, PLANT_MANAGER, IT_LEAD) or sees_all_plants(user):
        return "read_write"
    return "read_only"
