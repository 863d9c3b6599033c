# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint

# pip's wheel cache makes reinstalls fast; the first build of llama-cpp-python compiles
# llama.cpp (about 7 minutes on 2 cores).
$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	EMBEDDED_MODEL_PRELOAD=$${EMBEDDED_MODEL_PRELOAD:-true} bin/serve

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
