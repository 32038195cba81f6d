# make demo: install, migrate, load the demo content and serve on http://127.0.0.1:8000
# make test: install and run the test suite (SQLite; set DATABASE_URL for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install serve staff clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

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

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
