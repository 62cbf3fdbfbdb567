"""The demo company of `manage.py seed_demo`: its tables (data), the builders
of its plants, calendars, users, rollouts and program (company) and its
go-live proposals (golives). Every builder creates only what is missing."""
