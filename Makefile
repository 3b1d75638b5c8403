# Vigilance — two commands for a new user: `make run` and `make test`.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export VIGILANCE_HOME ?= $(HOME)/.local/share/vigilance
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: install run index test bench bench-quick lint eval vectors deploy-local

$(BIN)/python:
	$(PY) -m venv $(VENV)

# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --upgrade "pip==25.3"
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Indexes the bundled corpus when the index is missing or stale (cheap when up to date),
# with a progress bar: files read, passages embedded, rate and time left.
index: install
	$(BIN)/vigilance index

run: index
	$(BIN)/vigilance serve --host $(HOST) --port $(PORT)

# The shared deployment without containers (deploy/run-local.sh): a Chroma server, the
# bundled corpus indexed into it, the HTTP API and the app, all on 127.0.0.1, data under
# DEPLOY_DATA (default ~/.local/share/vigilance-deploy); Ctrl-C stops them all.
deploy-local: install
	bash deploy/run-local.sh

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

# ruff, then the import contracts of pyproject.toml (the layers of the code).
lint: install
	$(BIN)/ruff check indexer assistant evals tests app.py
	$(BIN)/lint-imports --no-cache

eval: index
	$(BIN)/python -m evals --out evals/results

# Indexing, re-indexing, warm and cold latency, memory, and 10 app users (about 15 min);
# then the same store at 10k, 100k and 1M passages, embedded and behind a Chroma server,
# and one indexer against two sharing a server (evals/bench/scale.py; the stores are built
# once, one to two hours for the million, and kept in ~/.cache/vigilance-bench).
bench: install
	$(BIN)/python -m evals.bench --with-app
	$(BIN)/python -m evals.bench.scale

# A smoke run of both (a few minutes): small stores, few questions, no second indexer.
bench-quick: install
	$(BIN)/python -m evals.bench --quick --out evals/results/bench-quick.json
	$(BIN)/python -m evals.bench.scale --sizes 10000 --questions 10 --cold-runs 1 --indexers 0 \
		--out evals/results/scale-quick.json

# The bundled corpus's vectors (corpus/.vectors/), after editing cards: a first index of
# the corpus then embeds nothing it ships (python -m indexer.seed check says what is covered).
vectors: install
	$(BIN)/python -m indexer.seed build
