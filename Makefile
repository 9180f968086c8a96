# make demo   installs everything, then answers the seed question offline with the embedded model
# make test   installs everything, then runs the test suite (unit tests + end-to-end on the real model)
# make bench  scores geoscout on three eval sets (the seed set, with the seed's configuration as baseline on
#             the seed question; the places set; the realistic set written outside the team, read from
#             ../shared/evals/realistic), then runs the sandbox's attack suite and latency report

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install system demo test test-fast bench lint clean

install: $(VENV)/.installed system

# llama.cpp compiled for this CPU (-march=native) takes AMX tile instructions where the CPU lists them, and
# those fault where the kernel does not grant them (seen: a general protection fault at `ldtilecfg` on the
# first decode). Build it for x86-64-v3 (AVX2, FMA, F16C) instead, from source: pip's wheel cache does not
# know the flags a cached wheel was built with.
LLAMA_CPP := $(shell grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

$(VENV)/.llama-cpp: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install -q --no-cache-dir --force-reinstall --no-deps \
		'$(LLAMA_CPP)'
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.llama-cpp
	$(BIN)/python -m pip install -q -e '.[local,small,transformers,dev]'
	touch $@

system:
	bash scripts/install-system-deps.sh

demo: install
	$(BIN)/geoscout demo

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not e2e"

bench: install
	$(BIN)/geoscout eval evals/seed --baseline seed --baseline-only seed-top10-december --out runs/bench/seed.json
	$(BIN)/geoscout eval evals/places --time-limit 600 --out runs/bench/places.json
	$(BIN)/geoscout eval ../shared/evals/realistic --time-limit 300 --out runs/bench/realistic.json
	$(BIN)/geoscout eval evals/seed --agent-type tool-calling --time-limit 600 --out runs/bench/seed-tool-calling.json
	$(BIN)/python -m tests.sandbox.report

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

clean:
	rm -rf $(VENV) runs build *.egg-info
