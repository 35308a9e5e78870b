# Concurrency Playground — build, serve, test, bench.
#   make setup            install missing tools (scripts/setup.sh)
#   make serve            dev server on http://127.0.0.1:8080/
#   make dist             release build into dist/ (PUBLIC_URL=/x/ to pin a base path; default ./)
#   make test             setup --browser, cargo test, relative dist, e2e suite  (what .ci/run runs)
#   make e2e              e2e suite only, against the existing dist/
#   make bench            sizes + load timings of a fresh relative release build
#   make clean
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := dist

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
# node_modules/.bin first: Trunk must find binaryen's wasm-opt there (offline = true).
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

PUBLIC_URL ?=
E2E_FILES := $(wildcard tests/e2e/*.test.mjs)
E2E := node --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec $(E2E_FILES)

# $(call release_build,PUBLIC_URL-or-empty)
define release_build
	@echo "trunk build --release$(if $(1), --public-url $(1)) -> dist/"
	@trunk --quiet build --release --offline $(if $(1),--public-url "$(1)")
endef

.PHONY: setup setup-browser serve dist test e2e bench clean

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh --browser

serve: setup
	@echo "serving on http://127.0.0.1:8080/"
	trunk serve --offline

dist: setup
	$(call release_build,$(PUBLIC_URL))

# Always relative ("./"): the e2e server mounts dist/ under /playground/.
test: setup-browser
	cargo test --quiet
	$(call release_build,)
	@$(MAKE) --no-print-directory e2e

e2e:
	@test -f dist/index.html || { echo "e2e: dist/index.html missing — run 'make dist' first" >&2; exit 1; }
	$(E2E)

bench: setup-browser
	$(call release_build,)
	node bench/bench.mjs

clean:
	cargo clean --quiet
	rm -rf dist tests/e2e/artifacts
