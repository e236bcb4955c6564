/* Per-hart one-shot timers in nanoseconds of the monotonic clock. The
 * hart's timer interrupt fires at the earlier of its next tick and its
 * earliest timer; expired timers run their function in interrupt context.
 * A timer is armed on the hart that calls timer_add and fires there. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H
#include "kernel/types.h"
#include "kernel/list.h"

struct timer {
	struct list_head entry;   /* on a hart's list, by expiry */
	u64 expires;              /* ktime_get_ns() value */
	void (*fn)(struct timer *t);
	void *data;
	int cpu;                  /* hart whose list holds it, -1 if not armed */
};

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data);
void timer_add(struct timer *t, u64 expires);  /* (re)arm */
bool timer_del(struct timer *t);                /* true if it was armed */
void run_timers(void);                          /* from the timer interrupt */
u64 next_timer_expiry(int cpu);                 /* ~0 if none */

#endif
