"""Extension points of go-live planning that the layer above fills in.

rollout never imports proposals. What the pages and the rebuild need from the
proposal workflow (re-validating approved go-lives after a rebuild, marking
decided go-lives on the window calendar, pinning them in programs, the
dashboard's "needs your action" and scheduled go-lives) is registered here by
proposals at start-up (proposals/extensions.py). Unfilled, each hook answers "nothing".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Hooks:
    # (plant=, calendar=) inside the rebuild's transaction, plant row locked.
    after_rebuild: list[Callable[..., object]] = field(default_factory=list)
    # (user=, plant=, start=, end=) -> {date: label} of decided go-lives.
    go_live_marks: Callable[..., dict[datetime.date, str]] | None = None
    # (user=) -> rows of what waits for the user.
    needs_action: Callable[..., list[dict]] | None = None
    # (user=, plants=) -> {plant id: [decided go-lives from today on]}.
    scheduled_by_plant: Callable[..., dict[int, list]] | None = None
    # (rollout=, plants=) -> {plant id: {"go_live": date, "phases": [...],
    # "proposal": id}}: the go-lives a program must keep (approved or later).
    program_pins: Callable[..., dict[int, dict]] | None = None

    def rebuild_done(self, *, plant, calendar) -> None:
        for hook in self.after_rebuild:
            hook(plant=plant, calendar=calendar)

    def marks(self, *, user, plant, start, end) -> dict[datetime.date, str]:
        if self.go_live_marks is None:
            return {}
        return self.go_live_marks(user=user, plant=plant, start=start, end=end)

    def actions(self, *, user) -> list[dict]:
        return [] if self.needs_action is None else self.needs_action(user=user)

    def scheduled(self, *, user, plants) -> dict[int, list]:
        if self.scheduled_by_plant is None:
            return {}
        return self.scheduled_by_plant(user=user, plants=plants)

    def pins(self, *, rollout, plants) -> dict[int, dict]:
        if self.program_pins is None:
            return {}
        return self.program_pins(rollout=rollout, plants=plants)


hooks = Hooks()
