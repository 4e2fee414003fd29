# The two commands of the README: `make leaflets` and `make test`. Both set up what is missing first.
.PHONY: setup leaflets test lint check bench catalogues

setup:
	@bash scripts/setup.sh

leaflets: setup
	.venv/bin/leaflet-gen build

check: setup
	.venv/bin/leaflet-gen check

# One worker per core, each taking whole test files (their module fixtures: a studio, a browser).
test: setup
	.venv/bin/python -m pytest -q -n auto --dist loadfile

lint: setup
	.venv/bin/ruff check leaflet_gen tests
	npm run --silent lint

# Benchmarks (not tests): ratios against the targets, written to bench/results.json (bench/README.md).
bench: setup
	.venv/bin/python bench/run.py

# Message catalogues (leaflet_gen/i18n.py): new message ids from the code and templates into every
# language's .po file; a translator then fills them in (tests/test_catalogues.py says which are missing).
catalogues: setup
	mkdir -p build
	.venv/bin/pybabel -q extract -F babel/messages.cfg -k msg -k nmsg:1,2 -o build/messages.pot .
	.venv/bin/pybabel -q update -i build/messages.pot -d leaflet_gen/locale -D messages --no-fuzzy-matching
	.venv/bin/pybabel -q extract -F babel/leaflet.cfg -o build/leaflet.pot .
	.venv/bin/pybabel -q update -i build/leaflet.pot -d leaflet_gen/locale -D leaflet --no-fuzzy-matching
