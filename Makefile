# The two commands in the README do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MO_STAMP := var/.messages-compiled

.PHONY: install demo test test-slow test-all lint api-lint typecheck schema schema-check messages bench clean

install: $(PY_STAMP) $(NODE_STAMP) $(MO_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues are build output, not source: they are made from the .po files here.
$(MO_STAMP): $(PY_STAMP) $(shell find src -name '*.po')
	mkdir -p var
	cd src/ketenregie && ../../$(BIN)/django-admin compilemessages --ignore=.venv -v 0
	touch $@

demo: install
	$(BIN)/ketenregie demo

test: install lint api-lint schema-check
	scripts/ensure-chromium
	$(BIN)/pytest

test-slow: install
	$(BIN)/pytest -m slow

test-all: install
	scripts/ensure-chromium
	$(BIN)/pytest -m ''

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# The committed OpenAPI document follows the NL API Design Rules (Logius' Spectral ruleset, copied in
# tests/data/adr); tests/test_api.py checks that it is the generated one.
api-lint: install
	node_modules/.bin/spectral lint src/ketenregie/api/openapi.yaml --ruleset tests/data/adr/linter.yaml --fail-severity error

schema: install
	$(BIN)/ketenregie spectacular --file src/ketenregie/api/openapi.yaml --validate --fail-on-warn

# Migrations match the models.
schema-check: install
	$(BIN)/ketenregie makemigrations --check --dry-run

PUBLIC_LANGUAGES := nl en pl ro bg lt hu uk pt es
PUBLIC_APPS := dashboard portal

# The parts of the public apps that their own catalogues cover: all but their staff pages (a staff/
# package and templates/<app>/staff/), which are shown to staff and so belong in the staff catalogue.
PUBLIC_PARTS = $(patsubst src/ketenregie/%,%,$(filter-out %/staff %/templates,$(wildcard $(PUBLIC_APPS:%=src/ketenregie/%/*))) $(filter-out %/staff,$(wildcard $(PUBLIC_APPS:%=src/ketenregie/%/templates/*/*))))

# The staff catalogue (Dutch) lives in src/ketenregie/locale; each public app keeps its own catalogue
# in all public languages.
messages: install
	cd src/ketenregie && ../../$(BIN)/django-admin makemessages -l nl --ignore=migrations $(PUBLIC_PARTS:%=--ignore=%) --no-obsolete
	for app in $(PUBLIC_APPS); do (cd src/ketenregie/$$app && ../../../$(BIN)/django-admin makemessages $(foreach lang,$(PUBLIC_LANGUAGES),-l $(lang)) --ignore=migrations --ignore=staff/* --no-obsolete); done

bench: install
	$(BIN)/python benchmarks/bench_registers.py
	$(BIN)/python benchmarks/bench_portal_load.py
	$(BIN)/python benchmarks/bench_casework.py
	$(BIN)/python benchmarks/bench_risk.py --reuse

clean:
	rm -rf $(VENV) node_modules var
