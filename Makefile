# Rectify (整改方案填报审阅系统)
#   make demo   set everything up and serve the demo on http://127.0.0.1:8000
#   make test   set everything up and run the whole test suite
#   make bench  the performance figures, beside floors measured in the same run

VENV := .venv
PY := $(VENV)/bin/python
# WeasyPrint needs Pango and Chinese fonts; without libharfbuzz-subset0 it embeds
# whole fonts and renders several times slower. fonts-arphic-ukai is the free 楷体 of the
# （一） headings; fontconfig's tools let a deployer see which faces it finds (fc-list).
SYSTEM_PACKAGES := fonts-noto-cjk fonts-arphic-ukai fontconfig libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# Browser tests drive Debian's Chromium; PDF tests read pages back with poppler.
TEST_PACKAGES := chromium poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test bench setup system test-system db

# The demo runs with DEBUG off, as production does (DEMO in rectify/settings.py): a missing
# page or an error shows the product's own Chinese 404 and 500 pages, never Django's
# technical ones. The tasks worker (mail and notifications after a change) runs beside the
# web server and stops with it. chase_ledger chases the ledger's deadlines now and queues
# the worker's next morning run, which queues the one after (ledger/chase.py). heartbeat
# queues the worker's first beat, which queues the next: /healthz reads them (rectify/heartbeat.py).
DEMO_ENV := DEMO=1 ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost
demo: setup db
	@$(DEMO_ENV) $(PY) manage.py chase_ledger
	@$(DEMO_ENV) $(PY) manage.py heartbeat
	@$(DEMO_ENV) $(PY) manage.py db_worker --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup test-system
	$(VENV)/bin/pytest

bench: setup $(VENV)/.bench-installed
	$(PY) -m bench

# The load generator only the bench uses (locust), on top of everything the tests use.
$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.lock
	$(PY) -m pip install --quiet -r requirements-bench.lock
	@touch $@

setup: system $(VENV)/.installed

system:
	@scripts/system-packages $(SYSTEM_PACKAGES)

test-system:
	@scripts/system-packages $(TEST_PACKAGES)

$(VENV)/.installed: requirements.lock scripts/venv
	@scripts/venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

# Migrate, import the Hunan tree, create the demo cast, fill the two demo cities with
# documents in every state (about a minute the first time), make the demo's spot
# checks and bulletin and publish three approved documents (section 七); each step is a
# no-op when done.
db: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_divisions data/divisions/hunan
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_scale --within 4301,4302
	$(PY) manage.py seed_oversight
	$(PY) manage.py seed_publication
