/* Kernel preemption (Linux's CONFIG_PREEMPT model). The running task's
 * thread_info.preempt_count counts the reasons it may not be switched
 * away right now: each spinlock held, each preempt_disable() section, and
 * the scheduler's own. At 0, with TIF_NEED_RESCHED set and interrupts on,
 * it is switched away at the next preempt_enable() or on return from an
 * interrupt or exception to kernel code (docs/sched.md, "Preemption").
 *
 * The count belongs to the task, not the hart: a task that sleeps or is
 * preempted takes its count with it, as on Linux riscv. */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H
#include "proc/task.h"
#include "arch/riscv/csr.h"

#define barrier() __asm__ __volatile__("" ::: "memory")

static inline int preempt_count(void)
{
	return READ_ONCE(current->thread_info.preempt_count);
}

/* A plain increment is enough: an interrupt in the middle gives the
 * count back as it found it, and the count moves with the task. The
 * barriers keep the protected accesses inside the section. */
static inline void preempt_disable(void)
{
	current->thread_info.preempt_count++;
	barrier();
}

/* Leave a section without checking TIF_NEED_RESCHED: for the scheduler
 * itself, and for callers about to reach another preemption point. */
static inline void preempt_enable_no_resched(void)
{
	barrier();
	current->thread_info.preempt_count--;
}

void preempt_schedule(void);
/* From the exception return path: interrupts off on entry and on return. */
void preempt_schedule_irq(void);

static inline void preempt_enable(void)
{
	barrier();
	if (--current->thread_info.preempt_count == 0 && unlikely(need_resched()))
		preempt_schedule();
}

static inline bool irqs_disabled(void)
{
	return !(csr_read(sstatus) & SR_SIE);
}

/* May the running task be switched away here? */
static inline bool preemptible(void)
{
	return preempt_count() == 0 && !irqs_disabled();
}

#endif
