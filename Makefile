# Two commands: `make run` (the portal with the demo city on http://127.0.0.1:8000) and
# `make test` (the whole suite). Both create the virtualenv and install on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint check messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py compilemessages -l uk --ignore=.venv -v0
	$(BIN)/python manage.py migrate --noinput -v0

run: setup
	$(BIN)/python manage.py load_demo
	@echo "Е-кабінет: http://$(HOST):$(PORT)/"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python manage.py compilemessages -l uk --ignore=.venv -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# After changing interface strings: refresh the catalogue, translate, then `make test`.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l uk --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-location

clean:
	rm -rf $(VENV) var
