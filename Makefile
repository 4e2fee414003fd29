# The two commands of the README: `make leaflets` and `make test`. Both set up what is missing first.
.PHONY: setup leaflets test lint check bench

setup:
	@bash scripts/setup.sh

leaflets: setup
	.venv/bin/leaflet-gen build

check: setup
	.venv/bin/leaflet-gen check

test: setup
	.venv/bin/python -m pytest -q

lint: setup
	.venv/bin/ruff check leaflet_gen tests
	npm run --silent lint

# Benchmarks (not tests): ratios against the targets, written to bench/results.json (bench/README.md).
bench: setup
	.venv/bin/python bench/run.py
