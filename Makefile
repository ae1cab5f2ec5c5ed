# Developer tasks. `make bench` prints every performance figure of docs/benchmarks (see docs/development.md, "Performance").
.PHONY: bench bench-sqlite bench-postgresql bench-map

VENV ?= .venv
PY := $(VENV)/bin/python

# The project's virtual environment (scripts/_venv.sh makes it on a fresh machine), then the
# bench extra (gunicorn, redis). Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis
# at 127.0.0.1:6379, or BENCH_POSTGRES / REDIS_URL pointing elsewhere (see bench/run.py).
$(VENV)/.bench-installed: pyproject.toml
	bash -c 'source scripts/_venv.sh'
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"
	touch $@

bench: $(VENV)/.bench-installed
	$(PY) bench/run.py

bench-sqlite: $(VENV)/.bench-installed
	$(PY) bench/run.py --only sqlite

bench-postgresql: $(VENV)/.bench-installed
	$(PY) bench/run.py --only postgresql

bench-map: $(VENV)/.bench-installed
	$(PY) bench/run.py --only map
