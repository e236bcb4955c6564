# Vireo: build the kernel, the user programs and the initramfs; run them
# under QEMU; run the tests. `make help` lists the targets.

CPUS    ?= 4
SOCKETS ?= $(if $(filter 1,$(CPUS)),1,2)
MEM     ?= 512M
APPEND  ?=
CMD     ?=
ROOTFS_EXTRA ?=
TIMEOUT ?= 120

CROSS   := riscv64-linux-gnu-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM      := $(CROSS)nm
QEMU    := qemu-system-riscv64
B       ?= build

DEPS_OK := $(B)/.deps-ok

# ---- kernel ---------------------------------------------------------------
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fno-stack-protector -fno-pic -fno-pie -mcmodel=medany -mno-relax \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-common -I. -MMD -MP
KASFLAGS := $(KCFLAGS) -D__ASSEMBLY__

KSRCS := $(wildcard arch/riscv/*.S arch/riscv/*.c kernel/*.c kernel/fs/*.c kernel/fs/proc/*.c kernel/ipc/*.c kernel/net/*.c kernel/tty/*.c mm/*.c proc/*.c proc/sched/*.c)
KOBJS := $(patsubst %,$(B)/%.o,$(basename $(KSRCS)))

$(B)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.o: %.S | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"; $(CC) $(KASFLAGS) -c $< -o $@

# ---- vDSO -----------------------------------------------------------------
# The vDSO (arch/riscv/vdso/) is a position-independent shared object of
# its own, linked at 0 by vdso.lds.S with symbols versioned LINUX_4.15 as
# Linux riscv exports them. Its stripped image is embedded in the kernel by
# arch/riscv/vdso.c (.incbin), which takes the image's path, size and
# symbol offsets from the generated $(B)/vdso/vdso-image.h.
# $(B)/vdso/vdso.so.dbg keeps the symbols, for gdb.
VDSO_SRCS := $(filter-out %.lds.S,$(wildcard arch/riscv/vdso/*.c arch/riscv/vdso/*.S))
VDSO_OBJS := $(patsubst arch/riscv/vdso/%,$(B)/vdso/%.o,$(basename $(VDSO_SRCS)))
VDSO_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-builtin \
	-fno-stack-protector -fPIC -march=rv64gc -mabi=lp64d -I. -MMD -MP
VDSO_LDFLAGS := -nostdlib -shared -Wl,-soname=linux-vdso.so.1 -Wl,--hash-style=both \
	-Wl,--build-id=sha1 -Wl,--eh-frame-hdr -Wl,-z,noexecstack

$(B)/vdso/%.o: arch/riscv/vdso/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  VDSOCC  $<"; $(CC) $(VDSO_CFLAGS) -c $< -o $@

$(B)/vdso/%.o: arch/riscv/vdso/%.S | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  VDSOAS  $<"; $(CC) $(VDSO_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(B)/vdso/vdso.lds: arch/riscv/vdso/vdso.lds.S arch/riscv/vdso/vdso_data.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@$(CC) -E -P -x c -D__ASSEMBLY__ -I. $< -o $@

# ld.so neither relocates the vDSO nor resolves anything for it: refuse an
# image with relocations or undefined symbols.
$(B)/vdso/vdso.so.dbg: $(VDSO_OBJS) $(B)/vdso/vdso.lds
	@echo "  VDSOLD  $@"; $(CC) $(VDSO_LDFLAGS) -Wl,-T,$(B)/vdso/vdso.lds -o $@ $(VDSO_OBJS)
	@if $(CROSS)readelf -rW $@ | grep -q 'Relocation section' || [ -n "$$($(NM) -u $@)" ]; then \
		echo "vdso: $@ has relocations or undefined symbols"; rm -f $@; exit 1; fi

$(B)/vdso/vdso.so: $(B)/vdso/vdso.so.dbg
	@$(OBJCOPY) -S $< $@

$(B)/vdso/vdso-image.h: $(B)/vdso/vdso.so
	@{ echo '#define VDSO_IMAGE_PATH "$<"'; echo "#define VDSO_IMAGE_SIZE $$(stat -c %s $<)"; \
	   $(NM) -D --defined-only $< | sed -n 's/^\([0-9a-f]*\) T __vdso_\([a-z_]*\)@.*/#define VDSO_SYM_\2 0x\1/p'; \
	 } > $@.tmp && mv $@.tmp $@

$(B)/arch/riscv/vdso.o: $(B)/vdso/vdso.so $(B)/vdso/vdso-image.h
$(B)/arch/riscv/vdso.o: KCFLAGS += -I$(B)/vdso
-include $(VDSO_OBJS:.o=.d)

# Two links: the first has an empty symbol table; the second carries the
# text symbols of the first. The table sits after .text, so text addresses
# do not move between the links (checked below).
LDFLAGS_K := -nostdlib -static -T arch/riscv/kernel.lds --no-relax -z noexecstack --no-warn-rwx-segments
$(B)/kallsyms0.o: scripts/gen-kallsyms | $(DEPS_OK)
	@mkdir -p $(B)
	@scripts/gen-kallsyms /dev/null > $(B)/kallsyms0.S
	@$(CC) $(KASFLAGS) -c $(B)/kallsyms0.S -o $@

$(B)/kernel.tmp.elf: $(KOBJS) $(B)/kallsyms0.o arch/riscv/kernel.lds
	@echo "  LD      $@"; $(LD) $(LDFLAGS_K) -o $@ $(KOBJS) $(B)/kallsyms0.o

$(B)/kernel.elf: $(B)/kernel.tmp.elf scripts/gen-kallsyms
	@$(NM) -n $< > $(B)/kernel.tmp.syms
	@scripts/gen-kallsyms $(B)/kernel.tmp.syms > $(B)/kallsyms.S
	@$(CC) $(KASFLAGS) -c $(B)/kallsyms.S -o $(B)/kallsyms.o
	@echo "  LD      $@ (with kallsyms)"; $(LD) $(LDFLAGS_K) -o $@ $(KOBJS) $(B)/kallsyms.o
	@$(NM) -n $@ | grep -i ' t ' > $(B)/kernel.syms.2; grep -i ' t ' $(B)/kernel.tmp.syms > $(B)/kernel.syms.1; \
	 cmp -s $(B)/kernel.syms.1 $(B)/kernel.syms.2 || { echo "kallsyms: text moved between links"; exit 1; }

$(B)/Image: $(B)/kernel.elf
	@echo "  IMAGE   $@"; $(OBJCOPY) -O binary $< $@

# ---- user programs and initramfs -----------------------------------------
UCFLAGS := -static -O2 -g -Wall -Wextra -Werror -std=gnu11
USRCS := $(wildcard user/*.c)
UPROGS := $(patsubst user/%.c,$(B)/rootfs/bin/%,$(USRCS))
TSRCS := $(wildcard test/user/*.c)
TPROGS := $(patsubst test/user/%.c,$(B)/rootfs/test/%,$(TSRCS))
BSRCS := $(wildcard test/bench/*.c)
BPROGS := $(patsubst test/bench/%.c,$(B)/rootfs/bench/%,$(BSRCS))

# rm first: the name may be a busybox link left from an earlier image, and
# the linker would write through it into bin/busybox.
$(B)/rootfs/bin/%: user/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  USER    $@"; rm -f $@; $(CC) $(UCFLAGS) $< -o $@

# *_dyn.c test programs are linked dynamically (against the image's glibc).
$(B)/rootfs/test/%_dyn: test/user/%_dyn.c $(wildcard test/user/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  USER    $@ (dynamic)"; $(CC) $(filter-out -static,$(UCFLAGS)) -I. $< -o $@ -lm

$(B)/rootfs/test/%: test/user/%.c $(wildcard test/user/*.h) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  USER    $@"; $(CC) $(UCFLAGS) -I. $< -o $@

$(B)/rootfs/bench/%: test/bench/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  USER    $@"; $(CC) $(UCFLAGS) -I. $< -o $@

# busybox from Debian's source package, static for riscv64, configured by
# user/busybox.config; cached in $(B)/busybox/ (sources, build, install tree
# with the applet links). `make busybox-menuconfig` edits the config.
BUSYBOX := $(B)/busybox/busybox
$(BUSYBOX): user/busybox.config scripts/build-busybox | $(DEPS_OK)
	@scripts/build-busybox $(B)

busybox-menuconfig: | $(DEPS_OK)
	@scripts/build-busybox $(B) menuconfig

# glibc's shared objects for dynamically linked programs, from Debian's
# libc6-riscv64-cross, where the dynamic linker looks for them.
GLIBC_LIB := /usr/riscv64-linux-gnu/lib
GLIBC_SOLIBS := libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libresolv.so.2 libgcc_s.so.1

# Fixed files of the image (not programs).
# busybox's tree (bin/busybox, links in /bin /sbin /usr/bin /usr/sbin) goes in
# without the links named like one of our programs: those are ours wherever
# the link would be (/bin/init stays ours, /sbin/init is not made).
$(B)/rootfs/.stamp: $(UPROGS) $(TPROGS) $(BPROGS) $(BUSYBOX) $(shell find rootfs -type f 2>/dev/null) \
		$(wildcard test/sh/*)
	@mkdir -p $(B)/rootfs/test
	@rm -rf $(B)/rootfs/test/sh; cp -a test/sh $(B)/rootfs/test/sh
	@if [ -d rootfs ]; then cp -a rootfs/. $(B)/rootfs/; fi
	@tar -C $(B)/busybox/install $(addprefix --exclude=,$(notdir $(UPROGS))) -cf - . | tar -C $(B)/rootfs -xf -
	@mkdir -p $(B)/rootfs/lib/riscv64-linux-gnu
	@cp -L $(GLIBC_LIB)/ld-linux-riscv64-lp64d.so.1 $(B)/rootfs/lib/
	@for l in $(GLIBC_SOLIBS); do cp -L $(GLIBC_LIB)/$$l $(B)/rootfs/lib/riscv64-linux-gnu/; done
	@printf '\177ELF-but-not-really' > $(B)/rootfs/test/bad-elf; chmod +x $(B)/rootfs/test/bad-elf
	@touch $@

# The extra tree is archived after the base one: on unpacking, later entries
# replace earlier ones with the same name.
$(B)/initramfs.cpio: $(B)/rootfs/.stamp FORCE
	@cd $(B)/rootfs && find . -path ./.stamp -prune -o -print | LC_ALL=C sort | \
		cpio -o -H newc --quiet -R 0:0 > ../initramfs.base.cpio
	@if [ -n "$(ROOTFS_EXTRA)" ]; then \
		[ -d "$(ROOTFS_EXTRA)" ] || { echo "ROOTFS_EXTRA=$(ROOTFS_EXTRA) is not a directory"; exit 1; }; \
		(cd "$(ROOTFS_EXTRA)" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > $(B)/initramfs.extra.cpio; \
		cat $(B)/initramfs.base.cpio $(B)/initramfs.extra.cpio > $@.new; \
	else cp $(B)/initramfs.base.cpio $@.new; fi
	@cmp -s $@.new $@ || mv $@.new $@; rm -f $@.new

# ---- running --------------------------------------------------------------
QEMU_NUMA = $(if $(filter 1,$(SOCKETS)),,$(shell scripts/numa-args $(CPUS) $(SOCKETS) $(MEM)))
QEMU_ARGS = -machine virt -bios default -nographic -no-reboot \
	-smp $(CPUS),sockets=$(SOCKETS) -m $(MEM) $(QEMU_NUMA) \
	-kernel $(B)/kernel.elf -initrd $(B)/initramfs.cpio

all: $(B)/kernel.elf $(B)/Image $(B)/initramfs.cpio

$(DEPS_OK): scripts/install-deps
	@scripts/install-deps
	@scripts/check-qemu
	@mkdir -p $(B) && touch $@

qemu: all
	$(QEMU) $(QEMU_ARGS) -append "$(APPEND)"

qemu-gdb: all
	@scripts/install-deps gdb-multiarch
	@echo "QEMU waits for gdb: run 'gdb-multiarch -x .gdbinit' in this directory (.gdbinit connects to :1234 and loads build/kernel.elf)"
	$(QEMU) $(QEMU_ARGS) -append "$(APPEND)" -S -gdb tcp::1234

# make run CMD="/bin/prog args": runs it as init; make exits with its status.
# CMD and APPEND reach the recipe through the environment, so any shell
# quoting inside them survives untouched. GNU make itself can only exit 0, 1
# or 2, so make run loads a small plugin (scripts/make-exit.c) whose
# $(vireo-exit FILE) ends make with the status the boot left in FILE; were it
# unavailable, make fails with "Error <status>" instead.
ifneq ($(filter run,$(MAKECMDGOALS)),)
-load $(B)/make-exit.so(make_exit_gmk_setup)
endif
$(B)/make-exit.so: scripts/make-exit.c | $(DEPS_OK)
	@gcc -shared -fPIC -O2 -Wall -Wextra -Werror $< -o $@

run: override export CMD := $(value CMD)
run: override export APPEND := $(value APPEND)
run: run-boot
	@$(if $(filter $(B)/make-exit.so%,$(.LOADED)),: $(vireo-exit $(B)/run.status),exit $$(cat $(B)/run.status))

run-boot: all
	@[ -n "$$CMD" ] || { echo 'usage: make run CMD="prog args" [ROOTFS_EXTRA=dir] [CPUS=n] [MEM=..]'; exit 2; }
	@rm -f $(B)/run.status; scripts/run-cmd $(TIMEOUT) "$$CMD" "$$APPEND" $(QEMU) $(QEMU_ARGS); echo $$? > $(B)/run.status

# For scripts/run: the QEMU command line make would use.
print-qemu-args:
	@echo $(QEMU) $(QEMU_ARGS)

# ---- tests ----------------------------------------------------------------
include $(wildcard test/host/*.mk)
HOST_TESTS := $(patsubst test/host/test_%.c,%,$(wildcard test/host/test_*.c))
HOSTCFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -DHOST_TEST -I.

$(B)/host/test_%: test/host/test_%.c $(wildcard test/host/*.h) FORCE | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@gcc $(HOSTCFLAGS) $< $(HOST_SRCS_$*) -o $@ -lm

host-test: $(patsubst %,$(B)/host/test_%,$(HOST_TESTS))

test: all host-test
	@B=$(B) python3 test/run-tests.py --host "$(HOST_TESTS)" --qemu $(QEMU)

# Benchmarks run under -icount shift=0: guest time counts instructions, so
# numbers repeat from run to run (1 hart, as the Linux reference numbers).
bench: all
	@B=$(B) python3 test/run-bench.py --qemu $(QEMU)

clean:
	rm -rf $(B)

help:
	@echo "make [all]        build build/kernel.elf, build/Image, build/initramfs.cpio"
	@echo "make qemu         boot interactively (CPUS=$(CPUS) SOCKETS=$(SOCKETS) MEM=$(MEM) APPEND=...)"
	@echo "make qemu-gdb     boot halted, waiting for gdb on :1234"
	@echo "make run CMD=...  boot, run one command, exit with its status"
	@echo "make test         host unit tests + boot tests; last line 'N passed, N failed'"
	@echo "make bench        benchmarks under QEMU -icount shift=0 (guest ns)"
	@echo "make busybox-menuconfig  edit user/busybox.config (busybox is rebuilt on the next make)"
	@echo "make clean"

.PHONY: all qemu qemu-gdb run run-boot test bench host-test clean help print-qemu-args busybox-menuconfig FORCE
.DEFAULT_GOAL := all
-include $(KOBJS:.o=.d)
