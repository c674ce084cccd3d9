# casegraph: `make demo` sets everything up and runs the main job on the example;
# `make test` runs the whole test suite on SQLite and on PostgreSQL. Both install what is missing first.
SHARED   ?= ../shared
ESTATE   := $(SHARED)/corpus/epstein-estate
SEEDS    := $(SHARED)/corpus/seeds
DEMO_DB  ?= out/demo.db
SAMPLE   ?= 40
SERVE    ?= 1
PORT     ?= 8000
CG       := .venv/bin/casegraph --db $(DEMO_DB)

.PHONY: setup demo test check bench lock clean

setup:
	@bash scripts/setup.sh

demo: setup
	@mkdir -p out && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(CG) ingest $(SEEDS) --kind article
	$(CG) ingest "$(ESTATE)/HOUSE_OVERSIGHT_009_REPORT.csv" "$(ESTATE)/Emails" "$(ESTATE)/Merged Documents" --kind source --max-files $(SAMPLE)
	$(CG) ingest "$(ESTATE)/Merged Documents/HOUSE_OVERSIGHT_029859.txt" --kind source  # the e-mail examples/pasted_story_article.txt draws on
	$(CG) docs
	$(CG) analyze --no-index  # the sample's 43k source sentences would take minutes to embed: see README
	$(CG) info
	$(CG) check "$(SEEDS)/000_91a462219fb05cc3.txt" --format html -o out/report.html
	@echo "HTML report: out/report.html"
	$(CG) check examples/pasted_story_article.txt  # who said what: each status, with both speakers
	@if [ "$(SERVE)" != "0" ]; then echo "Serving the case: open http://127.0.0.1:$(PORT)/ (Ctrl-C stops it; make demo SERVE=0 skips this)"; $(CG) serve --port $(PORT); fi

# The whole suite on SQLite, then the backend-generic tests on a throwaway PostgreSQL server
# (tests marked sqlite_only or both_backends are left out there): one summary per backend.
# `make test TEST_BACKENDS=sqlite` runs one pass only.
TEST_BACKENDS ?= sqlite postgresql
test: setup
	@status=0; for backend in $(TEST_BACKENDS); do \
	  echo "== tests on $$backend =="; \
	  CASEGRAPH_TEST_DB=$$backend .venv/bin/python -m pytest -q $(PYTEST_ARGS) || status=1; \
	done; exit $$status

# Static checks (CI runs these before the tests).
check: setup
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/ruff format --check src tests benchmarks scripts
	.venv/bin/mypy

bench: setup
	for b in benchmarks/*_bench.py; do .venv/bin/python $$b || exit 1; done

# Re-pin requirements.lock (hashes included) from requirements.in.
lock:
	.venv/bin/pip install -q pip-tools && .venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe -o requirements.lock requirements.in

clean:
	rm -rf out .pytest_cache
