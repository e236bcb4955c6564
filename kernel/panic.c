/* panic: report, stop the machine, and give QEMU a non-zero exit status
 * (PANIC_EXIT_STATUS) so scripts and tests see the failure. */
#include "kernel/printk.h"
#include "kernel/power.h"
#include "arch/riscv/csr.h"

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	local_irq_disable();
	oops_in_progress = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	kernel_power_off(PANIC_EXIT_STATUS);
}
