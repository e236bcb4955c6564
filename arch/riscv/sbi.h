/* Calls into the SBI firmware (OpenSBI) through ecall: base probing,
 * timer, IPI, remote fences, hart state management and system reset. */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H
#include "kernel/types.h"

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI  0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM  0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_LEGACY_PUTCHAR 0x01

#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3);
bool sbi_probe_extension(unsigned long ext);
void sbi_console_putchar(int c);
void sbi_set_timer(u64 when);
long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque);
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
void sbi_system_reset(u32 type, u32 reason);

#endif
