/* riscv_hwprobe(2) (Linux: arch/riscv/kernel/sys_hwprobe.c): what user
 * space may rely on about the harts, as key/value pairs. The ISA comes
 * from each hart's device-tree riscv,isa string; an extension is only
 * reported if the kernel lets user space use it (no V: Vireo does not
 * save vector state; no Zicboz: senvcfg.CBZE is left clear). */
#include "kernel/errno.h"
#include "kernel/fdt.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "proc/signal.h"
#include "kernel/uaccess.h"
#include "arch/riscv/pgtable.h"
#include "arch/riscv/sbi.h"
#include "proc/task.h"

#define KEY_MVENDORID 0
#define KEY_MARCHID 1
#define KEY_MIMPID 2
#define KEY_BASE_BEHAVIOR 3
#define BASE_BEHAVIOR_IMA (1ULL << 0)
#define KEY_IMA_EXT_0 4
#define IMA_FD (1ULL << 0)
#define IMA_C (1ULL << 1)
#define EXT_ZBA (1ULL << 3)
#define EXT_ZBB (1ULL << 4)
#define EXT_ZBS (1ULL << 5)
#define EXT_ZBC (1ULL << 7)
#define EXT_ZBKB (1ULL << 8)
#define EXT_ZBKC (1ULL << 9)
#define EXT_ZBKX (1ULL << 10)
#define EXT_ZKND (1ULL << 11)
#define EXT_ZKNE (1ULL << 12)
#define EXT_ZKNH (1ULL << 13)
#define EXT_ZKSED (1ULL << 14)
#define EXT_ZKSH (1ULL << 15)
#define EXT_ZKT (1ULL << 16)
#define EXT_ZFH (1ULL << 27)
#define EXT_ZFHMIN (1ULL << 28)
#define EXT_ZIHINTNTL (1ULL << 29)
#define EXT_ZFA (1ULL << 32)
#define EXT_ZTSO (1ULL << 33)
#define EXT_ZACAS (1ULL << 34)
#define EXT_ZICOND (1ULL << 35)
#define KEY_CPUPERF_0 5
#define MISALIGNED_UNKNOWN 0
#define KEY_ZICBOZ_BLOCK_SIZE 6
#define KEY_HIGHEST_VIRT_ADDRESS 7
#define KEY_TIME_CSR_FREQ 8

struct riscv_hwprobe {
	s64 key;
	u64 value;
};

/* Per hart, written once at boot (hwprobe_init). */
static struct {
	u64 base, ima_ext;
} hart_isa[NR_CPUS];
static u64 mvendorid, marchid, mimpid;

/* Does the "rv64imafdc_zba_zbb" string name single-letter extension c? */
static bool has_letter(const char *isa, char c)
{
	if (strncmp(isa, "rv64", 4))
		return false;
	for (const char *p = isa + 4; *p && *p != '_'; p++)
		if (*p == c || (*p == 'g' && strchr("imafd", c)))
			return true;
	return false;
}

/* ... or multi-letter extension ext (between underscores)? */
static bool has_ext(const char *isa, const char *ext)
{
	size_t n = strlen(ext);

	for (const char *p = strchr(isa, '_'); p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, ext, n) && (p[1 + n] == '_' || p[1 + n] == 0))
			return true;
	return false;
}

static u64 isa_to_ima_ext(const char *isa)
{
	static const struct { const char *name; u64 bit; } exts[] = {
		{ "zba", EXT_ZBA }, { "zbb", EXT_ZBB }, { "zbs", EXT_ZBS }, { "zbc", EXT_ZBC },
		{ "zbkb", EXT_ZBKB }, { "zbkc", EXT_ZBKC }, { "zbkx", EXT_ZBKX }, { "zknd", EXT_ZKND },
		{ "zkne", EXT_ZKNE }, { "zknh", EXT_ZKNH }, { "zksed", EXT_ZKSED }, { "zksh", EXT_ZKSH },
		{ "zkt", EXT_ZKT }, { "zfh", EXT_ZFH }, { "zfhmin", EXT_ZFHMIN },
		{ "zihintntl", EXT_ZIHINTNTL }, { "zfa", EXT_ZFA }, { "ztso", EXT_ZTSO },
		{ "zacas", EXT_ZACAS }, { "zicond", EXT_ZICOND },
	};
	u64 v = 0;

	if (has_letter(isa, 'f') && has_letter(isa, 'd'))
		v |= IMA_FD;
	if (has_letter(isa, 'c'))
		v |= IMA_C;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (has_ext(isa, exts[i].name))
			v |= exts[i].bit;
	return v;
}

void hwprobe_init(const struct fdt_info *fdt)
{
	for (int c = 0; c < nr_cpus_possible; c++)
		for (int i = 0; i < fdt->ncpus; i++)
			if (fdt->cpus[i].hartid == harts[c].hartid) {
				const char *isa = fdt->cpus[i].isa;
				bool ima = has_letter(isa, 'i') && has_letter(isa, 'm') &&
					   has_letter(isa, 'a');
				hart_isa[c].base = ima ? BASE_BEHAVIOR_IMA : 0;
				hart_isa[c].ima_ext = ima ? isa_to_ima_ext(isa) : 0;
			}
	mvendorid = (u64)sbi_ecall(SBI_EXT_BASE, 4, 0, 0, 0, 0).value;
	marchid = (u64)sbi_ecall(SBI_EXT_BASE, 5, 0, 0, 0, 0).value;
	mimpid = (u64)sbi_ecall(SBI_EXT_BASE, 6, 0, 0, 0, 0).value;
}

/* The value of key over the harts in mask: bitmask keys are ANDed. */
static bool hwprobe_one(struct riscv_hwprobe *pair, unsigned long mask)
{
	u64 v = ~0ULL;

	switch (pair->key) {
	case KEY_MVENDORID: v = mvendorid; break; /* the same on every hart (SBI's answer) */
	case KEY_MARCHID: v = marchid; break;
	case KEY_MIMPID: v = mimpid; break;
	case KEY_BASE_BEHAVIOR:
	case KEY_IMA_EXT_0:
		for (int c = 0; c < nr_cpus_possible; c++)
			if (mask & (1UL << c))
				v &= pair->key == KEY_BASE_BEHAVIOR ? hart_isa[c].base : hart_isa[c].ima_ext;
		break;
	case KEY_CPUPERF_0: v = MISALIGNED_UNKNOWN; break; /* not measured */
	case KEY_ZICBOZ_BLOCK_SIZE: v = 0; break;         /* Zicboz not offered */
	case KEY_HIGHEST_VIRT_ADDRESS: v = USER_VA_END - 1; break;
	case KEY_TIME_CSR_FREQ: v = timebase_freq; break;
	default:
		return false;
	}
	pair->value = v;
	return true;
}

SYSCALL_DEFINE5(riscv_hwprobe, struct riscv_hwprobe __user *, pairs, size_t, pair_count,
		size_t, cpusetsize, unsigned long __user *, ucpus, unsigned int, flags)
{
	unsigned long online = 0, mask;

	if (flags)
		return -EINVAL; /* RISCV_HWPROBE_WHICH_CPUS (Linux 6.8) is not offered */
	for (int c = 0; c < nr_cpus_possible; c++)
		if (harts[c].online)
			online |= 1UL << c;
	if (!cpusetsize && !ucpus) {
		mask = online;
	} else {
		mask = 0;
		if (copy_from_user(&mask, ucpus, MIN(cpusetsize, sizeof(mask))))
			return -EFAULT;
		mask &= online;
		if (!mask)
			return -EINVAL;
	}
	for (size_t i = 0; i < pair_count; i++) {
		struct riscv_hwprobe p;
		if (fatal_signal_pending(current)) /* a huge pair_count over mapped memory */
			return -EINTR;
		if (copy_from_user(&p.key, &pairs[i].key, sizeof(p.key)))
			return -EFAULT;
		if (!hwprobe_one(&p, mask)) {
			p.key = -1; /* unknown keys say so */
			p.value = 0;
		}
		if (copy_to_user(&pairs[i], &p, sizeof(p)))
			return -EFAULT;
	}
	return 0;
}
