# Makefile: the one hand-written GNU Makefile of exscope.
#
#   make                  build/libexscope.a, build/exscope, unit tests, tools, benchmarks
#   make test             deps + corpora, build, then unit tests, fuzz replay, golden files
#                         and the live conformance run against Elixir's parser
#   make check            `make test` with SAN=address,undefined in build-san/ (alias: asan)
#   make tsan             unit tests under ThreadSanitizer in build-tsan/
#   make bench            parse throughput vs Elixir's own parser (bench/out/parse.txt)
#   make fuzz             libFuzzer targets for FUZZ_SECONDS each (clang, build-fuzz/)
#   make demo             deps + corpora, build, then scripts/demo.sh: parse real projects,
#                         check them against Elixir, show an AST with node IDs and an error
#   make golden-update    regenerate tests/golden/ from Elixir (review the diff!)
#   make layering format install clean
#
# Variables: MODE=release|debug (release: -O2 -g; debug: -O0 -g3), SAN=address,undefined
# (any -fsanitize= list; adds -fno-sanitize-recover=all), BUILD=dir (default build, or
# build-san when SAN is set), WERROR=0 to drop -Werror, CC, PREFIX, DESTDIR.
#
# Layout of BUILD: obj/<source path>.o (+ .d), libexscope.a, exscope, tests/test_<x>,
# <tool> for tests/tools/<tool>.c, bench_<name> for bench/<name>.c.
#
# Every source directory's objects build on their own, so the library and the tests
# whose code exists build even while a module another engineer writes is missing; only
# the binaries that need it fail to link (`make -k` builds all the rest).

VERSION := 0.1.0
MODE ?= release
SAN ?=
WERROR ?= 1
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60

# V=1 shows the full compiler command lines.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

ifeq ($(origin CC),default)
CC := cc
endif

ifneq ($(SAN),)
BUILD ?= build-san
else
BUILD ?= build
endif
B := $(BUILD)

# ---- flags --------------------------------------------------------------------------
WARN := -Wall -Wextra -Wshadow -Wpedantic -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(MODE),debug)
OPT := -O0 -g3 -DEXS_DEBUG=1
else ifeq ($(MODE),release)
OPT := -O2 -g
else
$(error MODE must be release or debug, not '$(MODE)')
endif
ifneq ($(SAN),)
SANFLAGS := -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

CPPFLAGS_ALL := -Iinclude -Isrc -DEXS_VERSION=\"$(VERSION)\" $(CPPFLAGS)
CFLAGS_ALL := -std=c11 $(WARN) $(OPT) $(SANFLAGS) -fvisibility=hidden -MMD -MP $(CFLAGS) \
              $(EXTRA_CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS) $(EXTRA_LDFLAGS)
LDLIBS_ALL := -lpcre2-8 -lm $(LDLIBS)

# ---- sources ------------------------------------------------------------------------
rwildcard = $(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d))

LIB_SRCS := $(sort $(filter-out src/cli/%,$(call rwildcard,src,*.c)))
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
LIB_OBJS := $(call obj,$(LIB_SRCS))
CLI_OBJS := $(call obj,$(CLI_SRCS))
HARNESS_OBJ := $(call obj,tests/unit/harness.c)

LIB := $(B)/libexscope.a
CLI := $(B)/exscope
TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRCS))
TOOLS := $(patsubst tests/tools/%.c,$(B)/%,$(filter-out tests/tools/fuzz_replay.c,$(TOOL_SRCS)))
# replay_<name>: tests/fuzz/fuzz_<name>.c's entry point over saved inputs, no libFuzzer
REPLAYS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/replay_%,$(FUZZ_SRCS))
BENCHES := $(patsubst bench/%.c,$(B)/bench_%,$(BENCH_SRCS))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRCS))

ALL_OBJS := $(LIB_OBJS) $(CLI_OBJS) $(HARNESS_OBJ) $(call obj,$(TEST_SRCS) $(TOOL_SRCS) \
            $(BENCH_SRCS) $(FUZZ_SRCS))

.PHONY: all lib cli tests tools replays benches test test-run check asan tsan bench fuzz demo layering \
        format install uninstall clean golden-update deps deps-oracle corpus conformance
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
# Objects of tests and tools are built through pattern rules: keep them (no rebuilds).
.SECONDARY:

all: lib cli tests tools replays benches
lib: $(LIB)
cli: $(CLI)
tests: $(TESTS)
tools: $(TOOLS)
replays: $(REPLAYS)
benches: $(BENCHES)

# ---- compile and link ---------------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(CLI): $(CLI_OBJS) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) $^ $(LDLIBS_ALL) -o $@

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(HARNESS_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) $^ $(LDLIBS_ALL) -o $@

# replay_<name> runs the libFuzzer entry point of tests/fuzz/fuzz_<name>.c without
# libFuzzer (one binary per target: each defines LLVMFuzzerTestOneInput).
$(B)/replay_%: $(B)/obj/tests/tools/fuzz_replay.o $(B)/obj/tests/fuzz/fuzz_%.o $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) $^ $(LDLIBS_ALL) -o $@

$(B)/%: $(B)/obj/tests/tools/%.o $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) $^ $(LDLIBS_ALL) -o $@

$(B)/bench_%: $(B)/obj/bench/%.o $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) $^ $(LDLIBS_ALL) -o $@

-include $(ALL_OBJS:.o=.d)

# ---- setup (apt; never part of `all`) -----------------------------------------------
deps:
	scripts/deps.sh
deps-oracle:
	scripts/deps.sh --oracle
corpus:
	scripts/corpus.sh

# ---- tests --------------------------------------------------------------------------
# `test` installs what it needs, builds, then runs everything through scripts/test.sh,
# which prints the final "N passed, N failed" line and fails if anything failed.
test: deps-oracle corpus
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory test-run

test-run:
	BUILD=$(B) SAN=$(SAN) scripts/test.sh

check asan: deps-oracle corpus
	$(MAKE) --no-print-directory all SAN=address,undefined BUILD=build-san
	$(MAKE) --no-print-directory test-run SAN=address,undefined BUILD=build-san

# ThreadSanitizer build of the unit tests (the pool, concurrent parses).
tsan:
	$(MAKE) --no-print-directory tests SAN=thread BUILD=build-tsan
	@set -e; for t in build-tsan/tests/test_*; do $$t; done

conformance: deps-oracle corpus all
	BUILD=$(B) tests/conformance/run.sh

golden-update: deps-oracle all
	BUILD=$(B) tests/golden/run.sh --update

# ---- benchmarks, fuzzing, demo ------------------------------------------------------
bench: deps-oracle corpus
	$(MAKE) --no-print-directory all
	BUILD=$(B) bench/run.sh

# libFuzzer needs clang; the library is rebuilt with it in build-fuzz/.
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz:
	scripts/deps.sh --fuzz
	$(MAKE) --no-print-directory lib CC=clang BUILD=build-fuzz MODE=release \
	    EXTRA_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link"
	$(MAKE) --no-print-directory fuzz-bins CC=clang BUILD=build-fuzz
	@set -e; for f in $(FUZZ_BINS); do \
	    name=$${f#build-fuzz/fuzz_}; mkdir -p build-fuzz/corpus-$$name; \
	    echo "fuzz: $$f for $(FUZZ_SECONDS)s (seeds: $$(scripts/test.sh --fuzz-inputs $$name))"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	        -artifact_prefix=build-fuzz/ build-fuzz/corpus-$$name \
	        $$(scripts/test.sh --fuzz-inputs $$name); \
	done

.PHONY: fuzz-bins
fuzz-bins: $(FUZZ_BINS)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libexscope.a
	clang $(CPPFLAGS_ALL) -std=c11 -O1 -g $(FUZZ_FLAGS) -fsanitize=fuzzer $^ -lpcre2-8 -lm -o $@

demo: deps-oracle corpus
	$(MAKE) --no-print-directory all
	@BUILD=$(B) scripts/demo.sh

# ---- hygiene ------------------------------------------------------------------------
layering:
	scripts/layering.sh

FORMAT_SRCS := $(sort $(call rwildcard,src include tests bench,*.c *.h))
format:
	clang-format -i $(FORMAT_SRCS)

install: $(LIB) $(CLI)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/exscope.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
	    'includedir=$${prefix}/include' '' 'Name: exscope' \
	    'Description: Elixir code-intelligence engine (parser)' 'Version: $(VERSION)' \
	    'Libs: -L$${libdir} -lexscope' 'Libs.private: -lpcre2-8 -lm' 'Cflags: -I$${includedir}' \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/exscope.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libexscope.a $(DESTDIR)$(PREFIX)/include/exscope.h \
	    $(DESTDIR)$(PREFIX)/bin/exscope $(DESTDIR)$(PREFIX)/lib/pkgconfig/exscope.pc

clean:
	rm -rf build build-san build-tsan build-fuzz
