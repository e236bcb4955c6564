/* Power off. Status 0 goes through SBI SRST (shutdown). A non-zero status
 * is written to the sifive,test finisher as FAIL with the code in bits
 * 31:16, which QEMU turns into its own exit status; SRST with reason
 * "failure" is the fallback when the board has no finisher. */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "mm/ioremap.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/csr.h"

#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

static volatile u32 *finisher;

void power_init(u64 test_finisher_pa)
{
	if (test_finisher_pa)
		finisher = ioremap(test_finisher_pa, 4);
}

void kernel_power_off(int status)
{
	local_irq_disable();
	status &= 0xffff;
	if (finisher)
		*finisher = status ? ((u32)status << 16) | FINISHER_FAIL : FINISHER_PASS;
	sbi_system_reset(SBI_SRST_SHUTDOWN, status ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	for (;;)
		wait_for_interrupt();
}
