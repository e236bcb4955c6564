/* Counters split per hart (Linux's percpu_counter): an update touches only
 * the updating hart's slot, so opens, closes and forks on many harts share
 * no cache line; a read (for /proc) sums the slots. A slot is updated
 * atomically, since a preempted task may finish its add on another hart. */
#ifndef KERNEL_PERCPU_COUNTER_H
#define KERNEL_PERCPU_COUNTER_H
#include "kernel/types.h"

#define PCPU_COUNTER_SLOTS 32 /* NR_CPUS */

struct percpu_counter {
	struct {
		long v;
		char pad[64 - sizeof(long)]; /* a cache line each */
	} slot[PCPU_COUNTER_SLOTS];
};

#ifdef HOST_TEST
#define pcpu_counter_slot() 0
#else
#include "proc/task.h"
_Static_assert(PCPU_COUNTER_SLOTS == NR_CPUS, "one slot per hart");
#define pcpu_counter_slot() smp_processor_id()
#endif

static inline void percpu_counter_add(struct percpu_counter *c, long d)
{
	__atomic_add_fetch(&c->slot[pcpu_counter_slot()].v, d, __ATOMIC_RELAXED);
}

static inline long percpu_counter_sum(struct percpu_counter *c)
{
	long s = 0;

	for (int i = 0; i < PCPU_COUNTER_SLOTS; i++)
		s += __atomic_load_n(&c->slot[i].v, __ATOMIC_RELAXED);
	return s;
}

#endif
