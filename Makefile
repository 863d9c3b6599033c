# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Generated once, kept out of git, reused by every later run: settings refuse to start without a key.
SECRET_KEY_FILE := var/secret_key
# Static files change only with the installed packages; collecting (and compressing) takes ~20 s.
STATIC_MANIFEST := var/static/staticfiles.json
# The inference engine: llama.cpp's llama-server, built from the llama.cpp source that
# llama-cpp-python's sdist ships (PyPI is the one registry we reach). About 7 minutes on 2 cores,
# once per checkout; docs/architecture.md says why this engine.
LLAMA_CPP_SDIST := llama-cpp-python==0.3.36
ENGINE_DIR := var/engine
ENGINE_BIN := $(ENGINE_DIR)/bin/llama-server

.PHONY: run test install static engine lint

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

# One static binary (no shared libraries to find at run time), tuned for this machine's CPU.
$(ENGINE_BIN):
	rm -rf $(ENGINE_DIR)/src $(ENGINE_DIR)/build
	mkdir -p $(ENGINE_DIR)/src $(ENGINE_DIR)/bin
	$(PYTHON) -m pip download --quiet --no-deps --no-binary :all: -d $(ENGINE_DIR)/src $(LLAMA_CPP_SDIST)
	tar xzf $(ENGINE_DIR)/src/*.tar.gz -C $(ENGINE_DIR)/src
	cmake -S $(ENGINE_DIR)/src/llama_cpp_python-*/vendor/llama.cpp -B $(ENGINE_DIR)/build -G Ninja \
	  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TESTS=OFF \
	  -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_CURL=OFF > $(ENGINE_DIR)/build.log
	cmake --build $(ENGINE_DIR)/build --target llama-server -j$$(nproc) >> $(ENGINE_DIR)/build.log
	cp $(ENGINE_DIR)/build/bin/llama-server $@
	rm -rf $(ENGINE_DIR)/src $(ENGINE_DIR)/build

engine: $(ENGINE_BIN)

# A DJANGO_SECRET_KEY in the environment wins over the generated file.
run: export DJANGO_SECRET_KEY_FILE := $(abspath $(SECRET_KEY_FILE))
run: install $(SECRET_KEY_FILE) static engine
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	bin/serve

# The live-server tests (tests/serve, tests/browser) serve the collected static files; the
# embedded model's tests start the engine. The import contracts (pyproject.toml) run first.
test: install static engine
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
