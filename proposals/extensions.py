"""How proposals plugs into the layers below it, at start-up (ProposalsConfig.ready).

calendars and rollout never import proposals; they offer hooks and this module
fills them: re-validation after every recommendation rebuild, decided go-lives
on the window calendar, the dashboard and the iCalendar feed.
"""


def _plant_has_proposals(plant) -> str:
    from django.utils.translation import ngettext

    from proposals.models import GoLiveProposal

    count = GoLiveProposal.objects.filter(plant=plant).count()
    if not count:
        return ""
    return ngettext(
        "The plant has %(count)d go-live proposal; deleting it would erase its "
        "history.",
        "The plant has %(count)d go-live proposals; deleting it would erase "
        "their history.",
        count,
    ) % {"count": count}


def register() -> None:
    from calendars.feeds import feed_source_register
    from calendars.services import plant_delete_guard_register
    from proposals import selectors, services  # noqa: F401  (registers the steps)
    from proposals.revalidation import plant_proposals_revalidate
    from proposals.services.programs import program_pins
    from proposals.web import bridge
    from rollout.hooks import hooks

    if plant_proposals_revalidate not in hooks.after_rebuild:
        hooks.after_rebuild.append(plant_proposals_revalidate)
    hooks.go_live_marks = bridge.approved_go_lives
    hooks.needs_action = bridge.needs_action
    hooks.scheduled_by_plant = bridge.scheduled_by_plant
    hooks.program_pins = program_pins
    feed_source_register(selectors.feed_go_lives)
    plant_delete_guard_register(_plant_has_proposals)
