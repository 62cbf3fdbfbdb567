"""The demo company as tables: three plants (Suzhou CN, Stuttgart DE-BW,
Monterrey MX), their peak seasons, milestones, closures, the demo users in each
role, three rollouts, the SAP program and the contingency plan of the demo's
go-live proposals."""

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

# Each plant's stock count at the year end (month-end and year-end closes come
# from its fiscal calendar, FISCAL_MONTHS): (name, start (month, day), days).
STOCK_COUNT = ("Year-end close and stock count", (12, 27), 8)

# Plant closures next year: (plant, name, start (month, day), end (month, day))
CLOSURES = [
    ("STG", "Summer shutdown", (8, 3), (8, 14)),
    ("MTY", "Semana Santa shutdown", (3, 22), (3, 26)),
]

# The weekly production plan's work centres: (name, capacity per week)
WORK_CENTRES = (("Assembly", 1000.0), ("Machining", 600.0))
PLAN_WEEKS = 104

USERS = [
    # username, first name, group, plant codes, staff
    ("admin", "Admin", None, [], True),
    ("li.wei", "Li Wei", "plant manager", ["SZ"], False),
    ("anna.keller", "Anna Keller", "plant manager", ["STG"], False),
    ("jorge.ramos", "Jorge Ramos", "plant manager", ["MTY"], False),
    ("chen.it", "Chen Jing", "IT lead", ["SZ", "STG", "MTY"], False),
    ("mes.client", "MES integration", "viewer", ["SZ", "STG", "MTY"], False),
]

# Who creates the rollouts, owns the program and proposes the go-lives.
IT_LEAD = "chen.it"

ROLLOUTS = [
    # name, kind, plants, training, cutover, hypercare, earliest offset days
    ("MES 2.0", "mes", ["SZ", "STG"], 10, 3, 15, 45),
    ("SAP S/4HANA", "erp", ["SZ", "STG", "MTY"], 15, 4, 20, 90),
    ("WMS wave 2", "wms", ["MTY"], 5, 2, 10, 30),
]

# SAP S/4HANA as a program: one team carrying one plant at a time, Suzhou the
# pilot (both other plants follow it).
PROGRAM = {
    "name": "SAP S/4HANA waves",
    "rollout": "SAP S/4HANA",
    "plants": ["SZ", "STG", "MTY"],
    "team": ("Core team", 1),
    "precedences": [("SZ", "STG", 0), ("SZ", "MTY", 0)],
}

# The contingency plan every demo go-live proposal carries.
CONTINGENCY = {
    "contingency_fallback": "Keep the old system read-only; paper travellers "
    "on the lines for up to two shifts.",
    "contingency_triggers": "A line stopped over 2 hours, or shipping "
    "blocked for half a day.",
    "contingency_decider": "Plant manager with the IT lead",
    "contingency_rollback_hours": 8,
}
