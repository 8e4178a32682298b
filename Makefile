# Xinyidai — one non-recursive Makefile. Objects live under build/<variant>/.
#   make            release server (build/release/xinyidai)
#   make run        install what is missing, start a private MariaDB, serve
#   make test       sanitizer build, unit + API (+ browser) tests, one summary line
#   make bench      benchmarks (not part of make test)
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60)
#   make migrate    apply migrations to the configured database and exit
#   make check-boundaries   fail on an include or SQL outside its module, or a C
#                   file off the house format (XYD_SKIP_FORMAT_CHECK=1 skips that)
#   make format     rewrite every C file in the house format (.clang-format)
#   make clean

CC      ?= cc
PKGS     = libevent libevent_pthreads libcjson libjwt libsodium
# Recursive (=) on purpose: these run only when a recipe needs them, so
# `make run` can install the packages before anything asks pkg-config.
DEP_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(shell mariadb_config --cflags 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(shell mariadb_config --libs 2>/dev/null) -lcsv -lpthread

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
BASE     = -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP -I.
RELEASE_CFLAGS = $(BASE) -O2 -g
ASAN_CFLAGS    = $(BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_LDFLAGS   = -fsanitize=address,undefined

LIB_SRC  = $(wildcard common/*.c) $(wildcard matching/*.c) $(wildcard scoring/*.c) $(wildcard models/*.c) \
           $(wildcard services/*.c) $(wildcard server/http/*.c) $(wildcard server/api/*.c)
MAIN_SRC = server/main.c
TEST_SRC = $(wildcard tests/*/test_*.c)
BENCH_SRC = $(wildcard bench/*.c)

REL_OBJ  = $(LIB_SRC:%.c=build/release/%.o)
ASAN_OBJ = $(LIB_SRC:%.c=build/asan/%.o)
TEST_BIN = $(TEST_SRC:%.c=build/asan/%)
BENCH_BIN = $(BENCH_SRC:%.c=build/release/%)

.PHONY: all run test test-build unit bench migrate check-boundaries format deps clean
all: build/release/xinyidai

build/release/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC      $<"
	@$(CC) $(RELEASE_CFLAGS) $(DEP_CFLAGS) -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC asan $<"
	@$(CC) $(ASAN_CFLAGS) $(DEP_CFLAGS) -c $< -o $@

build/release/libxyd.a: $(REL_OBJ)
	@rm -f $@
	@ar rcs $@ $^

build/asan/libxyd.a: $(ASAN_OBJ)
	@rm -f $@
	@ar rcs $@ $^

build/release/xinyidai: build/release/server/main.o build/release/libxyd.a
	$(CC) -o $@ $^ $(DEP_LIBS)

build/asan/xinyidai: build/asan/server/main.o build/asan/libxyd.a
	$(CC) $(ASAN_LDFLAGS) -o $@ $^ $(DEP_LIBS)

# A unit test may #include the .c it tests to reach static functions; the
# archive then supplies only what the test does not define itself.
build/asan/tests/%: tests/%.c build/asan/libxyd.a
	@mkdir -p $(dir $@)
	@echo "TEST    $<"
	@$(CC) $(ASAN_CFLAGS) $(DEP_CFLAGS) -o $@ $< build/asan/libxyd.a $(ASAN_LDFLAGS) $(DEP_LIBS) -lcmocka

build/release/bench/%: bench/%.c build/release/libxyd.a
	@mkdir -p $(dir $@)
	$(CC) $(RELEASE_CFLAGS) $(DEP_CFLAGS) -o $@ $< build/release/libxyd.a $(DEP_LIBS)

deps:
	@scripts/deps.sh

run:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test-build: build/asan/xinyidai $(TEST_BIN) check-boundaries

test:
	@scripts/deps.sh --test
	@$(MAKE) --no-print-directory test-build
	@scripts/test.sh

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@scripts/bench.sh

migrate:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@scripts/run.sh --migrate-only

check-boundaries:
	@scripts/check-boundaries.sh

format:
	@scripts/check-format.sh --fix

clean:
	rm -rf build

# web (W1): Apache ECharts, pinned in package.json/package-lock.json, copied out
# of node_modules into web-static/vendor/ (git-ignored) so that no page loads
# anything from outside the server; `npm ci` runs here when node_modules lacks it.
ECHARTS_SRC = node_modules/echarts/dist/echarts.esm.min.mjs
ECHARTS_DST = web-static/vendor/echarts.esm.min.mjs
all test-build: $(ECHARTS_DST)
$(ECHARTS_DST): package-lock.json
	@test -f $(ECHARTS_SRC) || npm ci --no-audit --no-fund
	@mkdir -p $(dir $@)
	@cp $(ECHARTS_SRC) $@
	@cp node_modules/echarts/LICENSE $(dir $@)echarts.LICENSE.txt
	@echo "WEB     $@"

# A gzip copy of each page file beside it (git-ignored): the server sends it to
# clients that take gzip, so a first visit moves about a third of the bytes.
WEB_GZ_SRC := $(ECHARTS_DST) $(shell find web-static -path web-static/vendor -prune -o -type f \
	\( -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) -print)
all test-build: $(addsuffix .gz,$(WEB_GZ_SRC))
web-static/%.gz: web-static/%
	@gzip -9 -n -c $< > $@.tmp && mv $@.tmp $@
# end web

# scoring_bench (bench/scoring_bench.c) is built for `make bench` with the other
# BENCH_BIN and run by scripts/bench.sh. `make bench-scoring` runs it alone (no
# database); with SCORING_BASELINE=<another scorecard.c>, whose scorecard.h sits
# beside it, that copy is timed beside this one in the same run, its public
# names prefixed with baseline_.
SCORING_BASELINE_NAMES = scoring_compute scoring_weights_v1 scoring_category_name \
	scoring_category_parse scoring_kind_count scoring_days_from_civil scoring_civil_from_days
.PHONY: bench-scoring
bench-scoring: build/release/bench/scoring_bench
ifdef SCORING_BASELINE
	@mkdir -p build/release/bench
	$(CC) $(filter-out -MMD -MP,$(RELEASE_CFLAGS)) $(foreach f,$(SCORING_BASELINE_NAMES),-D$(f)=baseline_$(f)) \
		-c $(SCORING_BASELINE) -o build/release/bench/scoring_baseline.o
	$(CC) $(filter-out -MMD -MP,$(RELEASE_CFLAGS)) -DSCORING_BENCH_BASELINE -o build/release/bench/scoring_bench_vs \
		bench/scoring_bench.c build/release/bench/scoring_baseline.o build/release/libxyd.a
	build/release/bench/scoring_bench_vs
else
	build/release/bench/scoring_bench
endif

# fuzz (issue 11): libFuzzer targets fuzz/fuzz_<name>.c for every parser of
# untrusted input, built with clang into build/fuzz/ against the project's
# sources compiled for coverage (-fsanitize=fuzzer-no-link) with ASan and
# UBSan. Each target links only the objects it names below: no MariaDB, no
# libevent loop (static_path's target includes static_files.c; router's gets
# stub handlers). `make fuzz` runs each for FUZZ_SECONDS, FUZZ_JOBS targets at
# a time (scripts/fuzz.sh); `make test` replays the seeds and runs each for
# 20 s as the suite "fuzz"; test-build builds them.
FUZZ_CC      = clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_CFLAGS  = $(BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all
FUZZ_LDFLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIBS    = $(shell pkg-config --libs libcjson libjwt libsodium libevent 2>/dev/null) -lcsv -lpthread
FUZZ_TARGETS = json_strict router token csv_import static_path validate
FUZZ_OBJ_json_strict = server/http/json_strict server/http/api_error common/validate common/district common/xmalloc common/base common/log
FUZZ_OBJ_router      = server/http/router server/api/routes common/validate common/district common/base common/log
FUZZ_OBJ_token       = server/http/token common/log common/base
FUZZ_OBJ_csv_import  = server/api/credit_csv server/http/json_strict server/http/api_error common/validate common/district common/xmalloc common/base common/log
FUZZ_OBJ_static_path = server/http/api_error common/validate common/district common/xmalloc
FUZZ_OBJ_validate    = common/validate common/district common/csv
FUZZ_BIN = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
.PHONY: fuzz fuzz-build
test-build: $(FUZZ_BIN)
fuzz-build: $(FUZZ_BIN)
	@:
fuzz:
	@scripts/deps.sh --test
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/fuzz.sh --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(FUZZ_TARGETS)

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC fuzz $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP_CFLAGS) -c $< -o $@

# The route table names every handler and body schema; the router's target
# gets stubs of both. A handler is the word handle_* before a comma,
# wherever the row breaks.
build/fuzz/route_stubs.c: server/api/routes.c
	@mkdir -p $(dir $@)
	@{ echo '#include "server/api/handlers.h"'; \
	  grep -oE '\bhandle_[a-z0-9_]+[[:space:]]*,' $< | tr -d ', \t' | sort -u | \
	  sed 's/.*/xyd_status &(request_ctx *rc) { (void)rc; return XYD_INTERNAL; }/'; \
	  grep -o 'BODY([a-z0-9_]*)' $< | sort -u | \
	  sed 's/BODY(\(.*\))/const route_body \1_body = {NULL, 0, false};/'; } >$@
build/fuzz/route_stubs.o: build/fuzz/route_stubs.c
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEP_CFLAGS) -c $< -o $@
build/fuzz/fuzz_router: build/fuzz/route_stubs.o

define FUZZ_LINK
build/fuzz/fuzz_$(1): build/fuzz/fuzz/fuzz_$(1).o $$(patsubst %,build/fuzz/%.o,$$(FUZZ_OBJ_$(1)))
	@echo "FUZZ    $$@"
	@$$(FUZZ_CC) $$(FUZZ_LDFLAGS) -o $$@ $$^ $$(FUZZ_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_LINK,$(t))))
# end fuzz

-include $(shell find build -name '*.d' 2>/dev/null)
