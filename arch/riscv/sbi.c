/* SBI calls (SBI spec v1.0: a7 = extension, a6 = function, result in
 * a0/a1). Used for the timer without Sstc, IPIs, hart start and power off. */
#include "arch/riscv/sbi.h"

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;
	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

bool sbi_probe_extension(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0, 0);
	return r.error == 0 && r.value != 0;
}

/* Legacy extension: the only console before the UART is mapped. */
void sbi_console_putchar(int c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned long)c, 0, 0, 0);
}

void sbi_set_timer(u64 when)
{
	sbi_ecall(SBI_EXT_TIME, 0, when, 0, 0, 0);
}

long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start_pa, opaque, 0).error;
}

long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0, 0).error;
}

void sbi_system_reset(u32 type, u32 reason)
{
	sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0, 0);
}
