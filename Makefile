# devmap: top-level build.
#   make          build the core, the simulated host and the unit tests
#   make demo     the demo: processes sharing QEMU's edu card (in a VM)
#   make demo-sim the same idea on the simulated host, no VM
#   make check    run every test suite: the core on the simulated host
#                 (plain and ASan+UBSan) and devmap.ko in QEMU on each of
#                 Debian's kernels (6.1, 6.12, standard and PREEMPT_RT) and
#                 on a debug kernel (6.12 with KASAN, lockdep, kmemleak)
#   make vm-check [KERNEL=release]   one kernel suite (default: stock)
#   make vm-check-all / vm-check-debug   every kernel suite / the debug one
#   make kmod     build devmap.ko against the installed kernel headers
#   make dkms-install / dkms-remove   (root) devmap.ko for every installed
#                 kernel with Debian's DKMS, rebuilt on kernel upgrades
#   make dkms-check   test the DKMS install, out-of-tree driver and VM load
#   make bench    the benchmarks (VM and callgrind); see docs/performance.md
#   make stress   the randomized multi-process stress alone in a VM:
#                 make stress [SEED=N] [DURATION=SECONDS] [KERNEL=stock|debug|release]
#   make install-tools   devmapstat into /usr/local/sbin (SBINDIR=)
#   make format   reformat the C sources with .clang-format
CC ?= cc
BUILD ?= build
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
	-Wno-unused-parameter
CSTD := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
INCS := -Iinclude -Itests/sim
CFLAGS ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

CORE_SRCS := $(wildcard core/*.c)
SIM_SRCS := $(wildcard tests/sim/*.c)
DRV_SRCS := $(wildcard tests/drivers/*.c)
TEST_SRCS := $(wildcard tests/unit/t_*.c)
LIB_SRCS := $(CORE_SRCS) $(SIM_SRCS) $(DRV_SRCS)
HDRS := $(wildcard include/*/*.h core/*.h tests/sim/*.h tests/sim/*/*.h \
	tests/drivers/*.h tests/unit/*.h)

TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
SAN_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/san/tests/%,$(TEST_SRCS))
LIB := $(BUILD)/libdmsim.a
SAN_LIB := $(BUILD)/san/libdmsim.a

.PHONY: all check check-unit demo demo-sim deps install-man install-tools bench format clean kmod vm-check \
	vm-check-all vm-check-debug stress dkms-install dkms-remove dkms-check
all: $(TESTS) $(BUILD)/sim_demo $(BUILD)/devmapstat

# devmapstat (tools/): rates, context owners and switches of devmap.ko
$(BUILD)/devmapstat: tools/devmapstat.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -o $@ $<

$(BUILD)/sim_demo: demo/sim_demo.c $(LIB) $(HDRS)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(INCS) -o $@ $< $(LIB) -lpthread

demo:
	@scripts/demo.sh

demo-sim: deps
	@$(MAKE) --no-print-directory -s $(BUILD)/sim_demo
	@$(BUILD)/sim_demo

# the core, the simulated host and the test drivers, once per flavour
$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(INCS) -c -o $@ $<

$(BUILD)/san/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) $(INCS) -c -o $@ $<

$(LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	$(AR) rcs $@ $^

$(SAN_LIB): $(patsubst %.c,$(BUILD)/san/obj/%.o,$(LIB_SRCS))
	$(AR) rcs $@ $^

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(INCS) -o $@ $< $(LIB) -lpthread

$(BUILD)/san/tests/%: tests/unit/%.c $(SAN_LIB) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) $(INCS) -o $@ $< $(SAN_LIB) -lpthread

check: deps
	@$(MAKE) --no-print-directory $(TESTS) $(SAN_TESTS)
	@scripts/run-tests.sh $(TESTS) $(SAN_TESTS) scripts/lint.sh \
		scripts/header-check.sh scripts/vm-check-all.sh scripts/dkms-check.sh

bench:
	@scripts/bench.sh

# KERNEL=<release> (scripts/vm/kernel.sh --list) runs that one
vm-check:
	@scripts/run-tests.sh "scripts/vm-check.sh $(or $(KERNEL),stock)"

vm-check-all:
	@scripts/run-tests.sh scripts/vm-check-all.sh

vm-check-debug:
	@scripts/run-tests.sh "scripts/vm-check.sh debug"

stress:
	@SEED="$(SEED)" DURATION="$(DURATION)" KERNEL="$(KERNEL)" \
		scripts/run-tests.sh scripts/stress.sh

kmod:
	@scripts/vm/deps.sh
	@scripts/kmod.sh stock $(BUILD)

# the module for every kernel, and devmapstat with it
dkms-install: $(BUILD)/devmapstat
	@scripts/dkms.sh install
	@$(MAKE) --no-print-directory install-tools

dkms-remove:
	@scripts/dkms.sh remove
	rm -f $(DESTDIR)$(SBINDIR)/devmapstat

dkms-check:
	@scripts/run-tests.sh scripts/dkms-check.sh

deps:
	@scripts/deps.sh

check-unit: $(TESTS)
	@scripts/run-tests.sh $(TESTS)

SBINDIR ?= /usr/local/sbin
install-tools: $(BUILD)/devmapstat
	install -d $(DESTDIR)$(SBINDIR)
	install -m 755 $(BUILD)/devmapstat $(DESTDIR)$(SBINDIR)/

MANDIR ?= /usr/local/share/man
install-man:
	for s in 9e 9f 9s; do \
		install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 644 man/man$$s/* $(DESTDIR)$(MANDIR)/man$$s/; \
	done

format:
	clang-format -i $(CORE_SRCS) $(SIM_SRCS) $(DRV_SRCS) $(TEST_SRCS) tools/*.c \
		$(HDRS)

clean:
	rm -rf $(BUILD)
