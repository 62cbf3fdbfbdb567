"""python manage.py recommend --plant SZ --rollout "MES 2.0" [--date 2027-07-05]"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from calendars.models import Plant
from rollout import services
from rollout.calendar_arrays import plant_calendar_load
from rollout.evaluation import DateOutsideHorizon, go_live_evaluate
from rollout.models import Rollout


class Command(BaseCommand):
    help = (
        "Print the ranked go-live windows of a rollout at a plant, "
        "or evaluate one date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plant", required=True, help="plant code, e.g. SZ")
        parser.add_argument("--rollout", required=True, help="rollout name or id")
        parser.add_argument("--date", help="evaluate this go-live date (YYYY-MM-DD)")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, **options):
        plant = Plant.objects.filter(code=options["plant"]).first()
        if plant is None:
            raise CommandError(f"--plant: no plant with code {options['plant']!r}")
        key = options["rollout"]
        rollout = Rollout.objects.filter(name=key).first() or (
            Rollout.objects.filter(pk=int(key)).first() if key.isdigit() else None
        )
        if rollout is None:
            raise CommandError(f"--rollout: no rollout named {key!r}")
        calendar = plant_calendar_load(plant=plant)
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date: {options['date']!r} is not a date (YYYY-MM-DD)"
                ) from None
            try:
                evaluation = go_live_evaluate(
                    plant=plant, rollout=rollout, go_live=day, calendar=calendar
                )
            except DateOutsideHorizon as exc:
                raise CommandError(f"--date: {exc}") from None
            self._print_evaluation(evaluation)
        else:
            rec_set = services.recommendation_set_rebuild(
                plant=plant, rollout=rollout, calendar=calendar, limit=options["limit"]
            )
            self._print_windows(plant, rollout, rec_set)

    def _print_windows(self, plant, rollout, rec_set):
        out = self.stdout
        out.write(
            f"{rollout.name} at {plant.code} ({plant.name}): best windows from "
            f"{rec_set.horizon_start} to {rec_set.horizon_end}, calendar revision "
            f"{rec_set.calendar_revision}; {rec_set.feasible_candidates} of "
            f"{rec_set.candidates} days feasible"
        )
        windows = list(rec_set.windows.all())
        if not windows:
            out.write("No feasible window in the horizon.")
            return
        out.write(
            f"{'rank':>4}  {'go-live':<10}  {'quiet':>5}  {'cost':>8}  "
            f"{'training':<23}  {'cutover':<23}  {'hypercare':<23}  main cause"
        )
        for w in windows:
            spans = {p["name"]: f"{p['start']}..{p['end']}" for p in w.phases}
            cause = w.explanation[0] if w.explanation else None
            cause_text = (
                f"{cause['phase']} {cause['factor']}: {cause['name']}" if cause else "-"
            )
            out.write(
                f"{w.rank:>4}  {w.go_live.isoformat():<10}  {w.score:>5.1f}  "
                f"{w.cost:>8.2f}  {spans.get('training', '-'):<23}  "
                f"{spans.get('cutover', '-'):<23}  {spans.get('hypercare', '-'):<23}  "
                f"{cause_text}"
            )

    def _print_evaluation(self, e):
        out = self.stdout
        verdict = "feasible" if e.feasible else "NOT feasible"
        out.write(f"{e.rollout.name} at {e.plant.code}, go-live {e.go_live}: {verdict}")
        for reason in e.reasons:
            out.write(f"  reason: {reason}")
        if e.score is not None:
            pct = (
                f", better than {e.percentile:.0f}% of feasible dates"
                if (e.percentile is not None)
                else ""
            )
            out.write(f"  quietness {e.score:.1f}/100, cost {e.cost:.2f}{pct}")
        for p in e.phases:
            out.write(f"  {p['name']:<9} {p['start']}..{p['end']}")
        out.write("Conflicts:" if e.conflicts else "Conflicts: none")
        for c in e.conflicts:
            hard = "HARD" if c["hard"] else "soft"
            out.write(
                f"  [{hard}] {c['kind']} {c['name']} during {c['phase']} "
                f"({c['start']}..{c['end']})"
            )
        if e.explanation:
            out.write("Largest costs:")
            for c in e.explanation[:5]:
                out.write(
                    f"  {c['cost']:>8.2f}  {c['phase']} / {c['factor']}: "
                    f"{c['name']} ({c['days']} days)"
                )
        out.write("Alternatives:" if e.alternatives else "Alternatives: none")
        for a in e.alternatives:
            out.write(f"  {a.go_live}  quietness {a.score:.1f}")
        if e.fallback:
            out.write(
                f"Contingency fallback: {e.fallback['go_live']} "
                f"(quietness {e.fallback['score']}). {e.fallback_statement}"
            )
        else:
            out.write(f"Contingency fallback: none. {e.fallback_statement}".rstrip())
