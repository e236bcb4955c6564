/* vDSO entries that only make the system call, as in Linux riscv: a
 * U-mode program has no register naming its hart (no rdpid/rdtscp), and
 * an instruction-cache flush must reach other harts. They exist so
 * glibc's lookups succeed, as on Linux. */
#include "arch/riscv/vdso/ecall.h"

struct getcpu_cache;

int __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
{
	return (int)vdso_ecall3(NR_getcpu, (long)cpu, (long)node, (long)unused);
}

int __vdso_flush_icache(void *start, void *end, unsigned long flags)
{
	return (int)vdso_ecall3(NR_riscv_flush_icache, (long)start, (long)end, (long)flags);
}
