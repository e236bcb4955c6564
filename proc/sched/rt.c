/* The real-time scheduling class (Linux: kernel/sched/rt.c): SCHED_FIFO and
 * SCHED_RR tasks on 100 priority lists per hart, the highest priority (lowest
 * p->prio) first, and RT throttling that keeps part of every period for CFS.
 *
 * Unlike CFS, the running RT task stays on its list: a task preempted by a
 * higher priority keeps its place at the head, as POSIX wants for FIFO.
 * Everything here runs under the rq's lock (rq->lock), as for every class. */
#include "proc/sched/sched.h"
#include "kernel/printk.h"
#include "kernel/timer.h"

/* A SCHED_RR task runs 100 ms before the next one of its priority: counted
 * in ticks (HZ = 100, 10 ms each), like Linux's jiffies. */
#define RR_TIMESLICE 10

/* RT bandwidth (Linux's sysctls, in microseconds): in each period of
 * sched_rt_period, RT tasks of a hart may run sched_rt_runtime; then they
 * wait (are throttled) until the next period and CFS gets the rest.
 * A negative runtime turns throttling off. */
unsigned int sysctl_sched_rt_period = 1000000;
int sysctl_sched_rt_runtime = 950000;

#define BITS_PER_WORD (8 * sizeof(unsigned long))

/* Per hart: the timer that ends a throttled period. A throttled hart may
 * run nothing but idle, whose tick is stopped, so a timer must come back to
 * unthrottle it. Only its own hart arms it (timers fire where they were
 * armed), under that hart's rq->lock; the timer code's own lock protects
 * its list linkage. */
static struct timer rt_period_timer[NR_CPUS];

static void sched_rt_period_timer(struct timer *t);

static inline u64 rt_period_ns(void)
{
	return (u64)sysctl_sched_rt_period * 1000;
}

static inline struct rq *rq_of_rt_rq(struct rt_rq *rt)
{
	return container_of(rt, struct rq, rt);
}

/* Set up a hart's RT queue (from init_rq; also done lazily on the first
 * enqueue, so a zeroed rq works too). */
void init_rt_rq(struct rt_rq *rt);
void init_rt_rq(struct rt_rq *rt)
{
	struct rq *rq = rq_of_rt_rq(rt);
	int cpu = (int)(rq - runqueues);

	for (int i = 0; i < MAX_RT_PRIO_LISTS; i++)
		INIT_LIST_HEAD(&rt->active.queue[i]);
	rt->active.bitmap[0] = rt->active.bitmap[1] = 0;
	rt->rt_nr_running = 0;
	rt->rt_time = 0;
	rt->rt_period_start = 0;
	rt->rt_throttled = false;
	timer_init(&rt_period_timer[cpu], sched_rt_period_timer, rq);
}

static inline void rt_rq_lazy_init(struct rt_rq *rt)
{
	if (!rt->active.queue[0].next)
		init_rt_rq(rt);
}

/* Index of the lowest set bit of a non-zero word (no Zbb here, and the
 * kernel has no libgcc for __builtin_ctzl): halve the window each step. */
static int lowest_bit(unsigned long w)
{
	int n = 0;

	for (int shift = 32; shift; shift >>= 1) {
		unsigned long low = (1UL << shift) - 1;
		if (!(w & low)) {
			w >>= shift;
			n += shift;
		}
	}
	return n;
}

/* The first non-empty list: the highest priority queued, or
 * MAX_RT_PRIO_LISTS if there is none. */
static int rt_first_prio(const struct rt_prio_array *a)
{
	for (unsigned int w = 0; w < 2; w++)
		if (a->bitmap[w])
			return (int)(w * BITS_PER_WORD) + lowest_bit(a->bitmap[w]);
	return MAX_RT_PRIO_LISTS;
}

static inline void rt_bitmap_set(struct rt_prio_array *a, int prio)
{
	a->bitmap[prio / BITS_PER_WORD] |= 1UL << (prio % BITS_PER_WORD);
}

static inline void rt_bitmap_clear(struct rt_prio_array *a, int prio)
{
	a->bitmap[prio / BITS_PER_WORD] &= ~(1UL << (prio % BITS_PER_WORD));
}

/* Start a new bandwidth period once the current one is over: the budget
 * is full again and a throttled queue may run. Periods follow each other
 * while RT tasks keep running; the first RT task after a quiet spell
 * (fresh) or after a whole idle period starts the next one now, and so
 * does a fresh one in a period no RT task has used yet (at boot, too). */
static void rt_period_refresh(struct rq *rq, bool fresh)
{
	struct rt_rq *rt = &rq->rt;
	u64 period = rt_period_ns(), now = rq->clock;

	if (now - rt->rt_period_start < period && !(fresh && rt->rt_time == 0))
		return;
	if (!fresh && now - rt->rt_period_start < 2 * period)
		rt->rt_period_start += period;
	else
		rt->rt_period_start = now;
	rt->rt_time = 0;
	if (rt->rt_throttled) {
		rt->rt_throttled = false;
		if (rt->rt_nr_running)
			resched_curr(rq); /* the RT tasks outrank whatever runs now */
	}
}

/* Has this period's RT budget run out? If it just did, throttle the queue
 * and arm the timer for the end of the period. Only on rq's own hart. */
static bool rt_runtime_exceeded(struct rq *rq)
{
	struct rt_rq *rt = &rq->rt;

	if (rt->rt_throttled)
		return true;
	if (sysctl_sched_rt_runtime < 0 || rt->rt_time <= (u64)sysctl_sched_rt_runtime * 1000)
		return false;
	if (rq->cpu != smp_processor_id())
		return false; /* the owner hart will notice at its next tick */
	rt->rt_throttled = true;
	timer_add(&rt_period_timer[rq->cpu], rt->rt_period_start + rt_period_ns());
	return true;
}

/* End of a throttled period (timer interrupt on the rq's hart). */
static void sched_rt_period_timer(struct timer *t)
{
	struct rq *rq = t->data;
	unsigned long f = spin_lock_irqsave(&rq->lock);

	update_rq_clock(rq);
	rt_period_refresh(rq, false);
	if (rq->rt.rt_throttled) /* fired a little early: try again at the end */
		timer_add(t, rq->rt.rt_period_start + rt_period_ns());
	spin_unlock_irqrestore(&rq->lock, f);
}

/* Charge the running RT task for the time since it last started or was
 * charged: its own sum_exec_runtime and the queue's bandwidth use. */
static void update_curr_rt(struct rq *rq)
{
	struct task_struct *curr = rq->curr;

	if (curr->sched_class != &rt_sched_class)
		return;
	s64 delta = (s64)(rq->clock - curr->se.exec_start);
	if (delta <= 0)
		return;
	curr->se.exec_start = rq->clock;
	curr->se.sum_exec_runtime += (u64)delta;
	rt_period_refresh(rq, false);
	/* Only the part inside the current period counts against it. */
	rq->rt.rt_time += MIN((u64)delta, rq->clock - rq->rt.rt_period_start);
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt = &rq->rt;

	(void)flags;
	rt_rq_lazy_init(rt);
	BUG_ON(p->prio < 0 || p->prio >= MAX_RT_PRIO_LISTS);
	if (!rt->rt_nr_running)
		rt_period_refresh(rq, true); /* the first RT task after a quiet spell */
	list_add_tail(&p->rt_run_list, &rt->active.queue[p->prio]);
	rt_bitmap_set(&rt->active, p->prio);
	rt->rt_nr_running++;
	if (!p->rt_time_slice)
		p->rt_time_slice = RR_TIMESLICE;
}

static void dequeue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt = &rq->rt;

	(void)flags;
	if (p == rq->curr)
		update_curr_rt(rq);
	list_del_init(&p->rt_run_list);
	if (list_empty(&rt->active.queue[p->prio]))
		rt_bitmap_clear(&rt->active, p->prio);
	rt->rt_nr_running--;
}

/* Move p to the tail of its priority's list (RR expiry, sched_yield). */
static void requeue_task_rt(struct rq *rq, struct task_struct *p)
{
	list_move_tail(&p->rt_run_list, &rq->rt.active.queue[p->prio]);
}

static void yield_task_rt(struct rq *rq)
{
	requeue_task_rt(rq, rq->curr);
}

/* A woken or newly RT task preempts a running RT task of lower priority;
 * one of equal priority waits its turn. (Another class below RT is
 * preempted by the core's check_preempt_curr.) */
static void check_preempt_curr_rt(struct rq *rq, struct task_struct *p, int flags)
{
	(void)flags;
	if (p->prio < rq->curr->prio)
		resched_curr(rq);
}

static struct task_struct *pick_next_task_rt(struct rq *rq)
{
	struct rt_rq *rt = &rq->rt;

	if (!rt->rt_nr_running)
		return NULL;
	rt_period_refresh(rq, false);
	if (rt_runtime_exceeded(rq))
		return NULL; /* throttled: CFS (or idle) runs until the period ends */
	int idx = rt_first_prio(&rt->active);
	BUG_ON(idx >= MAX_RT_PRIO_LISTS);
	struct task_struct *p = list_first_entry(&rt->active.queue[idx], struct task_struct,
						 rt_run_list);
	p->se.exec_start = rq->clock;
	return p;
}

/* p stops running: charge it. It stays on its list if still queued. */
static void put_prev_task_rt(struct rq *rq, struct task_struct *p)
{
	(void)p;
	update_curr_rt(rq);
}

static void set_next_task_rt(struct rq *rq, struct task_struct *p)
{
	p->se.exec_start = rq->clock;
}

/* The tick while an RT task runs: charge it, throttle when the budget is
 * spent, and rotate SCHED_RR tasks of one priority every RR_TIMESLICE.
 * SCHED_FIFO runs until it blocks, yields or is preempted. */
static void task_tick_rt(struct rq *rq, struct task_struct *p)
{
	update_curr_rt(rq);
	rt_period_refresh(rq, false);
	if (rt_runtime_exceeded(rq)) {
		resched_curr(rq);
		return;
	}
	if (p->policy != SCHED_RR)
		return;
	if (p->rt_time_slice > 1) {
		p->rt_time_slice--;
		return;
	}
	p->rt_time_slice = RR_TIMESLICE;
	/* Others of the same priority: p is not alone on its list. */
	if (p->rt_run_list.prev != p->rt_run_list.next) {
		requeue_task_rt(rq, p);
		resched_curr(rq);
	}
}

const struct sched_class rt_sched_class = {
	.next = &fair_sched_class,
	.enqueue_task = enqueue_task_rt,
	.dequeue_task = dequeue_task_rt,
	.yield_task = yield_task_rt,
	.check_preempt_curr = check_preempt_curr_rt,
	.pick_next_task = pick_next_task_rt,
	.put_prev_task = put_prev_task_rt,
	.set_next_task = set_next_task_rt,
	.task_tick = task_tick_rt,
	.update_curr = update_curr_rt,
};
