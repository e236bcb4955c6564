/* The idle class: each hart's idle task, picked when nothing else can
 * run. It is never queued; it is simply there (Linux: kernel/sched/idle.c). */
#include "proc/sched/sched.h"

static void enqueue_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq, (void)p, (void)flags;
}

static void check_preempt_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)p, (void)flags;
	resched_curr(rq);
}

static struct task_struct *pick_next_idle(struct rq *rq)
{
	return rq->idle;
}

static void put_prev_idle(struct rq *rq, struct task_struct *p)
{
	(void)rq, (void)p;
}

static void tick_idle(struct rq *rq, struct task_struct *p)
{
	(void)rq, (void)p;
}

static void yield_idle(struct rq *rq)
{
	(void)rq;
}

const struct sched_class idle_sched_class = {
	.next = NULL,
	.enqueue_task = enqueue_idle,
	.dequeue_task = enqueue_idle,
	.yield_task = yield_idle,
	.check_preempt_curr = check_preempt_idle,
	.pick_next_task = pick_next_idle,
	.put_prev_task = put_prev_idle,
	.set_next_task = put_prev_idle,
	.task_tick = tick_idle,
};
