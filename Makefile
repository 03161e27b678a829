# ECharts, inlined into every HTML report page (pipeline/report). Not
# committed: `make assets` fetches the pinned release from the npm
# registry, checks it against the pinned checksums and extracts the one
# file the reports use.
ECHARTS_VERSION := 5.5.1
# npm "integrity" of echarts-$(ECHARTS_VERSION).tgz: base64 of its SHA-512.
ECHARTS_TGZ_SHA512 := Fce8upazaAXUVUVsjgV6mBnGuqgO+JNDlcgF79Dksy4+wgGpQB2lmYoO4TSweFg/mZITdpGHomw/cNBJZj1icA==
# SHA-256 (hex) of package/dist/echarts.min.js in that tarball.
ECHARTS_JS_SHA256 := e84270bd0cd5bdf60fefc26d00c2a391cb2e81f4d26a7a9ee16185a54773a3cf
ECHARTS_JS := reports/assets/echarts.min.js

.PHONY: assets
assets:
	@set -eu; \
	sha256() { openssl dgst -sha256 -r "$$1" | cut -d' ' -f1; }; \
	if [ -f $(ECHARTS_JS) ] && [ "$$(sha256 $(ECHARTS_JS))" = "$(ECHARTS_JS_SHA256)" ]; then \
		echo "assets: $(ECHARTS_JS) is echarts $(ECHARTS_VERSION), up to date"; exit 0; \
	fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "assets: npm pack echarts@$(ECHARTS_VERSION)"; \
	(cd "$$tmp" && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null); \
	tgz="$$tmp/echarts-$(ECHARTS_VERSION).tgz"; \
	got=$$(openssl dgst -sha512 -binary "$$tgz" | openssl base64 -A); \
	if [ "$$got" != "$(ECHARTS_TGZ_SHA512)" ]; then \
		echo "assets: integrity mismatch for echarts-$(ECHARTS_VERSION).tgz: got sha512-$$got, want sha512-$(ECHARTS_TGZ_SHA512)" >&2; exit 1; \
	fi; \
	tar -xzf "$$tgz" -C "$$tmp" package/dist/echarts.min.js; \
	got=$$(sha256 "$$tmp/package/dist/echarts.min.js"); \
	if [ "$$got" != "$(ECHARTS_JS_SHA256)" ]; then \
		echo "assets: sha256 mismatch for dist/echarts.min.js: got $$got, want $(ECHARTS_JS_SHA256)" >&2; exit 1; \
	fi; \
	mkdir -p $(dir $(ECHARTS_JS)); \
	cp "$$tmp/package/dist/echarts.min.js" $(ECHARTS_JS).tmp; \
	mv $(ECHARTS_JS).tmp $(ECHARTS_JS); \
	echo "assets: wrote $(ECHARTS_JS) (echarts $(ECHARTS_VERSION), sha256 $(ECHARTS_JS_SHA256))"

# ---------------------------------------------------------------------------
# The two commands of the README: `make demo` runs the main job on the
# built-in demo data; `make test` runs every test (CI runs exactly this).

GO ?= go
KAA := bin/kaa

.PHONY: demo test build vet bench fuzz clean

build: assets
	$(GO) build -o $(KAA) ./cmd/kaa

# The second demo kommun, fixtures/vendor (Partille): exports shaped as its
# own systems write them, read through its mapping.toml (docs/mapping.md).
# It is run on its own (not as a region with 2281) so that the main demo
# stays the single-kommun report of the seed; it uses the public demo key
# (personnummer.DemoKey), never a real one.
DEMO_KEY := DEMO-KEY-not-for-real-data-0000

demo: build
	./$(KAA) run -v
	./$(KAA) inspect --inputs fixtures/vendor | tail -n 1
	KAA_PSEUDO_KEY=$(DEMO_KEY) ./$(KAA) run -v --inputs fixtures/vendor --config fixtures/demo.toml \
		--db kaa-vendor.duckdb --out out-vendor --staff kaa-personal-vendor

vet:
	$(GO) vet ./...

test: assets vet
	$(GO) test -count=1 -timeout 20m ./...

# Benchmarks measure speed and memory; tests never time anything.
# `make bench` runs bench/ (BenchmarkScale) once against bin/kaa: data are
# generated once per size into $(BENCH_DATA); see docs/scaling.md. The
# national size: make bench BENCH_KOMMUNER=290 BENCH_YEARS=3 BENCH_SCALE=2
BENCH_KOMMUNER ?= 3
BENCH_YEARS ?= 1
BENCH_SCALE ?= 1
BENCH_DATA ?= $(or $(TMPDIR),/tmp)/kaa-bench-data
BENCH_STEPS ?= ingest,run,kommun,incremental
bench: build
	BENCH_KOMMUNER=$(BENCH_KOMMUNER) BENCH_YEARS=$(BENCH_YEARS) BENCH_SCALE=$(BENCH_SCALE) \
	BENCH_DATA=$(BENCH_DATA) BENCH_STEPS=$(BENCH_STEPS) BENCH_KAA=$(CURDIR)/$(KAA) \
		$(GO) test -run '^$$' -bench Scale -benchtime 1x -timeout 0 ./bench/

FUZZTIME ?= 30s
fuzz:
	@set -e; \
	for pkg in $$($(GO) list ./pipeline/...); do \
		for f in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf bin out kaa-personal kaa.duckdb kaa.duckdb.wal out-vendor kaa-personal-vendor kaa-vendor.duckdb kaa-vendor.duckdb.wal
