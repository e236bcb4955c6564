/* start_kernel: the boot hart's path from the FDT to the first user
 * process: memory, paging, console, interrupts, the root file tree,
 * the other harts, then /init (or init=) as pid 1. */
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/smp.h"
#include "arch/riscv/vm.h"
#include "arch/riscv/tlbflush.h"
#include "mm/filemap.h"
#include "mm/mm.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/fdt.h"
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/power.h"
#include "kernel/timekeeping.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "proc/exec.h"
#include "proc/sched.h"
#include "proc/sched/sched.h"
#include "proc/pid.h"
#include "proc/signal.h"
#include "proc/futex.h"
#include "kernel/ipc/ipc.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/devtmpfs.h"

static struct fdt_info fdt; /* what the device tree told us, kept for later users */
extern char _start_kernel[], _end[];

static void setup_harts(unsigned long boot_hartid)
{
	int cpu = 1;

	harts[0].hartid = boot_hartid;
	harts[0].idle = &init_task;
	harts[0].online = true;
	for (int i = 0; i < fdt.ncpus; i++) {
		struct fdt_cpu *c = &fdt.cpus[i];
		int idx = c->hartid == boot_hartid ? 0 : cpu;
		if (c->hartid == boot_hartid && !c->mmu_sv48)
			panic("boot hart %lu: mmu-type is \"%s\", Vireo needs Sv48", boot_hartid,
			      c->mmu_type[0] ? c->mmu_type : "none");
		if (idx && (!c->enabled || !c->mmu_sv48 || cpu >= NR_CPUS)) {
			pr_warn("hart %u not used (%s)\n", c->hartid,
				!c->enabled ? "disabled" : !c->mmu_sv48 ? "no Sv48" : "NR_CPUS");
			continue;
		}
		if (idx)
			harts[cpu++].hartid = c->hartid;
		harts[idx].cpu = idx;
		if (c->plic == 0)
			plic_set_context(idx, c->plic_s_context);
		else
			plic_set_context(idx, -1); /* other sockets' PLICs: not routed yet */
	}
	nr_cpus_possible = cpu;
}

static struct fdt_cpu *fdt_cpu_of(unsigned long hartid)
{
	for (int i = 0; i < fdt.ncpus; i++)
		if (fdt.cpus[i].hartid == hartid)
			return &fdt.cpus[i];
	return NULL;
}

static void print_topology(void)
{
	int sockets = 0;

	for (int i = 0; i < nr_cpus_possible; i++) {
		struct fdt_cpu *c = fdt_cpu_of(harts[i].hartid);
		pr_info("cpu%d: hart %lu socket %d cluster %d core %d thread %d node %d isa %s mmu %s\n",
			i, harts[i].hartid, c->socket, c->cluster, c->core, c->thread, c->numa_node,
			c->isa, c->mmu_type);
		sockets = MAX(sockets, c->socket + 1);
	}
	pr_info("topology: %d harts, %d sockets, %d NUMA nodes\n", nr_cpus_possible, sockets,
		fdt.nnuma ? fdt.nnuma : 1);
	for (int a = 0; a < fdt.nnuma; a++) {
		char line[128];
		int n = snprintf(line, sizeof(line), "numa: node %d distances:", a);
		for (int b = 0; b < fdt.nnuma; b++)
			n += snprintf(line + n, sizeof(line) - n, " %u", fdt.distance[a][b]);
		pr_info("%s\n", line);
	}
	for (int i = 0; i < fdt.nmem; i++)
		pr_info("memory: %#lx-%#lx (%lu MiB) node %d\n", fdt.mem[i].base,
			fdt.mem[i].base + fdt.mem[i].size - 1, fdt.mem[i].size >> 20,
			fdt.mem[i].numa_node);
}

static void setup_memory(unsigned long fdt_pa)
{
	phys_addr_t ram[FDT_MAX_MEM][2];

	for (int i = 0; i < fdt.nmem; i++) {
		memblock_add(fdt.mem[i].base, fdt.mem[i].size);
		ram[i][0] = fdt.mem[i].base;
		ram[i][1] = fdt.mem[i].base + fdt.mem[i].size;
	}
	memblock_reserve(__pa(_start_kernel), __pa(_end) - __pa(_start_kernel));
	memblock_reserve(fdt_pa, fdt_totalsize(__va(fdt_pa)));
	for (int i = 0; i < fdt.nresv; i++)
		memblock_reserve(fdt.resv[i].base, fdt.resv[i].size);
	if (fdt.initrd_end > fdt.initrd_start)
		memblock_reserve(fdt.initrd_start, fdt.initrd_end - fdt.initrd_start);
	paging_init((const phys_addr_t(*)[2])ram, fdt.nmem);
	mem_map_init(PFN_DOWN(memblock_start_of_DRAM()), PFN_UP(memblock_end_of_DRAM()));
	page_alloc_init_free();
	pgtable_use_buddy();
}

/* Drivers and file systems that register themselves (weak: a part not
 * linked in is skipped). */
void tty_init(void) __attribute__((weak));
void chr_dev_init(void) __attribute__((weak));
void proc_root_init(void) __attribute__((weak));
void tty_start_worker(void) __attribute__((weak));
void proc_cpuinfo_init(const struct fdt_info *fdt) __attribute__((weak));
void hwprobe_init(const struct fdt_info *fdt) __attribute__((weak));

/* The VFS: file system types, the root mount, the boot task's root and
 * cwd, the initramfs unpacked into it, /dev and the character devices. */
static void vfs_init(void)
{
	ramfs_init();
	if (proc_root_init)
		proc_root_init();
	if (proc_cpuinfo_init)
		proc_cpuinfo_init(&fdt);
	if (hwprobe_init)
		hwprobe_init(&fdt);
	mnt_init();
	current->fs = fs_alloc();
	if (!current->fs)
		panic("VFS: no memory for the boot task's fs_struct");
	if (fdt.initrd_end <= fdt.initrd_start) {
		pr_warn("initramfs: none given (-initrd)\n");
	} else {
		int n = unpack_to_rootfs(__va(fdt.initrd_start), fdt.initrd_end - fdt.initrd_start);
		if (n < 0)
			pr_err("initramfs: unpacking failed (error %d)\n", n);
		else
			pr_info("initramfs: %d entries, %lu KiB\n", n,
				(unsigned long)(fdt.initrd_end - fdt.initrd_start) >> 10);
	}
	if (chr_dev_init)
		chr_dev_init();
	if (tty_init)
		tty_init();
	devtmpfs_init();
}

/* Test-only (command line "test_oops"): a NULL store, to show the oops. */
static __attribute__((noinline)) void oops_test_trigger(void)
{
	pr_emerg("test_oops: writing to a NULL pointer on purpose\n");
	*(volatile int *)0 = 1;
}

/* The boot task's signal state and limits, which every task inherits. */
static void init_task_signals(void)
{
	init_task.sighand = sighand_alloc();
	init_task.signal = signal_alloc();
	if (!init_task.sighand || !init_task.signal)
		panic("no memory for the boot task's signal state");
	struct rlimit64 *r = init_task.signal->rlim;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	r[RLIMIT_STACK].rlim_cur = 8UL << 20;
	r[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
	r[RLIMIT_CORE].rlim_cur = 0;
	r[RLIMIT_NPROC] = (struct rlimit64){ 16384, 16384 };
	r[RLIMIT_MEMLOCK] = (struct rlimit64){ 8UL << 20, 8UL << 20 };
	r[RLIMIT_MSGQUEUE] = (struct rlimit64){ 819200, 819200 }; /* Linux's MQ_BYTES_MAX */
}

static int kernel_init(void *unused)
{
	static const char *envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", NULL };
	const char *init = boot_params.init ? boot_params.init : "/init";

	(void)unused;
	current->files = files_alloc_console();
	if (!current->fs)
		current->fs = fs_alloc();
	if (!current->files || !current->fs)
		panic("no memory for init's files");
	current->signal->pgrp = current->signal->session = current->pid;
	pid_hold(current->pid);
	pid_hold(current->pid);
	boot_params.init_argv[0] = init;
	boot_params.init_argv[boot_params.init_argc + 1] = NULL;
	pr_info("Run %s as init process\n", init);
	int err = kernel_execve(init, boot_params.init_argv, envp);
	if (err) {
		pr_err("Failed to execute %s (error %d)\n", init, err);
		panic("No working init found.  Try passing init= option to kernel.");
	}
	return 0; /* ret_from_kernel_thread enters user mode */
}

void start_kernel(unsigned long hartid, unsigned long fdt_pa)
{
	int err = fdt_parse(__va(fdt_pa), &fdt);

	harts[0].hartid = hartid;
	if (err)
		panic("cannot parse the device tree at %#lx (error %d)", fdt_pa, err);
	parse_cmdline(fdt.bootargs);
	if (boot_params.quiet)
		console_loglevel = 4;
	timebase_freq = fdt.timebase_freq ? fdt.timebase_freq : timebase_freq;
	pr_info("Vireo RISC-V kernel, booting on hart %lu\n", hartid);
	pr_info("command line: %s\n", fdt.bootargs);
	setup_harts(hartid);
	setup_memory(fdt_pa);
	pr_info("paging: sv48 (4 levels, 48-bit virtual addresses)\n");
	if (fdt.uart_base && uart_init(fdt.uart_base, fdt.uart_irq) == 0)
		pr_info("console: ns16550a at %#lx irq %u\n", fdt.uart_base, fdt.uart_irq);
	power_init(fdt.test_base);
	rtc_init(fdt.rtc_base);
	pr_info("memory: %lu MiB RAM, %lu pages total, %lu pages free\n",
		(unsigned long)(memblock_phys_mem_size() >> 20), nr_total_pages(), nr_free_pages());
	print_topology();
	asid_init();
	mm_init_zero_page();
	exec_set_hwcap(fdt_cpu_of(hartid)->isa);
	if (fdt.plic_base && plic_init(fdt.plic_base, fdt.plic_size, fdt.plic_ndev) == 0) {
		plic_init_hart(0);
		/* The boot hart may sit in a socket whose PLIC has no devices:
		 * route the UART to the first hart that can take it. */
		int uart_cpu = plic_first_routed_cpu();
		if (uart_cpu >= 0) {
			plic_enable_irq(uart_cpu, fdt.uart_irq);
			pr_info("plic: UART irq %u to cpu%d (hart %lu)\n", fdt.uart_irq, uart_cpu,
				harts[uart_cpu].hartid);
		}
		else
			pr_warn("plic: no hart can take the UART's interrupt: no console input\n");
	}
	time_init(fdt.timebase_freq, fdt_cpu_of(hartid)->has_sstc);
	timers_init_cpu(0);
	sched_init();
	init_task_signals();
	futex_init();
	ipc_init();
	csr_set(sie, SIE_SSIE);
	vfs_init();
	pr_info("smp: %d harts online\n", smp_boot_secondaries());
	sched_init_domains(&fdt);
	if (boot_params.test_oops)
		oops_test_trigger();
	if (!kernel_thread(kernel_init, NULL, "init"))
		panic("cannot create the init task");
	if (tty_start_worker)
		tty_start_worker(); /* after init: it gets pid 2, as kthreadd */
	cpu_idle();
}
