/* Per-hart timer interrupt. With Sstc the hart compares `time` against its
 * own stimecmp CSR; without it, each deadline is set through SBI TIME.
 * While a task runs the hart ticks at HZ (scheduler_tick); an idle hart
 * stops the tick and wakes only for its next timer (or an IPI). */
#include "arch/riscv/irq.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/sbi.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "proc/sched.h"
#include "proc/task.h"

#define HZ 100
#define TICK_NS (1000000000UL / HZ)

bool timer_use_sstc;
static u64 freq;
static bool tick_on[NR_CPUS]; /* this hart's periodic tick is armed */
static u64 next_tick[NR_CPUS];

static void set_next_event(u64 when_ns)
{
	u64 cycles = when_ns == ~0ULL ? ~0ULL
		     : when_ns / 1000000000UL * freq + when_ns % 1000000000UL * freq / 1000000000UL +
			       get_boot_cycles();

	if (timer_use_sstc)
		__asm__ __volatile__("csrw 0x14d, %0" ::"r"(cycles)); /* stimecmp */
	else
		sbi_set_timer(cycles);
}

void time_init(u32 f, bool sstc)
{
	freq = f;
	timer_use_sstc = sstc;
	pr_info("timer: %u Hz timebase, %s, tick %d Hz, tickless idle\n", f,
		sstc ? "Sstc (stimecmp)" : "SBI TIME", HZ);
}

/* Program the hart for the earlier of its next tick and its next timer.
 * Interrupts off: the deadline written must be this hart's (timer_add
 * calls it preemptible), and its own timer interrupt must not change
 * tick_on/next_tick between the read and the write. */
void timer_reprogram(void)
{
	unsigned long irq = local_irq_save();
	int cpu = smp_processor_id();
	u64 when = next_timer_expiry(cpu);

	if (tick_on[cpu] && next_tick[cpu] < when)
		when = next_tick[cpu];
	set_next_event(when);
	csr_set(sie, SIE_STIE);
	local_irq_restore(irq);
}

void timer_tick_resume(void)
{
	int cpu = smp_processor_id();

	if (tick_on[cpu])
		return;
	tick_on[cpu] = true;
	next_tick[cpu] = ktime_get_ns() + TICK_NS;
	timer_reprogram();
}

void timer_idle_enter(void)
{
	int cpu = smp_processor_id();

	if (!tick_on[cpu])
		return;
	tick_on[cpu] = false;
	timer_reprogram();
}

void timer_start_tick(void)
{
	timer_tick_resume();
}

void timer_interrupt(struct pt_regs *regs)
{
	int cpu = smp_processor_id();
	u64 now = ktime_get_ns();

	this_hart()->ticks++;
	run_timers();
	if (tick_on[cpu] && now >= next_tick[cpu]) {
		next_tick[cpu] = now + TICK_NS;
		account_tick(regs);
		scheduler_tick();
	}
	timer_reprogram();
}
