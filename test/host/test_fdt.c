/* Host unit tests for kernel/fdt.c: parse QEMU virt DTBs and hand-written
 * fixtures (test/host/fixtures/) and check concrete values, then feed it
 * truncated, corrupted and hand-built bad blobs (meant to run under ASan/UBSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "test/host/fixture.h"
#include "kernel/fdt.h"
#include "kernel/errno.h"

/*
 * Fixtures. The virt-*.dtb come from QEMU 7.2 (dumpdtb pads the file to
 * 1 MiB, so each was cut to its header totalsize with head -c):
 *   virt-1cpu: -machine virt,dumpdtb=F -smp 1 -m 128M
 *   virt-4cpu: -machine virt,dumpdtb=F -smp 4,sockets=2 -m 512M
 *              -object memory-backend-ram,id=m0,size=256M (and m1)
 *              -numa node,memdev=m0,cpus=0-1,nodeid=0 -numa node,memdev=m1,cpus=2-3,nodeid=1
 *              -kernel <4 KiB file> -initrd <8 KiB file> -append "console=ttyS0 quiet"
 *   virt-8cpu: -machine virt,dumpdtb=F -smp 8,sockets=2 -m 1G, two 512M NUMA nodes
 *              (cpus 0-3, 4-7) and -numa dist,src=0,dst=1,val=25
 * custom.dtb and edge.dtb: dtc -q -I dts -O dtb -o X.dtb X.dts
 */

/* fdt_info is ~20 KiB: keep the ones we use off the stack. */
static struct fdt_info info, info2;


static u32 get32(const unsigned char *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

static void put32(unsigned char *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Internal consistency every successful parse must have, whatever the input. */
static int sane(const struct fdt_info *in)
{
	int i;

	if (in->ncpus < 0 || in->ncpus > FDT_MAX_CPUS || in->nmem < 0 || in->nmem > FDT_MAX_MEM ||
	    in->nresv < 0 || in->nresv > FDT_MAX_RESV || in->nnuma < 0 || in->nnuma > FDT_MAX_NUMA ||
	    in->nplic < 0 || in->nplic > FDT_MAX_PLIC)
		return 0;
	if (memchr(in->bootargs, 0, sizeof(in->bootargs)) == NULL ||
	    memchr(in->stdout_path, 0, sizeof(in->stdout_path)) == NULL)
		return 0;
	for (i = 0; i < in->ncpus; i++) {
		const struct fdt_cpu *c = &in->cpus[i];

		if (!memchr(c->isa, 0, sizeof(c->isa)) || !memchr(c->mmu_type, 0, sizeof(c->mmu_type)))
			return 0;
		if (c->plic < -1 || c->plic >= in->nplic || c->plic_s_context < -1 ||
		    (c->plic < 0) != (c->plic_s_context < 0))
			return 0;
		if (c->numa_node < -1 || c->numa_node >= FDT_MAX_NUMA)
			return 0;
	}
	for (i = 0; i < in->nmem; i++)
		if (in->mem[i].size == 0)
			return 0;
	return 1;
}

static int default_distances(const struct fdt_info *in)
{
	int i, j;

	for (i = 0; i < FDT_MAX_NUMA; i++)
		for (j = 0; j < FDT_MAX_NUMA; j++)
			if (in->distance[i][j] != (i == j ? 10u : 20u))
				return 0;
	return 1;
}

static const char *QEMU_ISA = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";

/* Facts shared by all QEMU 7.2 virt machines. */
static void check_virt_common(const char *tag)
{
	char name[128];

#define VCHECK(cond, what)                                     \
	do {                                                   \
		snprintf(name, sizeof(name), "%s %s", tag, what); \
		CHECK(cond, name);                             \
	} while (0)
	VCHECK(info.timebase_freq == 10000000, "timebase 10000000");
	VCHECK(info.uart_base == 0x10000000 && info.uart_size == 0x100, "uart reg");
	VCHECK(info.uart_irq == 10, "uart irq 10");
	VCHECK(info.uart_clock == 3686400, "uart clock");
	VCHECK(info.plic_base == 0xc000000 && info.plic_size == 0x600000, "plic reg");
	VCHECK(info.plic_ndev == 96, "plic ndev 96");
	VCHECK(info.test_base == 0x100000, "test finisher base");
	VCHECK(strcmp(info.stdout_path, "/soc/serial@10000000") == 0, "stdout-path");
	VCHECK(sane(&info), "sane");
#undef VCHECK
}

static void test_virt_1cpu(void)
{
	size_t n;
	unsigned char *b = load("virt-1cpu.dtb", &n);
	const struct fdt_cpu *c = &info.cpus[0];

	CHECK(fdt_totalsize(b) == n, "1cpu totalsize");
	CHECK(fdt_parse(b, &info) == 0, "1cpu parse");
	check_virt_common("1cpu");
	CHECK(info.ncpus == 1, "1cpu ncpus");
	CHECK(c->hartid == 0 && c->enabled, "1cpu hart 0 enabled");
	CHECK(c->mmu_sv48 && strcmp(c->mmu_type, "sv48") == 0, "1cpu sv48");
	CHECK(c->has_sstc && strcmp(c->isa, QEMU_ISA) == 0, "1cpu isa, sstc");
	CHECK(c->numa_node == -1, "1cpu no numa node");
	CHECK(c->socket == 0 && c->cluster == 0 && c->core == 0 && c->thread == -1, "1cpu topology");
	CHECK(c->intc_phandle != 0 && c->phandle != 0, "1cpu phandles");
	CHECK(c->plic == 0 && c->plic_s_context == 1, "1cpu S context 1");
	CHECK(info.nplic == 1, "1cpu one plic");
	CHECK(info.nmem == 1 && info.mem[0].base == 0x80000000 && info.mem[0].size == 128 << 20 &&
	      info.mem[0].numa_node == -1, "1cpu memory");
	CHECK(info.nresv == 0, "1cpu no reservations");
	CHECK(info.nnuma == 0 && default_distances(&info), "1cpu no numa");
	CHECK(info.bootargs[0] == 0, "1cpu no bootargs");
	CHECK(info.initrd_start == 0 && info.initrd_end == 0, "1cpu no initrd");
	free(b);
}

/* -smp 4,sockets=2 with two NUMA nodes, -initrd and -append. */
static void test_virt_4cpu(void)
{
	size_t n;
	unsigned char *b = load("virt-4cpu.dtb", &n);
	static const u32 phandle[4] = { 7, 5, 3, 1 };
	int i, ok_hart = 1, ok_topo = 1, ok_ctx = 1, ok_misc = 1;

	CHECK(fdt_totalsize(b) == n, "4cpu totalsize");
	CHECK(fdt_parse(b, &info) == 0, "4cpu parse");
	check_virt_common("4cpu");
	CHECK(info.ncpus == 4, "4cpu ncpus");
	for (i = 0; i < 4; i++) {
		const struct fdt_cpu *c = &info.cpus[i];

		if (c->hartid != (u32)i || !c->enabled || !c->mmu_sv48 || !c->has_sstc)
			ok_hart = 0;
		/* one socket (cluster) per NUMA node: harts 0-1, 2-3 */
		if (c->socket != i / 2 || c->cluster != i / 2 || c->core != i % 2 || c->thread != -1 ||
		    c->numa_node != i / 2)
			ok_topo = 0;
		/* one PLIC per socket, contexts M,S per hart of that socket */
		if (c->plic != i / 2 || c->plic_s_context != 2 * (i % 2) + 1)
			ok_ctx = 0;
		if (c->phandle != phandle[i] || c->intc_phandle != phandle[i] + 1)
			ok_misc = 0;
	}
	CHECK(ok_hart, "4cpu harts 0-3 enabled sv48 sstc");
	CHECK(ok_topo, "4cpu sockets 0,0,1,1 cores 0,1,0,1 numa 0,0,1,1");
	CHECK(ok_ctx, "4cpu S contexts 1,3 in plic 0 and 1,3 in plic 1");
	CHECK(ok_misc, "4cpu cpu and intc phandles");
	CHECK(info.nplic == 2 && info.plics[0].base == 0xc000000 && info.plics[1].base == 0xc600000 &&
	      info.plics[1].size == 0x600000 && info.plics[1].ndev == 96, "4cpu two plics");
	CHECK(info.plics[0].numa_node == 0 && info.plics[1].numa_node == 1, "4cpu plic numa nodes");
	CHECK(info.plics[0].phandle == 0xa && info.plics[1].phandle == 0x9, "4cpu plic phandles");
	CHECK(info.nmem == 2, "4cpu two memory nodes");
	CHECK(info.mem[0].base == 0x80000000 && info.mem[0].size == 256 << 20 &&
	      info.mem[0].numa_node == 0, "4cpu node 0 memory");
	CHECK(info.mem[1].base == 0x90000000 && info.mem[1].size == 256 << 20 &&
	      info.mem[1].numa_node == 1, "4cpu node 1 memory");
	CHECK(info.nnuma == 2 && default_distances(&info), "4cpu 2 numa nodes, default distances");
	CHECK(info.initrd_start == 0x88200000 && info.initrd_end == 0x88202000, "4cpu initrd");
	CHECK(strcmp(info.bootargs, "console=ttyS0 quiet") == 0, "4cpu bootargs");
	CHECK(info.nresv == 0, "4cpu no reservations");
	free(b);
}

/* -smp 8,sockets=2 with two NUMA nodes and -numa dist,src=0,dst=1,val=25. */
static void test_virt_8cpu(void)
{
	size_t n;
	unsigned char *b = load("virt-8cpu.dtb", &n);
	int i, ok_topo = 1, ok_ctx = 1, ok_hart = 1;

	CHECK(fdt_parse(b, &info) == 0, "8cpu parse");
	check_virt_common("8cpu");
	CHECK(info.ncpus == 8, "8cpu ncpus");
	for (i = 0; i < 8; i++) {
		const struct fdt_cpu *c = &info.cpus[i];

		if (c->hartid != (u32)i || !c->enabled || !c->has_sstc || !c->mmu_sv48)
			ok_hart = 0;
		if (c->socket != i / 4 || c->cluster != i / 4 || c->core != i % 4 || c->thread != -1 ||
		    c->numa_node != i / 4)
			ok_topo = 0;
		if (c->plic != i / 4 || c->plic_s_context != 2 * (i % 4) + 1)
			ok_ctx = 0;
	}
	CHECK(ok_hart, "8cpu harts 0-7");
	CHECK(ok_topo, "8cpu sockets 0x4,1x4 cores 0-3");
	CHECK(ok_ctx, "8cpu S contexts 1,3,5,7 per socket plic");
	CHECK(info.nplic == 2 && info.plics[1].base == 0xc600000, "8cpu two plics");
	CHECK(info.nmem == 2 && info.mem[0].base == 0x80000000 && info.mem[0].size == 512 << 20 &&
	      info.mem[0].numa_node == 0 && info.mem[1].base == 0xa0000000 &&
	      info.mem[1].size == 512 << 20 && info.mem[1].numa_node == 1, "8cpu memory per node");
	CHECK(info.nnuma == 2, "8cpu nnuma 2");
	CHECK(info.distance[0][0] == 10 && info.distance[1][1] == 10 && info.distance[0][1] == 25 &&
	      info.distance[1][0] == 25, "8cpu distance-map 25");
	CHECK(info.distance[2][3] == 20 && info.distance[7][7] == 10, "8cpu unlisted distances default");
	free(b);
}

/* test/host/fixtures/custom.dts */
static void test_custom(void)
{
	size_t n;
	unsigned char *b = load("custom.dtb", &n);
	const struct fdt_cpu *c = info.cpus;

	CHECK(fdt_parse(b, &info) == 0, "custom parse");
	CHECK(sane(&info), "custom sane");
	CHECK(info.ncpus == 4, "custom ncpus");
	CHECK(c[0].hartid == 0 && c[1].hartid == 1 && c[2].hartid == 4 && c[3].hartid == 5,
	      "custom hartids 0,1,4,5");
	CHECK(c[0].enabled && c[1].enabled && c[2].enabled && !c[3].enabled, "custom cpu5 disabled");
	CHECK(!c[0].mmu_sv48 && strcmp(c[0].mmu_type, "sv39") == 0, "custom sv39 is not sv48");
	CHECK(c[1].mmu_sv48 && strcmp(c[1].mmu_type, "sv57") == 0, "custom sv57 implies sv48");
	CHECK(!c[2].mmu_sv48 && c[2].mmu_type[0] == 0, "custom no mmu-type");
	CHECK(c[3].mmu_sv48 && strcmp(c[3].mmu_type, "sv48") == 0, "custom sv48");
	CHECK(c[0].has_sstc, "custom sstc from riscv,isa-extensions");
	CHECK(c[1].has_sstc && strcmp(c[1].isa, "RV64IMAFDC_ZICSR_SSTC_ZIFENCEI") == 0,
	      "custom sstc from upper-case riscv,isa");
	CHECK(!c[2].has_sstc, "custom sstcx is not sstc");
	CHECK(!c[3].has_sstc, "custom no sstc");
	CHECK(c[0].numa_node == 0 && c[1].numa_node == 1 && c[2].numa_node == 2 && c[3].numa_node == -1,
	      "custom cpu numa nodes");
	CHECK(c[0].socket == 0 && c[0].cluster == 0 && c[0].core == 0 && c[0].thread == 0,
	      "custom cpu0 socket0/cluster0/core0/thread0");
	CHECK(c[1].socket == 0 && c[1].cluster == 0 && c[1].core == 0 && c[1].thread == 1,
	      "custom cpu1 socket0/cluster0/core0/thread1");
	CHECK(c[2].socket == 1 && c[2].cluster == 0 && c[2].core == 0 && c[2].thread == -1,
	      "custom cpu4 socket1/cluster0/core0");
	CHECK(c[3].socket == 1 && c[3].cluster == 1 && c[3].core == 2 && c[3].thread == -1,
	      "custom cpu5 socket1/cluster1/core2");
	CHECK(c[3].intc_phandle == 0x50, "custom linux,phandle intc");
	CHECK(c[0].plic_s_context == 1 && c[1].plic_s_context == 2 && c[2].plic_s_context == 4 &&
	      c[3].plic_s_context == 5, "custom S contexts 1,2,4,5 (forward references)");
	CHECK(c[0].plic == 0 && c[3].plic == 0 && info.nplic == 1, "custom one plic");
	CHECK(info.timebase_freq == 1000000, "custom timebase from the first cpu");
	CHECK(info.nmem == 4, "custom 4 memory ranges (disabled node skipped)");
	CHECK(info.mem[0].base == 0x80000000 && info.mem[0].size == 0x40000000 &&
	      info.mem[0].numa_node == 0, "custom mem 0");
	CHECK(info.mem[1].base == 0x100000000 && info.mem[1].size == 0x20000000 &&
	      info.mem[1].numa_node == 1, "custom mem 1");
	CHECK(info.mem[2].base == 0x140000000 && info.mem[2].size == 0x10000000 &&
	      info.mem[2].numa_node == 1, "custom mem 2 (second reg entry)");
	CHECK(info.mem[3].base == 0x200000000 && info.mem[3].size == 0x100000000 &&
	      info.mem[3].numa_node == 2, "custom mem 3 (4 GiB)");
	CHECK(info.nresv == 5, "custom 5 reservations");
	CHECK(info.resv[0].base == 0x80000000 && info.resv[0].size == 0x20000 &&
	      info.resv[1].base == 0x87f00000 && info.resv[1].size == 0x100000, "custom /memreserve/");
	CHECK(info.resv[2].base == 0x80000000 && info.resv[2].size == 0x40000, "custom reserved sbi");
	CHECK(info.resv[3].base == 0x90000000 && info.resv[3].size == 0x1000000 &&
	      info.resv[4].base == 0x92000000 && info.resv[4].size == 0x2000,
	      "custom reserved cma, 1-cell reg");
	CHECK(info.nnuma == 3, "custom nnuma 3");
	CHECK(info.distance[0][1] == 15 && info.distance[1][0] == 15, "custom distance 0-1 symmetric");
	CHECK(info.distance[0][2] == 30 && info.distance[2][0] == 30, "custom distance 0-2 symmetric");
	CHECK(info.distance[1][2] == 25 && info.distance[2][1] == 40, "custom distance 1-2 asymmetric");
	CHECK(info.distance[2][2] == 10 && info.distance[3][4] == 20 && info.distance[5][5] == 10,
	      "custom other distances default");
	CHECK(info.uart_base == 0x10010000 && info.uart_size == 0x1000 && info.uart_irq == 33 &&
	      info.uart_clock == 1843200, "custom first enabled uart");
	CHECK(info.plic_base == 0xc000000 && info.plic_size == 0x4000000 && info.plic_ndev == 53,
	      "custom plic on a 1-cell bus");
	CHECK(info.test_base == 0x100000, "custom sifive,test0");
	CHECK(info.initrd_start == 0x84000000 && info.initrd_end == 0x84200000, "custom 32-bit initrd");
	CHECK(strcmp(info.bootargs, "console=ttyS0 root=/dev/vda rw") == 0, "custom bootargs");
	CHECK(strcmp(info.stdout_path, "serial0:115200n8") == 0, "custom stdout-path");
	free(b);
}

/* test/host/fixtures/edge.dts */
static void test_edge(void)
{
	size_t n;
	unsigned char *b = load("edge.dtb", &n);
	const struct fdt_cpu *c = info.cpus;

	CHECK(fdt_parse(b, &info) == 0, "edge parse");
	CHECK(sane(&info), "edge sane");
	CHECK(info.ncpus == 1 && c[0].hartid == 7, "edge 2-cell hart id, cpu without reg skipped");
	CHECK(c[0].enabled, "edge status ok");
	CHECK(c[0].phandle == 0x40 && c[0].intc_phandle == 0x41, "edge linux,phandle");
	CHECK(c[0].plic == 0 && c[0].plic_s_context == 1, "edge S context");
	CHECK(c[0].has_sstc && strlen(c[0].isa) == sizeof(c[0].isa) - 1 &&
	      strncmp(c[0].isa, "rv64imafdch_zicsr", 17) == 0, "edge long isa truncated, sstc at end");
	CHECK(c[0].numa_node == -1 && c[0].socket == -1 && c[0].core == -1, "edge no numa, no cpu-map");
	CHECK(info.timebase_freq == 10000000, "edge 2-cell timebase");
	CHECK(info.nmem == 2 && info.mem[0].base == 0x80000000 && info.mem[0].size == 0x8000000 &&
	      info.mem[1].base == 0x100000000 && info.mem[1].size == 0x4000000,
	      "edge default 2/1 cells, empty range skipped");
	CHECK(info.nnuma == 0 && info.nresv == 0, "edge no numa, no reservations");
	CHECK(info.plic_base == 0xc000000 && info.plic_size == 0x4000000 && info.plic_ndev == 31,
	      "edge sifive,plic-1.0.0");
	CHECK(info.uart_base == 0x10000000 && info.uart_irq == 12 && info.uart_clock == 0x384000,
	      "edge uart irq from interrupts-extended, 2-cell clock");
	CHECK(info.initrd_start == 0x100000000 && info.initrd_end == 0x100800000, "edge 64-bit initrd");
	CHECK(info.bootargs[0] == 0 && strlen(info.stdout_path) == 63, "edge truncated stdout-path");
	CHECK(info.test_base == 0, "edge no test finisher");
	free(b);
}

/* ---- robustness ---- */

static const char *const fixtures[] = {
	"virt-1cpu.dtb", "virt-4cpu.dtb", "virt-8cpu.dtb", "custom.dtb", "edge.dtb",
};

/* Parse a private copy of exactly len bytes, so ASan sees any overread. */
static int parse_copy(const unsigned char *src, size_t len, struct fdt_info *out)
{
	unsigned char *p = malloc(len ? len : 1);
	int r;

	memcpy(p, src, len);
	r = fdt_parse(p, out);
	free(p);
	return r;
}

static void test_bad_header(void)
{
	size_t n;
	unsigned char *b = load("virt-1cpu.dtb", &n);
	unsigned char *p = malloc(n);

	CHECK(fdt_parse(NULL, &info) == -EINVAL, "NULL blob");
	memcpy(p, b, n);
	p[0] ^= 0xff;
	CHECK(fdt_totalsize(p) == 0 && fdt_parse(p, &info) == -EINVAL, "bad magic");
	memcpy(p, b, n);
	put32(p + 20, 15);
	CHECK(fdt_parse(p, &info) == -EINVAL, "version 15 rejected");
	memcpy(p, b, n);
	put32(p + 24, 18);
	CHECK(fdt_parse(p, &info) == -EINVAL, "last_comp_version 18 rejected");
	memcpy(p, b, n);
	put32(p + 20, 16);	/* v16: no size_dt_struct, FDT_END bounds the walk */
	CHECK(fdt_parse(p, &info) == 0 && info.ncpus == 1 && info.uart_base == 0x10000000,
	      "version 16 header");
	free(p);
	free(b);
}

/* Every prefix, with totalsize patched to the prefix length, must fail. */
static void test_truncated(const char *name)
{
	size_t n, len;
	unsigned char *b = load(name, &n);
	unsigned char *p;
	int bad = 0;
	char msg[128];

	for (len = 8; len < n; len++) {
		p = malloc(len);
		memcpy(p, b, len);
		put32(p + 4, len);
		if (fdt_parse(p, &info) != -EINVAL)
			bad++;
		free(p);
	}
	snprintf(msg, sizeof(msg), "%s every truncation -EINVAL", name);
	CHECK(bad == 0, msg);

	/* shrink the structure and strings blocks inside an intact blob */
	bad = 0;
	p = malloc(n);
	for (len = 0; len < get32(b + 36); len++) {
		memcpy(p, b, n);
		put32(p + 36, len);
		if (fdt_parse(p, &info) != -EINVAL)
			bad++;
	}
	for (len = 0; len < get32(b + 32); len++) {
		memcpy(p, b, n);
		put32(p + 32, len);
		if (fdt_parse(p, &info) != -EINVAL)
			bad++;
	}
	free(p);
	snprintf(msg, sizeof(msg), "%s short struct/strings blocks -EINVAL", name);
	CHECK(bad == 0, msg);
	free(b);
}

/* Header offsets and sizes set to hostile values: -EINVAL or a sane parse. */
static void test_bad_offsets(const char *name)
{
	static const u32 vals[] = { 0, 1, 3, 4, 39, 40, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff };
	size_t n, f, v;
	unsigned char *b = load(name, &n);
	unsigned char *p = malloc(n);
	int bad = 0, r;
	char msg[128];

	for (f = 4; f < 40; f += 4) {
		u32 orig = get32(b + f);
		u32 cand[16];
		size_t nc = 0;

		if (f == 20 || f == 24 || f == 28)
			continue;	/* version fields and boot_cpuid are tested elsewhere */
		for (v = 0; v < sizeof(vals) / sizeof(vals[0]); v++)
			cand[nc++] = vals[v];
		cand[nc++] = orig + 1;
		cand[nc++] = orig - 1;
		cand[nc++] = orig + 4;
		cand[nc++] = orig - 4;
		cand[nc++] = (u32)n + 1;
		for (v = 0; v < nc; v++) {
			memcpy(p, b, n);
			put32(p + f, cand[v]);
			/* a totalsize beyond the buffer is a lie we cannot catch */
			if (f == 4 && cand[v] > n)
				continue;
			r = fdt_parse(p, &info);
			if (r != -EINVAL && !(r == 0 && sane(&info)))
				bad++;
		}
	}
	snprintf(msg, sizeof(msg), "%s hostile header fields", name);
	CHECK(bad == 0, msg);
	free(p);
	free(b);
}

/*
 * Find each property token in the structure block (simple scan that trusts
 * the unmodified fixture) and break its length or name offset in turn.
 */
static void test_bad_props(const char *name)
{
	size_t n;
	unsigned char *b = load(name, &n);
	unsigned char *p = malloc(n);
	u32 st = get32(b + 8), ssize = get32(b + 36), off = 0, tag, len;
	int bad = 0, props = 0, r;
	char msg[128];

	while (off + 4 <= ssize) {
		tag = get32(b + st + off);
		if (tag == 1) {
			off += 4 + ((strlen((char *)b + st + off + 4) + 4) & ~3u);
		} else if (tag == 3) {
			len = get32(b + st + off + 4);
			props++;
			memcpy(p, b, n);
			put32(p + st + off + 4, 0xfffffff8);	/* huge length */
			if (fdt_parse(p, &info) != -EINVAL)
				bad++;
			memcpy(p, b, n);
			put32(p + st + off + 4, ssize - off);	/* just past the block */
			if (fdt_parse(p, &info) != -EINVAL)
				bad++;
			memcpy(p, b, n);
			put32(p + st + off + 8, 0xffffffff);	/* name outside strings */
			if (fdt_parse(p, &info) != -EINVAL)
				bad++;
			memcpy(p, b, n);
			put32(p + st + off + 4, len + 4);	/* off by one cell */
			r = fdt_parse(p, &info);
			if (r != -EINVAL && !(r == 0 && sane(&info)))
				bad++;
			off += 12 + ((len + 3) & ~3u);
		} else {
			off += 4;
		}
	}
	snprintf(msg, sizeof(msg), "%s broken property tokens (%d props)", name, props);
	CHECK(bad == 0 && props > 10, msg);
	free(p);
	free(b);
}

/* Deterministic random byte corruption anywhere in the blob. */
static void test_fuzz(const char *name)
{
	size_t n, i;
	unsigned char *b = load(name, &n);
	unsigned char *p = malloc(n);
	u32 seed = 12345;
	int bad = 0, ok = 0, r, k, iter;
	char msg[128];

	for (iter = 0; iter < 3000; iter++) {
		memcpy(p, b, n);
		for (k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245 + 12345;
			i = (seed >> 8) % n;
			if (i < 8)
				continue;	/* keep magic and totalsize: the caller's promise */
			seed = seed * 1103515245 + 12345;
			p[i] = iter & 1 ? (u8)(seed >> 16) : p[i] ^ (u8)(1u << ((seed >> 16) & 7));
		}
		r = fdt_parse(p, &info);
		if (r == 0)
			ok++;
		if (r != -EINVAL && !(r == 0 && sane(&info)))
			bad++;
	}
	snprintf(msg, sizeof(msg), "%s 3000 random corruptions (%d still parse)", name, ok);
	CHECK(bad == 0, msg);
	free(p);
	free(b);
}

/* The blob need not be aligned: parse it at an odd address. */
static void test_unaligned(void)
{
	size_t n;
	unsigned char *b = load("custom.dtb", &n);
	unsigned char *p = malloc(n + 1);

	memcpy(p + 1, b, n);
	CHECK(fdt_parse(b, &info) == 0 && fdt_parse(p + 1, &info2) == 0 &&
	      memcmp(&info, &info2, sizeof(info)) == 0, "unaligned blob parses the same");
	free(p);
	free(b);
}

/* ---- hand-built blobs for structural errors ---- */

#define T_BEGIN 1
#define T_END_NODE 2
#define T_PROP 3
#define T_NOP 4
#define T_END 9

/*
 * Build a v17 blob from structure-block words (host order; node names are
 * given as words too) and a strings block. Returns its size.
 */
static size_t build(unsigned char *out, const u32 *words, size_t nwords,
		    const char *strings, size_t slen)
{
	size_t off_rsv = 40, off_st = 56, off_str = off_st + 4 * nwords, total = off_str + slen, i;

	memset(out, 0, total);
	put32(out, FDT_MAGIC);
	put32(out + 4, total);
	put32(out + 8, off_st);
	put32(out + 12, off_str);
	put32(out + 16, off_rsv);
	put32(out + 20, 17);
	put32(out + 24, 16);
	put32(out + 32, slen);
	put32(out + 36, 4 * nwords);
	for (i = 0; i < nwords; i++)
		put32(out + off_st + 4 * i, words[i]);
	memcpy(out + off_str, strings, slen);
	return total;
}

#define BUILD_AND_PARSE(words, out)                                                   \
	parse_copy(blob, build(blob, words, sizeof(words) / sizeof(words[0]), strs, sizeof(strs)), out)

static void test_built(void)
{
	static unsigned char blob[4096];
	static const char strs[] = "reg\0device_type";	/* "reg" at 0, "device_type" at 4 */
	int r, i;
	/* / { memory { device_type = "memory"; reg = <0 0x80000000 0x1000>; }; }; */
	static const u32 good[] = {
		T_BEGIN, 0, T_NOP,
		T_BEGIN, 0x6d656d00 /* "mem" */, T_PROP, 7, 4, 0x6d656d6f, 0x72790000 /* "memory" */,
		T_PROP, 12, 0, 0, 0x80000000, 0x1000, T_END_NODE,
		T_END_NODE, T_NOP, T_END,
	};
	static const u32 no_end[] = { T_BEGIN, 0, T_END_NODE, T_NOP };
	static const u32 unclosed[] = { T_BEGIN, 0, T_BEGIN, 0x61000000, T_END_NODE, T_END };
	static const u32 extra_close[] = { T_BEGIN, 0, T_END_NODE, T_END_NODE, T_END };
	static const u32 two_roots[] = { T_BEGIN, 0, T_END_NODE, T_BEGIN, 0, T_END_NODE, T_END };
	static const u32 top_prop[] = { T_PROP, 0, 0, T_BEGIN, 0, T_END_NODE, T_END };
	static const u32 bad_tag[] = { T_BEGIN, 0, 5, T_END_NODE, T_END };
	static const u32 empty[] = { T_END };
	static const u32 bad_name[] = { T_BEGIN, 0x61616161, 0x61616161 };	/* no NUL */
	static const u32 bad_nameoff[] = { T_BEGIN, 0, T_PROP, 0, sizeof(strs), T_END_NODE, T_END };
	u32 deep[4 * 40 + 4];
	int nd = 0;

	r = BUILD_AND_PARSE(good, &info);
	CHECK(r == 0 && info.nmem == 1 && info.mem[0].base == 0x80000000 && info.mem[0].size == 0x1000 &&
	      info.ncpus == 0 && info.nplic == 0 && info.timebase_freq == 0, "built minimal blob");
	CHECK(BUILD_AND_PARSE(no_end, &info) == -EINVAL, "built: missing FDT_END");
	CHECK(BUILD_AND_PARSE(unclosed, &info) == -EINVAL, "built: unclosed node");
	CHECK(BUILD_AND_PARSE(extra_close, &info) == -EINVAL, "built: extra END_NODE");
	CHECK(BUILD_AND_PARSE(two_roots, &info) == -EINVAL, "built: two root nodes");
	CHECK(BUILD_AND_PARSE(top_prop, &info) == -EINVAL, "built: property outside a node");
	CHECK(BUILD_AND_PARSE(bad_tag, &info) == -EINVAL, "built: unknown token");
	CHECK(BUILD_AND_PARSE(empty, &info) == -EINVAL, "built: no root node");
	CHECK(BUILD_AND_PARSE(bad_name, &info) == -EINVAL, "built: unterminated node name");
	CHECK(BUILD_AND_PARSE(bad_nameoff, &info) == -EINVAL, "built: name offset past strings");

	/* 40 nested nodes: deeper than FDT_MAX_DEPTH */
	for (i = 0; i < 40; i++) {
		deep[nd++] = T_BEGIN;
		deep[nd++] = 0x78000000;	/* "x" */
	}
	for (i = 0; i < 40; i++)
		deep[nd++] = T_END_NODE;
	deep[nd++] = T_END;
	r = parse_copy(blob, build(blob, deep, nd, strs, sizeof(strs)), &info);
	CHECK(r == -EINVAL, "built: too deep");
	nd = 0;
	for (i = 0; i < FDT_MAX_DEPTH; i++) {
		deep[nd++] = T_BEGIN;
		deep[nd++] = i ? 0x78000000 : 0;
	}
	for (i = 0; i < FDT_MAX_DEPTH; i++)
		deep[nd++] = T_END_NODE;
	deep[nd++] = T_END;
	r = parse_copy(blob, build(blob, deep, nd, strs, sizeof(strs)), &info);
	CHECK(r == 0, "built: FDT_MAX_DEPTH levels are fine");

	/* reservation block without a terminator before the end of the blob */
	{
		size_t len = build(blob, good, sizeof(good) / sizeof(good[0]), strs, sizeof(strs));

		put32(blob + 16, len - 8);	/* only 8 bytes left: no room for a pair */
		CHECK(parse_copy(blob, len, &info) == -EINVAL, "built: unterminated reservation block");
	}
}

int main(void)
{
	size_t i;

	test_virt_1cpu();
	test_virt_4cpu();
	test_virt_8cpu();
	test_custom();
	test_edge();
	test_bad_header();
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		test_truncated(fixtures[i]);
		test_bad_offsets(fixtures[i]);
		test_bad_props(fixtures[i]);
		test_fuzz(fixtures[i]);
	}
	test_unaligned();
	test_built();
	return KTEST_DONE();
}
