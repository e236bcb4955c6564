/* Power off. Status 0 goes through SBI SRST (shutdown). A non-zero status
 * is written to the sifive,test finisher as FAIL with the code in bits
 * 31:16, which QEMU turns into its own exit status; SRST with reason
 * "failure" is the fallback when the board has no finisher. */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "mm/ioremap.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "proc/cred.h"

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

/* reboot(2) (Linux: kernel/reboot.c). Restarting asks SBI for a cold
 * reboot; under QEMU's -no-reboot that ends QEMU with status 0. */
#define LINUX_REBOOT_MAGIC1 0xfee1deadU
#define LINUX_REBOOT_CMD_RESTART 0x01234567U
#define LINUX_REBOOT_CMD_HALT 0xcdef0123U
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefU
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000U
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcU
#define LINUX_REBOOT_CMD_RESTART2 0xa1b2c3d4U

SYSCALL_DEFINE4(reboot, unsigned int, magic1, unsigned int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	(void)arg;
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != 672274793U && magic2 != 85072278U && magic2 != 369367448U &&
	     magic2 != 537993216U))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_info("reboot: Power down\n");
		kernel_power_off(0);
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		pr_info("reboot: Restarting system\n");
		local_irq_disable();
		sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
		kernel_power_off(0);
	default:
		return -EINVAL;
	}
}
