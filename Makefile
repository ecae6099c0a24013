# COP Hub: `make demo` to run it, `make test` to test it. Needs Python >= 3.11, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed
# A PostgreSQL server to run the suite on a second time (skipped when none answers).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test install check pytest pytest-postgres fuzz lint format typecheck lock messages serve clean cluster bench-ops bench-scale

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	PORT=$(PORT) $(BIN)/cophub demo

serve: $(INSTALLED)
	DJANGO_SETTINGS_MODULE=cophub.config.settings.production $(BIN)/cophub serve

test: check pytest pytest-postgres fuzz

check: $(INSTALLED)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/copcore src/cophub
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cophub.config.settings.test $(BIN)/cophub makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=cophub.config.settings.production SECRET_KEY=check-deploy-$$(date +%s)-$$RANDOM-not-a-real-secret-key-0123456789 ALLOWED_HOSTS=cophub.example \
		AT_CALLBACK_TOKEN=check-deploy-not-a-real-token DATABASE_URL=sqlite://:memory: \
		$(BIN)/cophub check --deploy --fail-level WARNING

pytest: $(INSTALLED)
	$(BIN)/cophub compile_translations --settings=cophub.config.settings.test
	$(BIN)/pytest

pytest-postgres: $(INSTALLED)
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "Running the suite again on PostgreSQL ($(TEST_POSTGRES_URL))"; \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest -m "not browser and not standalone"; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (REQUIRE_POSTGRES) but does not answer at $(TEST_POSTGRES_URL)"; exit 1; \
	else \
		echo "No PostgreSQL at $(TEST_POSTGRES_URL): the suite ran on SQLite only."; \
	fi

# Schema fuzzing of the whole API (schemathesis, fixed seed, bounded examples) on a test
# database holding the demo data: anonymous, BDT staff and a focal point; 0 failures.
fuzz: $(INSTALLED)
	COPHUB_FUZZ=1 $(BIN)/pytest tests/fuzz -q

# The production topology on loopback ports (nginx, two app servers, two workers, its own
# PostgreSQL and Redis): `deploy/cluster start|stop|status`; see docs/deployment.md.
cluster: $(INSTALLED)
	CLUSTER_PYTHON=$(BIN)/python deploy/cluster start

# Two minutes of mixed load on the cluster while an app server, a worker, PostgreSQL and Redis
# fail in turn; checks that every acknowledged write survives (benchmarks/ops/).
bench-ops: $(INSTALLED)
	CLUSTER_PYTHON=$(BIN)/python $(BIN)/python benchmarks/ops/run.py

# Grow a database to SCALE× the demo through the services and measure every main read path
# against 1× (benchmarks/scale/; grown databases are kept under var/bench-scale/ and reused).
SCALE ?= 10
SCALE_DATABASE ?= sqlite
bench-scale: $(INSTALLED)
	$(BIN)/python benchmarks/scale/run.py --scale $(SCALE) --database $(SCALE_DATABASE)

format: $(INSTALLED)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

lock:
	$(BIN)/uv pip compile pyproject.toml --group dev --universal --generate-hashes -o requirements.lock

messages: $(INSTALLED)
	cd src/cophub && ../../$(BIN)/cophub makemessages --no-obsolete --no-location -l ar -l zh_Hans -l en -l fr -l ru -l es

clean:
	rm -rf $(VENV) var
