/* Flattened device tree (DTB) parser: fdt_parse() walks the blob the boot
 * firmware hands us and fills a struct fdt_info with the few facts the kernel
 * needs (harts, memory, NUMA, timer, UART, PLIC, initrd, command line). */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H
#include "kernel/types.h"

#define FDT_MAGIC 0xd00dfeed

#define FDT_MAX_CPUS 64
#define FDT_MAX_MEM 16
#define FDT_MAX_RESV 16
#define FDT_MAX_NUMA 8
#define FDT_MAX_PLIC 4		/* QEMU virt has one PLIC per socket */
#define FDT_MAX_DEPTH 16	/* deeper trees are rejected with -EINVAL */

struct fdt_cpu {
	u32 hartid;          /* reg */
	u32 phandle;         /* of the cpu node (phandle or linux,phandle), 0 if none */
	u32 intc_phandle;    /* phandle of its "riscv,cpu-intc" child interrupt-controller */
	bool enabled;        /* status absent, "okay" or "ok" */
	bool mmu_sv48;       /* mmu-type is "riscv,sv48" or "riscv,sv57" (Sv57 implies Sv48) */
	bool has_sstc;       /* "sstc" is in riscv,isa (after a '_', any case) or in riscv,isa-extensions */
	char isa[128];       /* riscv,isa string (truncated; has_sstc looks at the whole property) */
	char mmu_type[16];   /* e.g. "sv48" (without the "riscv," prefix), "" if absent */
	int numa_node;       /* numa-node-id, -1 if absent (or >= FDT_MAX_NUMA) */
	int socket, cluster, core, thread; /* position from /cpus/cpu-map, -1 where absent */
	int plic_s_context;  /* PLIC context of this hart's S-mode external interrupt, -1 if none */
	int plic;            /* index into fdt_info.plics[] of the PLIC that plic_s_context
			      * belongs to (each PLIC numbers its contexts from 0), -1 if none */
};

struct fdt_region {
	u64 base, size;
	int numa_node;       /* -1 if absent */
};

/* One PLIC instance; a multi-socket QEMU virt machine has one per socket. */
struct fdt_plic {
	u64 base, size;
	u32 ndev;            /* riscv,ndev */
	u32 phandle;
	int numa_node;       /* -1 if absent */
};

struct fdt_info {
	int ncpus;
	struct fdt_cpu cpus[FDT_MAX_CPUS];       /* in DT order (device_type = "cpu" under /cpus) */
	int nmem;
	struct fdt_region mem[FDT_MAX_MEM];      /* reg entries of available device_type="memory" nodes */
	int nresv;
	struct fdt_region resv[FDT_MAX_RESV];    /* reservation block + /reserved-memory children's reg */
	int nnuma;                               /* 1 + max numa-node-id seen, or 0 if none */
	u32 distance[FDT_MAX_NUMA][FDT_MAX_NUMA]; /* 10 on the diagonal, 20 elsewhere unless a
						   * "numa-distance-map-v1" node says otherwise */
	u32 timebase_freq;                       /* /cpus timebase-frequency (or the first cpu's) */
	u64 uart_base, uart_size;
	u32 uart_irq, uart_clock;                /* first available "ns16550a" node */
	u64 plic_base, plic_size;
	u32 plic_ndev;                           /* first PLIC in DT order (= plics[0]) */
	int nplic;
	struct fdt_plic plics[FDT_MAX_PLIC];     /* every "riscv,plic0"/"sifive,plic-1.0.0", DT order */
	u64 test_base;                           /* "sifive,test0"/"sifive,test1" reg base, 0 if absent */
	u64 rtc_base;                            /* "google,goldfish-rtc" reg base, 0 if absent */
	u64 initrd_start, initrd_end;            /* /chosen linux,initrd-start/-end, 0 if absent */
	char bootargs[4096];                     /* /chosen bootargs, "" if absent */
	char stdout_path[64];                    /* /chosen stdout-path, "" if absent */
};

/* The blob's total size from its header, or 0 if the magic is wrong. */
u32 fdt_totalsize(const void *blob);

/* Parse blob into *info. Returns 0, or -EINVAL if the blob is malformed or
 * truncated; never reads past the header's totalsize. Entries past the
 * FDT_MAX_* limits are dropped silently. Uses no global state, no jump
 * tables and no pointer tables, so it can run before the MMU is on. */
int fdt_parse(const void *blob, struct fdt_info *info);

#endif
