# make demo: install, migrate, load the demo content and serve on http://127.0.0.1:8000
# make test: install and run the test suite (SQLite; set DATABASE_URL for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lock serve staff clean accessibility

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exact versions from requirements.lock (runtime, test and deploy), then the project itself without
# resolving anything again: every machine and CI run installs the same releases.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# No task worker in the demo: publishing renders the edition's PDF in the same process, right after the commit.
demo: export DJANGO_TASKS_BACKEND = immediate

# One random key for the commands of one `make demo`, so a review link printed by one command opens in the server.
DEMO_KEY := demo-$(shell od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@if [ -n "$$DEMO_STAFF" ]; then \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py create_staff --username "$$DEMO_STAFF" --role "$${DEMO_STAFF_ROLE:-eindredacteur}"; \
	  DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$(DEMO_KEY)}" $(BIN)/python manage.py create_review_link \
	    --by demo-eindredactie --name "Demo-nalezer" --email nalezer@example.org --organisation "dagelijks bestuur"; \
	fi
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$(DEMO_KEY)}" $(BIN)/python manage.py runserver 127.0.0.1:8000

# The suite runs on every core, tests handed out as workers come free (PYTEST_WORKERS=0: in this process, one test after another).
PYTEST_WORKERS ?= auto

test: install
	DJANGO_SECRET_KEY="test-$$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Refresh requirements.lock: the newest releases within pyproject.toml's bounds (pip-tools in its own venv).
# `make lock` after changing pyproject.toml; `make lock LOCK_ARGS=--upgrade` to take newer releases.
lock:
	test -x .venv-tools/bin/pip-compile || ($(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet pip-tools)
	.venv-tools/bin/pip-compile --quiet --extra test --extra deploy --strip-extras --no-emit-index-url \
	  --no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

# The figures of /toegankelijkheid/: run the browser and PDF checks, then sum up their results into
# kenniscentrum/accessibility.json (commit it with the change that prompted the run).
accessibility: install
	$(MAKE) test PYTEST_ARGS="tests/browser tests/reports/test_exports.py"
	DJANGO_DEBUG=1 $(BIN)/python manage.py accessibility_report

clean:
	rm -rf $(VENV) .venv-tools db.sqlite3 staticfiles .pytest_cache
