/* Spinlocks: amoswap with acquire ordering to take, a release store to
 * give back. Taking one raises preempt_count (no preemption while held). */
#include "kernel/spinlock.h"
#include "arch/riscv/csr.h"
#include "proc/task.h"

void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
	l->owner = -1;
}

void spin_lock(spinlock_t *l)
{
	current->thread_info.preempt_count++;
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			;
	l->owner = smp_processor_id();
}

void spin_unlock(spinlock_t *l)
{
	l->owner = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	current->thread_info.preempt_count--;
}

unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long f = local_irq_save();

	spin_lock(l);
	return f;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}
