/* System calls from inside the vDSO: what a vDSO function does for the
 * cases it cannot serve itself, returning the kernel's a0 unchanged
 * (-errno on failure), as Linux's vDSO fallbacks do. */
#ifndef ARCH_RISCV_VDSO_ECALL_H
#define ARCH_RISCV_VDSO_ECALL_H

/* Linux riscv64 system-call numbers (asm-generic/unistd.h). */
#define NR_clock_gettime 113
#define NR_clock_getres 114
#define NR_gettimeofday 169
#define NR_getcpu 168
#define NR_riscv_flush_icache 259

static inline long vdso_ecall3(long nr, long arg0, long arg1, long arg2)
{
	register long a0 __asm__("a0") = arg0;
	register long a1 __asm__("a1") = arg1;
	register long a2 __asm__("a2") = arg2;
	register long a7 __asm__("a7") = nr;

	__asm__ __volatile__("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

#endif
