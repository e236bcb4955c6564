/* RISC-V PLIC: each hart's S-mode context has an enable bitmap, a priority
 * threshold and a claim/complete register. Device interrupts are routed to
 * one hart; the UART's input arrives this way. */
#include "arch/riscv/irq.h"
#include "arch/riscv/csr.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "mm/ioremap.h"
#include "proc/task.h"
#include "proc/sched.h"

#define PLIC_PRIORITY(irq) (4 * (irq))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200004 + 0x1000 * (ctx))

static volatile u8 *plic;
static u32 plic_ndev;
static int s_context[NR_CPUS]; /* PLIC context of each hart's S-mode, -1 none */
static u32 routed_irq[NR_CPUS]; /* the device interrupt sent to each hart, 0 none */

static inline volatile u32 *reg(unsigned long off)
{
	return (volatile u32 *)(plic + off);
}

int plic_init(u64 base_pa, u64 size, u32 ndev)
{
	plic = ioremap(base_pa, size);
	plic_ndev = ndev;
	return plic ? 0 : -1;
}

void plic_set_context(int cpu, int ctx)
{
	s_context[cpu] = ctx;
}

static void enable_in_context(int ctx, u32 irq)
{
	*reg(PLIC_PRIORITY(irq)) = 1;
	*reg(PLIC_ENABLE(ctx) + 4 * (irq / 32)) |= 1U << (irq % 32);
}

/* OpenSBI's warm boot of a hart clears its S-mode enable bits, so for a
 * hart not started yet the enable is written again by plic_init_hart. */
void plic_enable_irq(int cpu, u32 irq)
{
	int ctx = s_context[cpu];

	if (!plic || ctx < 0 || irq == 0 || irq > plic_ndev)
		return;
	routed_irq[cpu] = irq;
	enable_in_context(ctx, irq);
}

/* The first cpu whose S-mode context is on the device PLIC (socket 0's:
 * QEMU wires the UART there). The boot hart may be in another socket. */
int plic_first_routed_cpu(void)
{
	for (int cpu = 0; cpu < nr_cpus_possible; cpu++)
		if (s_context[cpu] >= 0)
			return cpu;
	return -1;
}

/* Accept every priority above 0 and turn on external interrupts. */
void plic_init_hart(int cpu)
{
	if (!plic || s_context[cpu] < 0)
		return;
	*reg(PLIC_THRESHOLD(s_context[cpu])) = 0;
	if (routed_irq[cpu])
		enable_in_context(s_context[cpu], routed_irq[cpu]);
	csr_set(sie, SIE_SEIE);
}

static void plic_handle_irq(void)
{
	int ctx = s_context[smp_processor_id()];
	u32 irq;

	while ((irq = *reg(PLIC_CLAIM(ctx))) != 0) {
		if (irq == uart_irq_number())
			uart_handle_irq();
		else
			pr_warn("plic: unexpected interrupt %u\n", irq);
		*reg(PLIC_CLAIM(ctx)) = irq;
	}
}

void handle_irq(unsigned long irq, struct pt_regs *regs)
{
	this_hart()->irqs++;
	switch (irq) {
	case IRQ_S_TIMER:
		timer_interrupt(regs);
		break;
	case IRQ_S_EXT:
		plic_handle_irq();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		membarrier_ipi(); /* a membarrier(2) may be waiting for this hart's fence */
		break;
	default:
		pr_warn("irq: unexpected interrupt cause %lu\n", irq);
	}
}
