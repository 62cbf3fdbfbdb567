"""python manage.py seed_demo — a believable demo company, idempotent.

Three plants (Suzhou CN, Stuttgart DE-BW, Monterrey MX) with peak seasons,
milestones, blackouts, two years of weekly production plans whose load follows
the seasons, demo users in each role and three rollouts. A second run changes
nothing.
"""

import datetime
import io
import logging

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from calendars import services
from calendars.imports import plan_import
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)
from rollout.models import Rollout
from rollout.services import rollout_save

DEMO_PASSWORD = "offpeak-demo"

# Calendar-month fiscal years ending in December; finance closes over the
# last two working days of each month and the first of the next (generated
# period-close blackouts, the year-end close hard).
FISCAL_MONTHS = {
    "fiscal_pattern": "months",
    "fiscal_year_end_month": 12,
    "close_last_days": 2,
    "close_first_days": 1,
}

PLANTS = [
    {
        "code": "SZ",
        "name": "Suzhou Assembly",
        "timezone": "Asia/Shanghai",
        "country": "CN",
        "subdivision": "",
        "default_utilisation": 0.75,
        **FISCAL_MONTHS,
    },
    {
        "code": "STG",
        "name": "Stuttgart Powertrain",
        "timezone": "Europe/Berlin",
        "country": "DE",
        "subdivision": "BW",
        "default_utilisation": 0.7,
        **FISCAL_MONTHS,
    },
    {
        "code": "MTY",
        "name": "Monterrey Components",
        "timezone": "America/Monterrey",
        "country": "MX",
        "subdivision": "",
        "default_utilisation": 0.7,
        **FISCAL_MONTHS,
    },
]

# (plant code or None for company-wide, name, start (month, day), end, severity, hard)
SEASONS = [
    (None, "Q4 peak", (10, 1), (12, 20), 4, False),
    ("SZ", "618 shopping festival build-up", (5, 10), (6, 18), 4, False),
    ("SZ", "Double 11 build-up", (9, 15), (11, 11), 5, True),
    ("STG", "Model-year changeover", (7, 1), (7, 20), 3, False),
    ("MTY", "US back-to-school", (6, 1), (8, 15), 3, False),
]

# Seasons that follow a movable holiday of the plant every year (calendars.anchors):
# (plant code, name, anchor key, days before, days after, severity, hard)
SPRING_FESTIVAL = "chinese-new-year-spring-festival"
ANCHORED_SEASONS = [
    ("SZ", "pre-Spring-Festival rush", SPRING_FESTIVAL, 28, 0, 4, True),
    ("SZ", "post-festival restart", SPRING_FESTIVAL, 0, 21, 5, True),
    ("STG", "Christmas shutdown", "christmas-day", 1, 7, 4, False),
    ("STG", "Easter holidays", "good-friday", 7, 10, 2, False),
    ("MTY", "Semana Santa", "holy-thursday", 3, 10, 4, False),
]

# (plant, name, kind, offset days from next Jan 1, length, criticality, buffer, hard)
MILESTONES = [
    ("SZ", "SOP e-axle gen 3", "sop", 125, 3, 5, 14, True),
    ("SZ", "Key order: Tesla Q3 ramp", "key_order", 200, 30, 4, 5, False),
    ("SZ", "IATF 16949 surveillance audit", "audit", 320, 3, 4, 7, False),
    ("STG", "SOP hybrid gearbox", "sop", 90, 2, 5, 10, True),
    ("STG", "Customer visit: BMW quality", "customer_visit", 250, 2, 3, 3, False),
    ("MTY", "Key order: Ford F-150 launch", "key_order", 60, 20, 4, 7, False),
    ("MTY", "ISO 14001 audit", "audit", 410, 2, 3, 5, False),
]

USERS = [
    # username, first name, group, plant codes, staff
    ("admin", "Admin", None, [], True),
    ("li.wei", "Li Wei", "plant manager", ["SZ"], False),
    ("anna.keller", "Anna Keller", "plant manager", ["STG"], False),
    ("jorge.ramos", "Jorge Ramos", "plant manager", ["MTY"], False),
    ("chen.it", "Chen Jing", "IT lead", ["SZ", "STG", "MTY"], False),
    ("mes.client", "MES integration", "viewer", ["SZ", "STG", "MTY"], False),
]

ROLLOUTS = [
    # name, kind, plants, training, cutover, hypercare, earliest offset days
    ("MES 2.0", "mes", ["SZ", "STG"], 10, 3, 15, 45),
    ("SAP S/4HANA", "erp", ["SZ", "STG", "MTY"], 15, 4, 20, 90),
    ("WMS wave 2", "wms", ["MTY"], 5, 2, 10, 30),
]


class Command(BaseCommand):
    help = "Create the demo company (idempotent)."

    def handle(self, *args, **options):
        today = datetime.date.today()
        with transaction.atomic():
            plants = {spec["code"]: self._plant(spec) for spec in PLANTS}
            self._seasons(plants)
            self._milestones(plants, today)
            self._blackouts(plants, today)
            self._closures(plants, today)
            self._plans(plants, today)
            users = self._users(plants)
            self._rollouts(plants, users, today)
        # The demo's workflow e-mails go nowhere: a newcomer wants the logins,
        # not pages of mail printed by the console backend.
        mail_log = logging.getLogger("proposals.notifications")
        level = mail_log.level
        mail_log.setLevel(logging.WARNING)
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ):
                self._proposals(today)
        finally:
            mail_log.setLevel(level)
        self._program(plants, users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _name, group, codes, staff in USERS:
            role = "superuser" if staff else group
            where = ", ".join(codes) or "all plants"
            self.stdout.write(f"  {username:<12} {role:<14} {where}")

    def _plant(self, spec):
        plant = Plant.objects.filter(code=spec["code"]).first()
        if plant is None:
            plant = services.plant_create(**spec)
        elif not plant.close_last_days and not plant.close_first_days:
            # A demo seeded before fiscal calendars: its hand-written month-end
            # rule gives way to the generated period closes.
            plant = services.plant_update(plant=plant, **FISCAL_MONTHS)
            for old in Blackout.objects.filter(plant=plant, name="Month-end close"):
                services.calendar_item_delete(item=old)
        return plant

    def _create_once(self, model, lookup, **fields):
        if model.objects.filter(**lookup).exists():
            return
        services.calendar_item_create(model=model, **lookup, **fields)

    def _seasons(self, plants):
        for code, name, anchor, before, after, severity, hard in ANCHORED_SEASONS:
            # A fixed-date season on the same holiday gives way to the anchored one.
            for fixed in PeakSeason.objects.filter(
                plant=plants[code], name=name, anchor=""
            ):
                services.calendar_item_delete(item=fixed)
            self._create_once(
                PeakSeason,
                {"plant": plants[code], "name": name},
                anchor=anchor,
                days_before=before,
                days_after=after,
                severity=severity,
                hard=hard,
            )
        for code, name, start, end, severity, hard in SEASONS:
            self._create_once(
                PeakSeason,
                {"plant": plants[code] if code else None, "name": name},
                start=datetime.date(2024, *start),
                end=datetime.date(2024, *end),
                recurring_yearly=True,
                severity=severity,
                hard=hard,
            )

    def _milestones(self, plants, today):
        base = datetime.date(today.year + 1, 1, 1)
        for code, name, kind, offset, length, crit, buffer, hard in MILESTONES:
            start = base + datetime.timedelta(days=offset)
            self._create_once(
                Milestone,
                {"plant": plants[code], "name": name},
                kind=kind,
                start=start,
                end=start + datetime.timedelta(days=length - 1),
                criticality=crit,
                freeze_before_days=buffer,
                freeze_after_days=buffer,
                hard=hard,
            )

    def _blackouts(self, plants, today):
        for plant in plants.values():
            # Month-end and year-end closes come from each plant's fiscal
            # calendar (FISCAL_MONTHS); the stock count is its own blackout.
            self._create_once(
                Blackout,
                {"plant": plant, "name": "Year-end close and stock count"},
                kind=Blackout.Kind.STOCK_COUNT,
                start=datetime.date(today.year, 12, 27),
                rrule="FREQ=YEARLY",
                duration_days=8,
                hard=True,
            )

    def _closures(self, plants, today):
        next_year = today.year + 1
        self._create_once(
            CalendarException,
            {"plant": plants["STG"], "name": "Summer shutdown"},
            kind=CalendarException.Kind.CLOSURE,
            start=datetime.date(next_year, 8, 3),
            end=datetime.date(next_year, 8, 14),
        )
        self._create_once(
            CalendarException,
            {"plant": plants["MTY"], "name": "Semana Santa shutdown"},
            kind=CalendarException.Kind.CLOSURE,
            start=datetime.date(next_year, 3, 22),
            end=datetime.date(next_year, 3, 26),
        )

    def _plans(self, plants, today):
        """Two years of weekly plans whose load follows the plant's seasons."""
        monday = today - datetime.timedelta(days=today.weekday())
        weeks = [monday + datetime.timedelta(weeks=w) for w in range(104)]
        for code, plant in plants.items():
            if ProductionPlan.objects.filter(plant=plant).exists():
                continue
            seasons = list(PeakSeason.objects.filter(plant=plant)) + list(
                PeakSeason.objects.filter(plant__isnull=True)
            )
            rng = np.random.default_rng(sum(map(ord, code)))
            lines = ["date,work_centre,load,capacity"]
            for week in weeks:
                severity = max(
                    [
                        s.severity
                        for s in seasons
                        for a, b in s.occurrences(week, week + datetime.timedelta(6))
                    ]
                    or [0]
                )
                for centre, capacity in (("Assembly", 1000.0), ("Machining", 600.0)):
                    base = 0.62 + 0.07 * severity + rng.normal(0, 0.03)
                    load = max(0.2, min(1.08, base)) * capacity
                    lines.append(f"{week},{centre},{load:.0f},{capacity:.0f}")
            data = io.BytesIO("\n".join(lines).encode())
            data.name = f"{code.lower()}-weekly-plan.csv"
            plan_import(plant=plant, file=data, granularity="week")

    def _users(self, plants):
        User = get_user_model()
        users = {}
        for username, name, group, codes, staff in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name=name,
                    email=f"{username}@offpeak.example",
                    is_staff=staff,
                    is_superuser=staff,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            for code in codes:
                plants[code].members.add(user)
            users[username] = user
        return users

    def _rollouts(self, plants, users, today):
        for name, kind, codes, training, cutover, hypercare, offset in ROLLOUTS:
            if Rollout.objects.filter(name=name).exists():
                continue
            rollout_save(
                rollout=Rollout(
                    name=name,
                    kind=kind,
                    description=f"{kind.upper()} go-live at {', '.join(codes)}",
                    training_days=training,
                    cutover_days=cutover,
                    hypercare_days=hypercare,
                    earliest_go_live=today + datetime.timedelta(days=offset),
                    created_by=users["chen.it"],
                ),
                plants=[plants[c] for c in codes],
            )

    def _program(self, plants, users):
        """SAP S/4HANA as a program: one team carrying one plant at a time,
        Suzhou the pilot; planned now (in-process)."""
        from rollout.models_programs import Program
        from rollout.program_services import (
            PrecedenceInput,
            TeamInput,
            program_plan_run,
            program_save,
        )

        program = Program.objects.filter(name="SAP S/4HANA waves").first()
        if program is None:
            sz, stg, mty = plants["SZ"], plants["STG"], plants["MTY"]
            program = program_save(
                program=Program(
                    name="SAP S/4HANA waves",
                    rollout=Rollout.objects.get(name="SAP S/4HANA"),
                    owner=users["chen.it"],
                ),
                plants=[sz, stg, mty],
                teams=[TeamInput(name="Core team", capacity=1)],
                precedences=[PrecedenceInput(sz, stg, 0), PrecedenceInput(sz, mty, 0)],
            )
        if program.stale or program.planned_at is None:
            program_plan_run(program_id=program.pk, force=True)

    # --- go-live proposals (proposals) -------------------------------

    def _proposals(self, today):
        """A submitted, an approved and a closed, reviewed go-live, once each."""
        from django.contrib.auth import get_user_model

        from proposals import services as proposals
        from proposals.models import GoLiveProposal, ProposalTransition
        from rollout.evaluation import go_live_evaluate

        User = get_user_model()
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["chen.it", "li.wei", "anna.keller", "jorge.ramos"]
            )
        }
        if len(users) < 4:
            return

        def quiet_date(plant, rollout):
            day = rollout.earliest_go_live or today + datetime.timedelta(days=60)
            evaluation = go_live_evaluate(plant=plant, rollout=rollout, go_live=day)
            if not evaluation.feasible and evaluation.alternatives:
                day = evaluation.alternatives[0].go_live
            return day

        def propose(code, rollout_name):
            plant = Plant.objects.get(code=code)
            rollout = Rollout.objects.get(name=rollout_name)
            if GoLiveProposal.objects.filter(plant=plant, rollout=rollout).exists():
                return None
            return proposals.proposal_create(
                user=users["chen.it"],
                rollout=rollout,
                plant=plant,
                go_live=quiet_date(plant, rollout),
                contingency_fallback="Keep the old system read-only; paper travellers "
                "on the lines for up to two shifts.",
                contingency_triggers="A line stopped over 2 hours, or shipping "
                "blocked for half a day.",
                contingency_decider="Plant manager with the IT lead",
                contingency_rollback_hours=8,
            )

        def approve(proposal, manager):
            proposal = proposals.proposal_submit(
                proposal=proposal, user=users["chen.it"]
            )
            return proposals.proposal_approve(
                proposal=proposal,
                user=users[manager],
                comment="Quiet enough; the lines are briefed.",
                override_reason="Reviewed the conflicts with the shift leads."
                if proposal.has_conflicts
                else "",
            )

        lead = users["chen.it"]
        with transaction.atomic():
            proposal = propose("SZ", "MES 2.0")
            if proposal:
                proposals.proposal_submit(proposal=proposal, user=lead)

            proposal = propose("STG", "MES 2.0")
            if proposal:
                approve(proposal, "anna.keller")

            proposal = propose("MTY", "WMS wave 2")
            if proposal:
                manager = users["jorge.ramos"]
                proposal = approve(proposal, "jorge.ramos")
                for item in proposal.checklist.all():
                    proposals.readiness_item_update(
                        item=item,
                        user=lead,
                        done=True,
                        trained_share=92.0,
                        evidence="Signed off in the readiness meeting.",
                    )
                proposal = proposals.proposal_go(
                    proposal=proposal,
                    user=manager,
                    override_reason="Carrier and cutover weekend fixed with the "
                    "3PL; readiness signed off early.",
                )
                proposal = proposals.proposal_live(proposal=proposal, user=lead)
                proposal = proposals.proposal_hypercare(proposal=proposal, user=lead)
                proposals.observation_create(
                    proposal=proposal,
                    user=lead,
                    severity="medium",
                    area="shipping",
                    description="Pick lists printed late on the first night shift.",
                )
                # The demo's go-live happened three weeks ago: move its dates back.
                shift = proposal.go_live - (today - datetime.timedelta(days=21))
                for entry in ProposalTransition.objects.filter(proposal=proposal):
                    entry.at -= shift
                    entry.save(update_fields=["at"])
                for observation in proposal.observations.all():
                    observation.observed_at -= shift
                    observation.save(update_fields=["observed_at"])
                GoLiveProposal.objects.filter(pk=proposal.pk).update(
                    go_live=proposal.go_live - shift,
                    phases=[
                        {
                            "name": p["name"],
                            "start": (
                                datetime.date.fromisoformat(p["start"]) - shift
                            ).isoformat(),
                            "end": (
                                datetime.date.fromisoformat(p["end"]) - shift
                            ).isoformat(),
                        }
                        for p in proposal.phases
                    ],
                )
                proposal.refresh_from_db()
                proposals.proposal_close(
                    proposal=proposal,
                    user=lead,
                    lessons_learned="Print pick lists before the cutover night; brief "
                    "the night shift separately.",
                    rating=4,
                    actual_utilisation=0.71,
                )
        self.stdout.write("Demo go-live proposals ready.")
