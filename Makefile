# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Generated once, kept out of git, reused by every later run: settings refuse to start without a key.
SECRET_KEY_FILE := var/secret_key
# Static files change only with the installed packages; collecting (and compressing) takes ~20 s.
STATIC_MANIFEST := var/static/staticfiles.json

.PHONY: run test install static lint

# pip's wheel cache makes reinstalls fast; the first build of llama-cpp-python compiles
# llama.cpp (about 7 minutes on 2 cores).
$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

$(SECRET_KEY_FILE):
	mkdir -p $(dir $@)
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

$(STATIC_MANIFEST): $(STAMP) $(SECRET_KEY_FILE)
	DJANGO_SECRET_KEY_FILE=$(abspath $(SECRET_KEY_FILE)) $(PY) manage.py collectstatic --noinput --verbosity 0

static: $(STATIC_MANIFEST)

# A DJANGO_SECRET_KEY in the environment wins over the generated file.
run: export DJANGO_SECRET_KEY_FILE := $(abspath $(SECRET_KEY_FILE))
run: install $(SECRET_KEY_FILE) static
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	EMBEDDED_MODEL_PRELOAD=$${EMBEDDED_MODEL_PRELOAD:-true} bin/serve

# The live-server tests (tests/serve, tests/browser) serve the collected static files.
test: install static
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
