/* The system-wide text files of /proc (Linux: fs/proc/cpuinfo.c, meminfo.c,
 * version.c, kernel/sched/stats.c, fs/proc_namespace.c): cpuinfo in RISC-V
 * Linux's layout, meminfo, version, schedstat (version 15), mounts,
 * filesystems, and the read-only /proc/sys/kernel files. */
#include "kernel/fs/inotify.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/fs/proc/proc_fs.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "arch/riscv/sbi.h"
#include "mm/filemap.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "proc/pid.h"
#include "proc/sched/sched.h"
#include "proc/sched/topology.h"

/* ---- cpuinfo ---- */

/* What the device tree said about each hart; written once at boot. */
static struct {
	char isa[128];
	char mmu[16];
} hart_info[NR_CPUS];
static unsigned long mvendorid, marchid, mimpid;

void proc_cpuinfo_init(const struct fdt_info *fdt)
{
	for (int c = 0; c < nr_cpus_possible; c++)
		for (int i = 0; i < fdt->ncpus; i++)
			if (fdt->cpus[i].hartid == harts[c].hartid) {
				strlcpy(hart_info[c].isa, fdt->cpus[i].isa, sizeof(hart_info[c].isa));
				strlcpy(hart_info[c].mmu, fdt->cpus[i].mmu_type, sizeof(hart_info[c].mmu));
			}
	/* SBI base extension: the machine's vendor, architecture and implementation ids. */
	mvendorid = (unsigned long)sbi_ecall(SBI_EXT_BASE, 4, 0, 0, 0, 0).value;
	marchid = (unsigned long)sbi_ecall(SBI_EXT_BASE, 5, 0, 0, 0, 0).value;
	mimpid = (unsigned long)sbi_ecall(SBI_EXT_BASE, 6, 0, 0, 0, 0).value;
}

size_t proc_cpuinfo_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };

	(void)f;
	for (int c = 0; c < nr_cpus_possible; c++) {
		pb_printf(&p, "processor\t: %d\nhart\t\t: %lu\n", c, harts[c].hartid);
		pb_printf(&p, "isa\t\t: %s\nmmu\t\t: %s\n", hart_info[c].isa[0] ? hart_info[c].isa : "rv64",
			  hart_info[c].mmu[0] ? hart_info[c].mmu : "sv48");
		pb_printf(&p, "mvendorid\t: %#lx\nmarchid\t\t: %#lx\nmimpid\t\t: %#lx\n\n", mvendorid,
			  marchid, mimpid);
	}
	return p.len;
}

/* ---- meminfo ---- */

static void meminfo_line(struct pbuf *p, const char *name, unsigned long pages)
{
	size_t start = p->len;

	pb_printf(p, "%s:", name);
	pb_pad_to(p, 15, start);
	pb_printf(p, " %8lu kB\n", pages * (PAGE_SIZE / 1024));
}

/* Linux's names and order; what this kernel does not have (swap, buffers,
 * LRU lists) reads 0. */
size_t proc_meminfo_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct kmem_stats ks;
	unsigned long slab, cached = nr_page_cache_pages(), free = nr_free_pages();

	(void)f;
	kmem_get_stats(&ks);
	slab = ks.large_pages;
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		slab += ks.cls[i].slab_pages;
	meminfo_line(&p, "MemTotal", nr_total_pages());
	meminfo_line(&p, "MemFree", free);
	meminfo_line(&p, "MemAvailable", free + cached);
	meminfo_line(&p, "Buffers", 0);
	meminfo_line(&p, "Cached", cached);
	meminfo_line(&p, "SwapCached", 0);
	meminfo_line(&p, "SwapTotal", 0);
	meminfo_line(&p, "SwapFree", 0);
	meminfo_line(&p, "Dirty", 0);
	meminfo_line(&p, "Writeback", 0);
	meminfo_line(&p, "Shmem", 0);
	meminfo_line(&p, "Slab", slab);
	meminfo_line(&p, "SReclaimable", 0);
	meminfo_line(&p, "SUnreclaim", slab);
	meminfo_line(&p, "KernelStack", (unsigned long)percpu_counter_sum(&nr_kernel_stack_pages));
	meminfo_line(&p, "PageTables", (unsigned long)percpu_counter_sum(&nr_pagetable_pages));
	return p.len;
}

/* ---- version ---- */

size_t proc_version_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };

	(void)f;
	pb_printf(&p, "Linux version " PROC_VERSION_RELEASE " (vireo@vireo) (gcc version " __VERSION__
		      ") #1 SMP PREEMPT Vireo RISC-V kernel\n");
	return p.len;
}

/* ---- schedstat ---- */

/* A cpu mask as Linux's %*pb: hex, one digit per 4 harts, commas every 32. */
static void cpumask_hex(struct pbuf *p, u64 mask)
{
	int digits = (nr_cpus_possible + 3) / 4;

	for (int d = digits - 1; d >= 0; d--) {
		pb_printf(p, "%x", (unsigned int)((mask >> (4 * d)) & 0xf));
		if (d && d % 8 == 0)
			pb_write(p, ",", 1);
	}
}

/* Version 15: per hart "cpuN yld_count 0 sched_count sched_goidle
 * ttwu_count ttwu_local rq_cpu_time run_delay pcount", then per domain
 * its span and 36 balancing counters (8 per idle type, then active,
 * exec, fork balancing and wake-up counts). This scheduler counts context
 * switches and balancing runs/pulls only; the others read 0. */
size_t proc_schedstat_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };

	(void)f;
	pb_printf(&p, "version 15\ntimestamp %lu\n", (unsigned long)(ktime_get_ns() / NSEC_PER_TICK));
	for (int c = 0; c < nr_cpus_possible; c++) {
		struct rq *rq = cpu_rq(c);
		unsigned long sw = (unsigned long)READ_ONCE(rq->nr_switches);
		pb_printf(&p, "cpu%d 0 0 %lu 0 0 0 0 0 %lu\n", c, sw, sw);
		int level = 0;
		for (struct sched_domain *sd = READ_ONCE(rq->sd); sd; sd = sd->parent, level++) {
			pb_printf(&p, "domain%d ", level);
			cpumask_hex(&p, sched_domain_span(sd));
			for (int i = 0; i < 36; i++) {
				unsigned long v = 0;
				if (level == 0 && i == 8)  /* lb_count, CPU_NOT_IDLE */
					v = (unsigned long)READ_ONCE(rq->nr_load_balance);
				if (level == 0 && i == 12) /* lb_gained, CPU_NOT_IDLE */
					v = (unsigned long)READ_ONCE(rq->nr_migrations_in);
				pb_printf(&p, " %lu", v);
			}
			pb_write(&p, "\n", 1);
		}
	}
	return p.len;
}

/* ---- mounts, filesystems ---- */

size_t proc_mounts_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return mounts_show(buf, n);
}

size_t proc_filesystems_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return filesystems_show(buf, n);
}

/* ---- /proc/sys/kernel ---- */

static size_t sys_ostype_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "Linux\n");
}

static size_t sys_osrelease_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, PROC_VERSION_RELEASE "\n");
}

static size_t sys_version_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "#1 SMP PREEMPT Vireo\n");
}

static size_t sys_pid_max_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%d\n", PID_MAX_DEFAULT);
}

static const struct proc_entry sys_kernel_entries[] = {
	PROC_TEXT("ostype", sys_ostype_show),
	PROC_TEXT("osrelease", sys_osrelease_show),
	PROC_TEXT("version", sys_version_show),
	PROC_TEXT("pid_max", sys_pid_max_show),
	{ 0 }
};

/* ---- /proc/sys/fs ---- */

/* file-nr: allocated, free (always 0 since Linux 2.6), maximum. */
static size_t sys_file_nr_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%ld\t0\t%ld\n", percpu_counter_sum(&nr_files), 0x7fffffffffffffffL);
}

/* inode-nr: inodes in memory, unused ones (none are cached unused). */
static size_t sys_inode_nr_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%ld\t0\n", percpu_counter_sum(&nr_inodes));
}

static size_t sys_inotify_queued_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%d\n", INOTIFY_MAX_QUEUED_EVENTS);
}

static size_t sys_inotify_instances_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%d\n", INOTIFY_MAX_USER_INSTANCES);
}

static size_t sys_inotify_watches_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return (size_t)snprintf(buf, n, "%d\n", INOTIFY_MAX_USER_WATCHES);
}

static const struct proc_entry sys_fs_inotify_entries[] = {
	PROC_TEXT("max_queued_events", sys_inotify_queued_show),
	PROC_TEXT("max_user_instances", sys_inotify_instances_show),
	PROC_TEXT("max_user_watches", sys_inotify_watches_show),
	{ 0 }
};

static const struct proc_entry sys_fs_entries[] = {
	PROC_TEXT("file-nr", sys_file_nr_show),
	PROC_TEXT("inode-nr", sys_inode_nr_show),
	PROC_DIR_ENTRY("inotify", sys_fs_inotify_entries),
	{ 0 }
};

const struct proc_entry proc_sys_entries[] = {
	PROC_DIR_ENTRY("fs", sys_fs_entries),
	PROC_DIR_ENTRY("kernel", sys_kernel_entries),
	{ 0 }
};
