"""Offpeak's scoring engine: how much would a go-live on each day disturb production?

Pure numpy, no Django import. A plant's calendar comes in as day-indexed arrays
over the horizon (`CalendarArrays`, index 0 = `start`), a rollout as phase
lengths and weights (`RolloutSpec`); `score_horizon` scores every day of the
horizon as the go-live day G at once, from prefix sums.

Scoring rules
-------------
Factors, one value per day:
  load       planned utilisation (load / capacity), 0 on non-working days, may
             exceed 1;
  peak, milestone, blackout
             the SUM of the values of the causes covering the day, so
             overlapping seasons (or two milestone buffers) add up;
  absence    1.0 on holidays and closures (staff away). Causes of factor
             "absence" only name these days in explanations.
Phases of the go-live on day G:
  cutover    the `cutover_days` calendar days ending on G, all counted;
  training   the `training_days` working days just before the cutover starts
             (just before G when there is no cutover);
  hypercare  the `hypercare_days` working days from the first working day >= G.
Every phase has a calendar span [first day, last day]. Training and hypercare
count load, peak, milestone and blackout on their working days only but absence
on every day of their span: a hypercare stretched over a shutdown has nobody to
support, while a cutover over a closure weekend is cheap (load 0 there). A
zero-length phase has no span (-1 in the arrays, None in `phase_spans`), no cost.

cost(G) = sum over phases p and factors f of weight[p][f] * (sum of f over the
days p counts).

Quietness = 100 * (1 - cost / ceiling), clipped to [0, 100]; 100 = no
disturbance. The ceiling is the rollout's cost if every factor were 1.0 (load
1.0 = full capacity) on every counted day of phases spanning exactly their
lengths: it depends on the rollout only, not on the plant or the date, so
quietness is an absolute scale, comparable across plants, and ranks dates
exactly like cost. Overlapping causes, overload or a span stretched over
holidays can exceed the ceiling: quietness 0.

Alignment: a rollout may restrict G to working days, to the first working day
of a fiscal period, quarter or year (`RolloutSpec.go_live_on`; the calendar
gives those days as `CalendarArrays.alignments`) and to one weekday
(`go_live_weekday`). Any other G is infeasible (MISALIGNED, WRONG_WEEKDAY): one
boolean array each, `allowed_days` gives them for one plant.

Feasibility is a set of `Reason` flags (0 = feasible). An infeasible candidate
keeps its finite cost, so a forbidden date can still be explained, except when
a phase does not fit in the horizon (PHASE_OUTSIDE_HORIZON): then its cost,
score and `by_phase_factor` row are nan. Infeasible days are never recommended.

Layout
------
  types         inputs: Cause, CalendarArrays, Profile, RolloutSpec, Reason
  engine        score_horizon, score_many, Scores, phase_spans
    stacked     (internal) plants stacked into flat arrays, working memory
    costs       (internal) a profile's prefix sums; one rollout's costs, reasons
  explanations  explain, conflicts: one candidate; explain_many, explain_rollouts:
                several at once
  alignment     allowed_days: the go-live days a rollout allows
  windows       best_windows, percentile, nearest_alternatives, fallback_window
"""

from rollout.scoring.alignment import allowed_days
from rollout.scoring.engine import Scores, phase_spans, score_horizon, score_many
from rollout.scoring.explanations import (
    Conflict,
    Contribution,
    conflicts,
    explain,
    explain_many,
    explain_rollouts,
)
from rollout.scoring.types import (
    ALIGNMENTS,
    CALENDAR_ALIGNMENTS,
    DEFAULT_PROFILE,
    FACTORS,
    PHASES,
    CalendarArrays,
    Cause,
    Profile,
    Reason,
    RolloutSpec,
    reason_codes,
    reason_labels,
)
from rollout.scoring.windows import (
    Fallback,
    best_windows,
    fallback_window,
    nearest_alternatives,
    percentile,
)

__all__ = [
    "ALIGNMENTS",
    "CALENDAR_ALIGNMENTS",
    "DEFAULT_PROFILE",
    "FACTORS",
    "PHASES",
    "CalendarArrays",
    "Cause",
    "Conflict",
    "Contribution",
    "Fallback",
    "Profile",
    "Reason",
    "RolloutSpec",
    "Scores",
    "allowed_days",
    "best_windows",
    "conflicts",
    "explain",
    "explain_many",
    "explain_rollouts",
    "fallback_window",
    "nearest_alternatives",
    "percentile",
    "phase_spans",
    "reason_codes",
    "reason_labels",
    "score_horizon",
    "score_many",
]
