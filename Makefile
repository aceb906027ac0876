# Every set-up step lives here, so a fresh clone needs only `make demo` or `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CLI := node bin/conecta-load.js
STAMP := node_modules/.installed

.PHONY: help install build compile k6 store system-deps test test-unit test-e2e demo bench clean

help:
	@echo "make demo   - install, build, start the sandbox, run a capacity ladder, write reports (main job)"
	@echo "make test   - install everything the tests need and run the whole suite"
	@echo "make install build | make bench | make clean"

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	node scripts/sqlite-prebuild.mjs
	@touch $@

compile: $(STAMP)
	npx tsc -p tsconfig.json

# The pinned k6 (v2.2.0): K6_BIN, a compatible k6 on PATH, the per-machine cache, or built once with Go.
k6: compile
	node scripts/ensure-k6.mjs

# The full stack's object store, SeaweedFS's weed: WEED_BIN, the per-machine cache, or built once with Go (nice 19).
# The demo needs it as the tests do: the personas upload and download files, which a stack without a store answers 503.
# After k6 (order only): two Go builds at once would only share the same cores and double the memory.
store: compile | k6
	node scripts/ensure-weed.mjs

install: $(STAMP) k6

build: compile
	$(CLI) bundle

# Real services the tests use (Prometheus for collectors, Chromium for the report test), from Debian's packages.
system-deps:
	bash scripts/install-system-deps.sh

# The set-up steps at once (Debian's packages install while npm ci, tsc and the Go builds run: on a clean machine
# each waits mostly on the network or the disk), each step's output kept together. Then the unit tests, then the
# end-to-end tests alone (they measure latency on a 2-core machine); one closing count. The unit files get every
# core: vitest's default, one fewer than the cores, ran them one at a time here (144 s against 95 s). Given in the
# config instead, it overrode the e2e project's one file at a time.
VITEST_JSON = --reporter=default --reporter=./scripts/failures-reporter.mjs --reporter=json --outputFile.json=test-output
UNIT_WORKERS = --maxWorkers=$$(nproc)
test:
	@$(MAKE) --no-print-directory -j3 --output-sync=target install build system-deps store
	npm run --silent layers
	npm run --silent typecheck
	@mkdir -p test-output && rm -f test-output/unit.json test-output/e2e.json test-output/failures.jsonl
	@u=0; e=0; \
	npx vitest run --project unit $(UNIT_WORKERS) $(VITEST_JSON)/unit.json || u=$$?; \
	npx vitest run --project e2e $(VITEST_JSON)/e2e.json || e=$$?; \
	node scripts/test-summary.mjs test-output/unit.json test-output/e2e.json; \
	[ $$u -eq 0 ] && [ $$e -eq 0 ]

test-unit: install build
	npx vitest run --project unit $(UNIT_WORKERS)

test-e2e: install build system-deps
	npx vitest run --project e2e

# The full stack's packages when root can install them; otherwise the demo says so and runs on the embedded stack.
demo: install build store
	-@bash scripts/install-system-deps.sh
	$(CLI) demo

# Figures and ratios, never pass/fail: ingest speed vs gzip, sandbox saturation, gate false alarms, USL prediction error,
# change-point false alarms, the sequential gate's wrong-decision rates and time to decision.
bench: install build
	npx vite-node bench/ingest/run.ts
	node dist/node/bench/sandbox/run.js
	node dist/node/bench/gate-false-alarm/run.js
	node dist/node/bench/capacity/run.js
	node dist/node/bench/changepoints/run.js
	node dist/node/bench/sequential/run.js

clean:
	rm -rf dist test-output
