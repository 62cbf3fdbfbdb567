# Offpeak — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench worker beat lint install install-dev migrate demo browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo always runs on SQLite with in-process tasks, whatever the shell exports.
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
run: export DATABASE_URL = $(DEMO_DATABASE_URL)
run: export REDIS_URL =
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Offpeak is starting at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	(command -v chromium && command -v xgettext && fc-list :lang=zh | grep -q .) || (apt-get update && apt-get install -y chromium gettext fonts-wqy-zenhei)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest --cov --durations=15

# Like `make test`: install what the benchmarks drive (wrk loads the API).
bench: install-dev
	command -v wrk || (apt-get update && apt-get install -y wrk)
	$(BIN)/python benchmarks/run_all.py

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
