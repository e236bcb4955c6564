/* Per-hart timer tick. With Sstc the hart compares `time` against its own
 * stimecmp CSR; without it, each new deadline costs an SBI TIME call. */
#include "arch/riscv/irq.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/sbi.h"
#include "kernel/printk.h"
#include "proc/task.h"

#define HZ 100

bool timer_use_sstc;
static u64 tick_cycles;

static void set_next_event(u64 when)
{
	if (timer_use_sstc)
		__asm__ __volatile__("csrw 0x14d, %0" ::"r"(when)); /* stimecmp */
	else
		sbi_set_timer(when);
}

void time_init(u32 freq, bool sstc)
{
	tick_cycles = freq / HZ;
	timer_use_sstc = sstc;
	pr_info("timer: %u Hz timebase, %s, tick %d Hz\n", freq,
		sstc ? "Sstc (stimecmp)" : "SBI TIME", HZ);
}

/* Arm this hart's periodic tick. Idle harts do not call it: with nothing
 * to run they sleep in wfi without waking HZ times a second. */
void timer_start_tick(void)
{
	set_next_event(get_cycles() + tick_cycles);
	csr_set(sie, SIE_STIE);
}

void timer_interrupt(void)
{
	this_hart()->ticks++;
	set_next_event(get_cycles() + tick_cycles);
}
