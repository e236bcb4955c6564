/* Spinlocks: amoswap with acquire ordering to take, a release store to
 * give back. Taking one raises preempt_count (kernel/preempt.h): a holder
 * is never switched away, so a waiter on another hart spins only as long
 * as the holder's critical section runs. Giving the last one back is a
 * preemption point. */
#include "kernel/spinlock.h"
#include "kernel/preempt.h"
#include "arch/riscv/csr.h"
#include "proc/task.h"

void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
	l->owner = -1;
}

static void arch_spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			;
	l->owner = smp_processor_id(); /* stable: preemption is off */
}

static void arch_spin_unlock(spinlock_t *l)
{
	l->owner = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void spin_lock(spinlock_t *l)
{
	preempt_disable();
	arch_spin_lock(l);
}

void spin_unlock(spinlock_t *l)
{
	arch_spin_unlock(l);
	preempt_enable();
}

unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long f = local_irq_save();

	preempt_disable();
	arch_spin_lock(l);
	return f;
}

/* Interrupts back on before the preemption check, or a reschedule asked
 * for inside the section (a local wake-up) would wait for the next one. */
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	arch_spin_unlock(l);
	local_irq_restore(flags);
	preempt_enable();
}
