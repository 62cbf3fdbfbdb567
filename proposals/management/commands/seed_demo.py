"""python manage.py seed_demo — a believable demo company, idempotent.

Three plants (Suzhou CN, Stuttgart DE-BW, Monterrey MX) with peak seasons,
milestones, blackouts, two years of weekly production plans whose load follows
the seasons, demo users in each role, three rollouts, a program and three
go-live proposals. A second run changes nothing. The tables are in
proposals.demo.data, the builders in proposals.demo.company and
proposals.demo.golives.
"""

import datetime
import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from proposals.demo import company, data
from proposals.demo.golives import golives


class Command(BaseCommand):
    help = "Create the demo company (idempotent)."

    def handle(self, *args, **options):
        today = datetime.date.today()
        with transaction.atomic():
            plants = {spec["code"]: company.plant(spec) for spec in data.PLANTS}
            company.seasons(plants)
            company.milestones(plants, today)
            company.blackouts(plants, today)
            company.closures(plants, today)
            company.plans(plants, today)
            users = company.users(plants)
            company.rollouts(plants, users, today)
        # The demo's workflow e-mails go nowhere: a newcomer wants the logins,
        # not pages of mail printed by the console backend.
        mail_log = logging.getLogger("proposals.notifications")
        level = mail_log.level
        mail_log.setLevel(logging.WARNING)
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ):
                if golives(today):
                    self.stdout.write("Demo go-live proposals ready.")
        finally:
            mail_log.setLevel(level)
        company.program(plants, users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
        for username, _name, group, codes, staff in data.USERS:
            role = "superuser" if staff else group
            where = ", ".join(codes) or "all plants"
            self.stdout.write(f"  {username:<12} {role:<14} {where}")
