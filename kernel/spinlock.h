/* Spinlocks (test-and-set with acquire/release ordering) and the
 * interrupt-disabling variants. A holder raises preempt_count so the
 * scheduler never preempts it (kernel/preempt.h); spin_unlock is a
 * preemption point. Host unit tests (-DHOST_TEST) get no-ops. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H
#include "kernel/types.h"

typedef struct {
	volatile u32 locked;
	int owner; /* hart holding it, -1 if free: for oops reports */
} spinlock_t;

#define SPINLOCK_INIT { 0, -1 }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

#ifdef HOST_TEST
static inline void spin_lock_init(spinlock_t *l) { l->locked = 0; l->owner = -1; }
static inline void spin_lock(spinlock_t *l) { l->locked = 1; }
static inline void spin_unlock(spinlock_t *l) { l->locked = 0; }
static inline unsigned long spin_lock_irqsave(spinlock_t *l) { l->locked = 1; return 0; }
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long f) { (void)f; l->locked = 0; }
#else
void spin_lock_init(spinlock_t *l);
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
unsigned long spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
#endif

#endif
