# stationplan Makefile: the project's interface (see README.md).
#
#   make            build ./stationplan
#   make deps       install missing Debian packages (apt-get), no-op when present
#   make demo       deps + build + run the bundled example scenario
#   make check      deps + build + every test (CUnit suites, end-to-end runs)
#   make sanitize   the same tests under ASan+UBSan, failing on any report
#   make valgrind   the unit tests under valgrind (--error-exitcode)
#   make bench      build the three cities and time every stage against glpsol
#   make bench-national  a simulated nation (tools/mknation) as shards with GNU
#                   parallel; NATION_SCALE=1 NATION_SHARDS=8 NATION_JOBS=2
#   make format     apply .clang-format to every C file
#
# Quiet output unless V=1. Objects and header dependencies (-MMD) go to $(BUILD).

BUILD    ?= build
CC       ?= cc
PKGS     := gdal proj geos inih cunit
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -Werror
OPT      ?= -O2 -g
SAN      ?=
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SAN) -Iinclude -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lpthread -lm
BIN      ?= stationplan

FLOORS   := src/core src/geom src/compare src/cli io solver
LIB_SRC  := $(sort $(foreach d,$(FLOORS),$(wildcard $(d)/*.c)))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/cu_*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
SUITES   := $(patsubst tests/cu_%.c,%,$(filter-out tests/cu_tester.c,$(TEST_SRC)))
TOOLS    := $(patsubst tools/%.c,$(BUILD)/tools/%,$(wildcard tools/*.c))

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps demo demo-only check check-only sanitize valgrind valgrind-only bench bench-only \
	bench-national \
	format clean fixtures tools cities

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
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

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

bench-only: $(BIN) $(TOOLS)
	$(Q)scripts/bench.sh ./$(BIN) $(BUILD)

NATION_SCALE  ?= 1
NATION_SHARDS ?= 8
NATION_JOBS   ?= 2
bench-national: $(BIN) $(TOOLS)
	$(Q)scripts/bench_national.sh ./$(BIN) $(BUILD) $(NATION_SCALE) $(NATION_SHARDS) $(NATION_JOBS)

fixtures: $(TOOLS)
	$(Q)scripts/mkfixtures.sh $(BUILD)

# The three full cities (every district, seed 1) into $(BUILD)/cities/<city>/.
cities: $(TOOLS)
	$(Q)scripts/mkcities.sh $(BUILD)

format:
	$(Q)clang-format -i $(wildcard $(foreach d,$(FLOORS) tests tools include,$(d)/*.c $(d)/*.h))

clean:
	rm -rf build $(BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
