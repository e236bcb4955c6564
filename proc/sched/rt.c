/* The real-time scheduling class (Linux: kernel/sched/rt.c): SCHED_FIFO and
 * SCHED_RR tasks on 100 priority lists per hart, the highest priority (lowest
 * p->prio) first, RT throttling that keeps part of every period for CFS, and
 * balancing between harts: wake-up placement (select_task_rq_rt), push and
 * pull, so that no hart runs something of lower priority while an RT task
 * that may run there waits on another hart.
 *
 * Unlike CFS, the running RT task stays on its list: a task preempted by a
 * higher priority keeps its place at the head, as POSIX wants for FIFO.
 * Everything here runs under the rq's lock (rq->lock), as for every class;
 * balancing also reads other harts' queues without their locks, as hints
 * it checks again once it holds both. */
#include "proc/sched/sched.h"
#include "proc/sched/topology.h"
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
	rt->highest_prio = MAX_RT_PRIO_LISTS;
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

/* Harts with more than one runnable RT task (Linux: the root domain's
 * rto_mask), the ones a pull looks at. A hart changes its own bit, under
 * its rq->lock; pullers read the mask without locks and look again under
 * the source's lock. */
static unsigned long rt_overload_mask;

/* After the queue changed: the best priority queued (which other harts
 * read to place and push tasks) and whether the hart is overloaded. */
static void update_rt_state(struct rq *rq)
{
	struct rt_rq *rt = &rq->rt;
	bool over = rt->rt_nr_running > 1;

	WRITE_ONCE(rt->highest_prio, rt_first_prio(&rt->active));
	if (over == rt->overloaded)
		return;
	rt->overloaded = over;
	if (over)
		__atomic_fetch_or(&rt_overload_mask, 1UL << rq->cpu, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&rt_overload_mask, ~(1UL << rq->cpu), __ATOMIC_RELEASE);
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
	WRITE_ONCE(rt->rt_nr_running, rt->rt_nr_running + 1);
	update_rt_state(rq);
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
	WRITE_ONCE(rt->rt_nr_running, rt->rt_nr_running - 1);
	update_rt_state(rq);
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

/* ---- balancing between harts ---- */

/*
 * Where an RT task could run at once (Linux's cpupri): each hart's level is
 * the best RT priority queued there, else CPU_LEVEL_NORMAL (CFS runs), else
 * CPU_LEVEL_IDLE; a larger level is a lower priority. Linux files harts in
 * a mask per priority so that the search does not grow with the number of
 * harts. Vireo has at most NR_CPUS (32): reading rt.highest_prio of each
 * run queue in cpu order is a few dozen loads, and leaves nothing but that
 * one field to update on enqueue and dequeue.
 */
#define CPU_LEVEL_NORMAL MAX_PRIO
#define CPU_LEVEL_IDLE (MAX_PRIO + 1)
#define CPU_LEVEL_NONE (-1) /* offline, or RT throttled: no RT task runs there now */

static inline bool allowed(const struct task_struct *p, int cpu)
{
	return (p->cpus_mask >> cpu) & 1;
}

/* Read without the hart's lock: callers check again under it. */
static int cpu_level(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	if (!READ_ONCE(harts[cpu].online) || READ_ONCE(rq->rt.rt_throttled))
		return CPU_LEVEL_NONE;
	if (READ_ONCE(rq->rt.rt_nr_running))
		return READ_ONCE(rq->rt.highest_prio);
	if (READ_ONCE(rq->curr) == rq->idle && READ_ONCE(rq->nr_running) == 0)
		return CPU_LEVEL_IDLE;
	return CPU_LEVEL_NORMAL;
}

/* The best priority queued on rq (MAX_RT_PRIO_LISTS: no RT task). */
static inline int rt_best_prio(const struct rq *rq)
{
	return rq->rt.rt_nr_running ? rq->rt.highest_prio : MAX_RT_PRIO_LISTS;
}

/* The hart where p would run at once because it runs the lowest priority
 * of all the harts p may use (idle before CFS before the lowest RT); -1 if
 * each of them runs p's priority or better. Among equals (Linux's
 * find_lowest_rq): p's own hart, then this hart or else the first one in
 * the smallest domain around p's hart, then the first in cpu order. */
static int find_lowest_cpu(const struct task_struct *p)
{
	unsigned long lowest = 0;
	int best = p->prio;

	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (!allowed(p, cpu))
			continue;
		int level = cpu_level(cpu);
		if (level > best) {
			best = level;
			lowest = 1UL << cpu;
		} else if (level == best && best > p->prio) {
			lowest |= 1UL << cpu;
		}
	}
	if (!lowest)
		return -1;
	int prev = task_cpu(p), this_cpu = smp_processor_id();
	if (lowest & (1UL << prev))
		return prev;
	for (const struct sched_domain *sd = READ_ONCE(cpu_rq(prev)->sd); sd; sd = sd->parent) {
		unsigned long near = lowest & sd->span;
		if (near & (1UL << this_cpu))
			return this_cpu;
		if (near)
			return lowest_bit(near);
	}
	return lowest_bit(lowest);
}

/* Linux's select_task_rq_rt: a waking or new RT task stays on its hart
 * unless that hart runs (or is about to run) an RT task of its priority or
 * better, or is throttled; then it goes to the lowest-priority hart it may
 * use, if one runs something below it. (Linux also moves it off a hart
 * whose running RT task is pinned; Vireo reads no other hart's curr without
 * its lock.) */
static int select_task_rq_rt(struct task_struct *p, int prev_cpu, int wake_flags)
{
	if (!allowed(p, prev_cpu) || !READ_ONCE(harts[prev_cpu].online)) {
		int cpu = find_lowest_cpu(p);
		return cpu >= 0 ? cpu : select_task_rq_fair(p, prev_cpu, wake_flags);
	}
	int level = cpu_level(prev_cpu);
	if (level != CPU_LEVEL_NONE && level > p->prio)
		return prev_cpu; /* it runs at once where it was */
	int cpu = find_lowest_cpu(p);
	return cpu >= 0 ? cpu : prev_cpu;
}

/* The task rq runs next: the head of its best list (NULL: none). */
static struct task_struct *rt_next_task(struct rq *rq)
{
	int idx = rt_first_prio(&rq->rt.active);

	if (idx >= MAX_RT_PRIO_LISTS)
		return NULL;
	return list_first_entry(&rq->rt.active.queue[idx], struct task_struct, rt_run_list);
}

/* Take other's lock too, rq->lock being held: at once if that keeps the
 * address order of double_rq_lock, else by dropping rq->lock and taking
 * both in order (Linux's double_lock_balance). Anything read under rq->lock
 * alone must be checked again afterwards. */
static void double_lock_balance(struct rq *rq, struct rq *other)
{
	if (rq < other) {
		spin_lock(&other->lock);
		return;
	}
	spin_unlock(&rq->lock);
	double_rq_lock(rq, other);
}

/* May p leave rq now? Queued there, RT, neither running nor being
 * switched away from, and not the task rq runs next. */
static bool rt_waiting_on(struct rq *rq, struct task_struct *p)
{
	return p->on_rq && task_cpu(p) == rq->cpu && p->sched_class == &rt_sched_class &&
	       p != rq->curr && !p->on_cpu && p != rt_next_task(rq);
}

/* The best task waiting on rq that some hart running a lower priority
 * could take, and that hart in *cpu. */
static struct task_struct *pick_pushable_task(struct rq *rq, int *cpu)
{
	for (int prio = 0; prio < MAX_RT_PRIO_LISTS; prio++) {
		struct list_head *l;
		list_for_each(l, &rq->rt.active.queue[prio]) {
			struct task_struct *p = list_entry(l, struct task_struct, rt_run_list);
			if (!rt_waiting_on(rq, p))
				continue;
			*cpu = find_lowest_cpu(p);
			if (*cpu >= 0 && *cpu != rq->cpu)
				return p;
		}
	}
	return NULL;
}

/* Linux's push_rt_task: move one waiting task to a hart that runs
 * something of lower priority, where it preempts at once. True if one
 * moved. rq->lock held (dropped and retaken on the way). */
static bool push_rt_task(struct rq *rq)
{
	int cpu;
	struct task_struct *p = pick_pushable_task(rq, &cpu);

	if (!p)
		return false;
	struct rq *dst = cpu_rq(cpu);
	get_task_struct(p); /* it could run elsewhere and exit while rq->lock is dropped */
	double_lock_balance(rq, dst);
	bool ok = rt_waiting_on(rq, p) && allowed(p, cpu) && cpu_level(cpu) > p->prio;
	if (ok) {
		update_rq_clock(dst);
		move_queued_task(rq, dst, p); /* and dst's curr is told to reschedule */
	}
	spin_unlock(&dst->lock);
	put_task_struct(p);
	return ok;
}

static void push_rt_tasks(struct rq *rq)
{
	for (int n = 0; n < nr_cpus_possible && rq->rt.overloaded; n++)
		if (!push_rt_task(rq))
			break;
}

/* The task to pull from src to rq: the best one waiting there, allowed
 * on rq's hart and better than anything on rq; none if src is about to
 * run it itself (it beats src's running task) or src is throttled (its
 * running task is not RT). Both locks held. */
static struct task_struct *pick_pullable_task(struct rq *src, struct rq *rq)
{
	int mine = rt_best_prio(rq);

	if (src->rt.rt_nr_running < 2 || src->curr->sched_class != &rt_sched_class)
		return NULL;
	for (int prio = 0; prio < mine; prio++) {
		struct list_head *l;
		list_for_each(l, &src->rt.active.queue[prio]) {
			struct task_struct *p = list_entry(l, struct task_struct, rt_run_list);
			if (p == src->curr || p->on_cpu || !allowed(p, rq->cpu))
				continue;
			return p->prio < src->curr->prio ? NULL : p;
		}
	}
	return NULL;
}

/* Linux's pull_rt_task: rq's hart is about to run something of lower
 * priority than before; take from the overloaded harts, in cpu order,
 * the RT tasks waiting there that beat what rq has. rq->lock held
 * (dropped and retaken on the way). */
static void pull_rt_task(struct rq *rq)
{
	unsigned long mask = READ_ONCE(rt_overload_mask) & ~(1UL << rq->cpu);

	while (mask) {
		int cpu = lowest_bit(mask);
		struct rq *src = cpu_rq(cpu);

		mask &= mask - 1;
		if (READ_ONCE(src->rt.highest_prio) >= rt_best_prio(rq))
			continue; /* nothing there beats what we have */
		double_lock_balance(rq, src);
		struct task_struct *p = pick_pullable_task(src, rq);
		if (p) {
			update_rq_clock(src);
			move_queued_task(src, rq, p);
		}
		spin_unlock(&src->lock);
	}
}

/* prev, RT, is preempted here: once it is switched out, push it to a hart
 * running something lower if there is one. The active-balance slot that
 * finish_task_switch serves (rq->push_task) does the move; Linux queues
 * push_rt_tasks as a balance callback to the same end. */
static void push_prev_after_switch(struct rq *rq, struct task_struct *prev)
{
	if (rq->push_task || prev->sched_class != &rt_sched_class || !prev->on_rq ||
	    prev == rt_next_task(rq))
		return;
	int cpu = find_lowest_cpu(prev);
	if (cpu < 0 || cpu == rq->cpu)
		return;
	rq->push_task = prev;
	rq->push_cpu = cpu;
	rq->push_dequeued = false;
}

void balance_rt(struct rq *rq, struct task_struct *prev)
{
	struct rt_rq *rt = &rq->rt;
	bool pull = rt->pull_pending;

	rt->pull_pending = false;
	if (rt->rt_throttled)
		return; /* its RT tasks wait for the next period anyway */
	/* Linux's need_pull_rt_task: prev ran as RT and what is left here
	 * is below it (it went to sleep, or a better task left). */
	if (prev->sched_class == &rt_sched_class && rt_best_prio(rq) > prev->prio)
		pull = true;
	if (pull && (READ_ONCE(rt_overload_mask) & ~(1UL << rq->cpu)))
		pull_rt_task(rq);
	if (rt->overloaded) {
		push_rt_tasks(rq);
		push_prev_after_switch(rq, prev);
	}
}

void rt_queue_pull(struct rq *rq)
{
	rq->rt.pull_pending = true;
}

/* A woken or newly RT task preempts a running RT task of lower priority;
 * one of equal priority waits its turn. (Another class below RT is
 * preempted by the core's check_preempt_curr.) A task that waits while a
 * hart running something lower could take it is pushed there by this
 * hart's schedule() (balance_rt), asked for here: Linux's task_woken_rt
 * pushes from the waker, which would drop the rq->lock our caller holds. */
static void check_preempt_curr_rt(struct rq *rq, struct task_struct *p, int flags)
{
	(void)flags;
	if (p->prio < rq->curr->prio || find_lowest_cpu(p) >= 0)
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
	.select_task_rq = select_task_rq_rt,
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
