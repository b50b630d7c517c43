# stationplan Makefile: the project's interface (see README.md).
#
#   make            build ./stationplan
#   make deps       install missing Debian packages (apt-get), no-op when present
#   make demo       deps + build + run the bundled example scenario
#   make check      deps + build + every test (CUnit suites, end-to-end runs)
#   make sanitize   the same tests under ASan+UBSan, failing on any report
#   make valgrind   the unit tests under valgrind (--error-exitcode)
#   make bench      build the bench cities and time every stage against glpsol
#   make bench-phases  a two-phase plan and a station budget on a dense city
#   make bench-levels  the seconds and gaps two upper levels add on each bench city
#   make bench-national  a simulated nation (tools/mknation) as shards with GNU
#                   parallel; NATION_SCALE=1 NATION_SHARDS=2 NATION_JOBS=2
#   make format     apply .clang-format to every C file
#   make fuzz       libFuzzer harnesses (clang, ASan+UBSan) for the scenario
#                   parser, the unit reader and the plan reader, each run for
#                   FUZZ_SECONDS (default 60); a crash fails the target
#
# Quiet output unless V=1. Objects and header dependencies (-MMD) go to $(BUILD).

BUILD    ?= build
CC       ?= cc
PKGS     := gdal proj geos inih cunit jansson xlsxwriter cairo pangocairo igraph
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -Werror
OPT      ?= -O2 -g
SAN      ?=
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SAN) -Iinclude -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lpthread -lm
BIN      ?= stationplan

FLOORS   := src/core src/geom src/compare src/report src/cli io solver
LIB_SRC  := $(sort $(foreach d,$(FLOORS),$(wildcard $(d)/*.c)))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/cu_*.c))
TEST_LIB := tests/bf_enum.c
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o) $(TEST_LIB:%.c=$(BUILD)/%.o) $(FUZZ_SRC:%.c=$(BUILD)/%.o)
SUITES   := $(patsubst tests/cu_%.c,%,$(filter-out tests/cu_tester.c,$(TEST_SRC)))
TOOLS    := $(patsubst tools/%.c,$(BUILD)/tools/%,$(wildcard tools/*.c))

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps demo demo-only check check-only sanitize valgrind valgrind-only bench bench-only bench-phases bench-levels \
	bench-national format clean fixtures tools cities fuzz fuzz-bins

all: $(BIN)

deps:
	$(Q)scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libstationplan.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/src/cli/main.o $(BUILD)/libstationplan.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# The suite table is generated from the tests/cu_<suite>.c files present, so
# adding a suite is adding a file (each exports <suite>_suite_setup()).
$(BUILD)/cu_suites.h: $(TEST_SRC)
	@mkdir -p $(BUILD)
	$(Q){ for s in $(SUITES); do echo "void $${s}_suite_setup(void);"; done; \
	  echo "#define CU_SUITE_TABLE \\"; \
	  for s in $(SUITES); do echo "	$${s}_suite_setup, \\"; done; \
	  echo "	NULL"; } > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/cu_tester.o: $(BUILD)/cu_suites.h

$(BUILD)/cu_tester: $(TEST_OBJ) $(BUILD)/libstationplan.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tools/%: tools/%.c $(BUILD)/libstationplan.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(filter %.c %.a,$^) $(LDLIBS_ALL)

# The tools' own headers (gcc -MMD in one compile-and-link step records
# only some of them).
$(TOOLS): $(wildcard tools/*.h)

tools: $(TOOLS)

# Tests run from the repository root; the end-to-end suites find the binary
# through SP_BIN and write their outputs under $(BUILD)/test-out.
check: deps
	$(Q)$(MAKE) --no-print-directory check-only

check-only: $(BIN) $(BUILD)/cu_tester $(TOOLS)
	$(Q)SP_BIN=./$(BIN) SP_BUILD=$(BUILD) $(BUILD)/cu_tester $(SUITE)

# ASan+UBSan: a separate build tree, every report fatal.
sanitize: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/san BIN=build/san/stationplan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  SP_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 check-only

# Targets that may install packages first re-enter make, so that the
# pkg-config flags are read after the packages exist.
valgrind: deps
	$(Q)$(MAKE) --no-print-directory valgrind-only

valgrind-only: $(BIN) $(BUILD)/cu_tester
	$(Q)SP_BIN=./$(BIN) SP_BUILD=$(BUILD) SP_VALGRIND=1 valgrind -q --error-exitcode=99 \
	  --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes \
	  --suppressions=tests/valgrind.supp $(BUILD)/cu_tester $(VALGRIND_SUITES)

demo: deps
	$(Q)$(MAKE) --no-print-directory demo-only

demo-only: $(BIN)
	$(Q)scripts/demo.sh ./$(BIN)

bench: deps
	$(Q)$(MAKE) --no-print-directory bench-only

# make bench: the cities against the baseline, then the phased plan on the
# densest city (bench-phases); SP_BENCH_PHASES=0 leaves the phases out.
bench-only: $(BIN) $(TOOLS)
	$(Q)scripts/bench.sh ./$(BIN) $(BUILD)
	$(Q)[ "$${SP_BENCH_PHASES:-1}" = 0 ] || scripts/bench_phases.sh ./$(BIN) $(BUILD)

bench-phases: $(BIN) $(TOOLS)
	$(Q)scripts/bench_phases.sh ./$(BIN) $(BUILD)

bench-levels: $(BIN) cities
	$(Q)scripts/bench_levels.sh ./$(BIN) $(BUILD)

NATION_SCALE  ?= 1
NATION_SHARDS ?= 2
NATION_JOBS   ?= 2
bench-national: $(BIN) $(TOOLS)
	$(Q)scripts/bench_national.sh ./$(BIN) $(BUILD) $(NATION_SCALE) $(NATION_SHARDS) $(NATION_JOBS)

fixtures: $(TOOLS)
	$(Q)scripts/mkfixtures.sh $(BUILD)

# The bench cities (seed 1) into $(BUILD)/cities/<name>/: the three full
# cities, the same dense with streets, the 1,000- and 2,000-community cores,
# and with SP_BENCH_SET=full the 20,000-community metropolis (scripts/mkcities.sh).
cities: $(TOOLS)
	$(Q)scripts/mkcities.sh $(BUILD)

# Fuzzing: the library again with clang and -fsanitize=fuzzer-no-link, ASan
# and UBSan (float-cast-overflow included, which gcc's UBSan lacks), one
# harness per target (tests/fuzz/). Each runs on a corpus in
# $(BUILD)/fuzz-corpus/<target> seeded from fixtures/ and
# fixtures/fuzz/<target>/ (the kept reproducers, replayed by
# tests/cu_fuzz.c); a crash leaves crash-* in $(BUILD)/fuzz-crash/ and fails.
FUZZ_TARGETS := scenario units plan
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
FUZZ_OPTS    ?=

fuzz:
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-bins
	$(Q)scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) "$(FUZZ_OPTS)" $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz-%)

$(BUILD)/fuzz-%: tests/fuzz/main.c $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/libstationplan.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -DFUZZ_TARGET=fuzz_$* -Itests/fuzz -o $@ \
	  $(filter-out %.h,$^) \
	  $(LDLIBS_ALL)

format:
	$(Q)clang-format -i $(wildcard $(foreach d,$(FLOORS) tests tests/fuzz tools include,$(d)/*.c $(d)/*.h))

clean:
	rm -rf build $(BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
