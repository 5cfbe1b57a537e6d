# Two commands matter: `make run` (the web app) and `make test` (everything the tests need, then the tests).
SHELL := /bin/bash
export UV_CACHE_DIR ?= $(CURDIR)/.cache/uv
export UV_LINK_MODE ?= copy
UV := python3 -m uv

.PHONY: run test test-any-hour uv runtime setup system-deps lint typecheck check-wording bench

uv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.8"

# What the app needs to run, nothing more (no test, lint or browser tools). --inexact keeps whatever
# `make setup` installed before, so `make run` after `make test` does not uninstall the tools.
runtime: uv
	$(UV) sync --frozen --no-dev --inexact

# Everything: the runtime plus the dev group (tests, linters, type checker, Playwright).
setup: uv
	$(UV) sync --frozen

run: runtime
	$(UV) run --no-sync upright serve $(SERVE_ARGS)

system-deps:
	bash scripts/install-system-deps.sh

lint: setup
	$(UV) run ruff check src tests bench
	$(UV) run ruff format --check src tests bench
	$(UV) run lint-imports

typecheck: setup
	$(UV) run mypy

check-wording:
	python3 ../shared/tools/seedcopy.py . || [ ! -f ../shared/tools/seedcopy.py ]

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: setup system-deps node_modules/axe-core/axe.min.js
	$(UV) run upright catalog check
	$(MAKE) check-wording
	$(MAKE) lint typecheck
	bash scripts/with-postgres.sh $(UV) run pytest -n 2 $(PYTEST_ARGS)
	$(MAKE) test-any-hour

# No test may depend on the wall clock: the browser and integration tests run again under libfaketime,
# on a weekday at 10:30 UTC (work hours, when break reminders are due) and on a Sunday at 23:59:30 in
# Auckland (midnight passes during the run, far from UTC). Tests that only start Upright in processes
# of their own (make run, several servers, a server killed mid-stream) and tests marked `dateless`
# (catalog, pictures, schemas, access rules: nothing they check moves with the date or the hour) run
# once, in the main pass; a module that shows a date, a plan, a history or a break stays unmarked.
test-any-hour: setup system-deps
	TZ=UTC bash scripts/with-postgres.sh $(UV) run faketime '2026-12-07 10:30:00' pytest -n 2 -p no:cacheprovider -m "not processes and not dateless" tests/e2e tests/integration $(PYTEST_ARGS)
	TZ=Pacific/Auckland bash scripts/with-postgres.sh $(UV) run faketime '2026-12-06 23:59:30' pytest -n 2 -p no:cacheprovider -m "not processes and not dateless" tests/e2e tests/integration $(PYTEST_ARGS)

bench: setup
	$(UV) run python -m bench
