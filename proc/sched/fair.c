/* The completely fair scheduling class (Linux 6.1's CFS, before EEVDF):
 * runnable entities in a red-black tree by vruntime, the leftmost runs
 * next; vruntime advances by delta_exec * NICE_0_LOAD / weight, so a
 * heavier (lower nice) task's virtual clock runs slower. */
#include "proc/sched/sched.h"
#include "arch/riscv/csr.h"
#include "proc/sched/fair_math.h"
#include "kernel/printk.h"

/* sched_latency 6 ms x (1 + log2 ncpus), min granularity 0.75 ms x the
 * same factor, wakeup granularity 1 ms x it (Linux's SCHED_TUNABLESCALING_LOG). */
unsigned int sysctl_sched_latency = 6000000;
unsigned int sysctl_sched_min_granularity = 750000;
unsigned int sysctl_sched_wakeup_granularity = 1000000;
static const unsigned int sched_nr_latency = 8;

/* Linux's nice levels map to weights by sched_prio_to_weight (fair_math.c). */
void set_load_weight(struct task_struct *p)
{
	nice_to_load(p->static_prio - MAX_RT_PRIO - 20, &p->se.load);
}

static inline struct task_struct *task_of(struct sched_entity *se)
{
	return container_of(se, struct task_struct, se);
}

static inline bool entity_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return (s64)(a->vruntime - b->vruntime) < 0;
}

static void update_min_vruntime(struct cfs_rq *cfs)
{
	struct sched_entity *curr = cfs->curr;
	u64 vr = cfs->min_vruntime;

	if (curr && curr->on_rq)
		vr = curr->vruntime;
	if (cfs->leftmost) {
		struct sched_entity *se = rb_entry(cfs->leftmost, struct sched_entity, run_node);
		if (!(curr && curr->on_rq) || entity_before(se, curr))
			vr = se->vruntime;
	}
	if ((s64)(vr - cfs->min_vruntime) > 0) /* it only moves forward */
		cfs->min_vruntime = vr;
}

static void __enqueue_entity(struct cfs_rq *cfs, struct sched_entity *se)
{
	struct rb_node **link = &cfs->tasks_timeline.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (entity_before(se, rb_entry(parent, struct sched_entity, run_node))) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&se->run_node, parent, link);
	rb_insert_color(&se->run_node, &cfs->tasks_timeline);
	if (leftmost)
		cfs->leftmost = &se->run_node;
}

static void __dequeue_entity(struct cfs_rq *cfs, struct sched_entity *se)
{
	if (cfs->leftmost == &se->run_node)
		cfs->leftmost = rb_next(&se->run_node);
	rb_erase(&se->run_node, &cfs->tasks_timeline);
	RB_CLEAR_NODE(&se->run_node);
}

/* The running entity's share of a latency period, by weight. */
static u64 sched_slice(struct cfs_rq *cfs, struct sched_entity *se)
{
	return sched_slice_ns(cfs->nr_running, cfs->load.weight, se->load.weight,
			      sysctl_sched_latency, sysctl_sched_min_granularity, sched_nr_latency);
}

static void update_load_avg(struct cfs_rq *cfs, struct sched_entity *se, u64 now, bool running);

static void update_curr(struct rq *rq)
{
	struct cfs_rq *cfs = &rq->cfs;
	struct sched_entity *curr = cfs->curr;

	if (!curr)
		return;
	u64 now = rq->clock;
	s64 delta = (s64)(now - curr->exec_start);
	if (delta <= 0)
		return;
	curr->exec_start = now;
	curr->sum_exec_runtime += (u64)delta;
	curr->vruntime += calc_delta_fair((u64)delta, &curr->load);
	update_min_vruntime(cfs);
	update_load_avg(cfs, curr, now, true);
}

/* PELT: advance the entity's and the queue's averages to now. */
static void update_load_avg(struct cfs_rq *cfs, struct sched_entity *se, u64 now, bool running)
{
	update_load_avg_se(se, now, se->on_rq, running);
	update_sched_avg(&cfs->avg, now, cfs->load.weight, cfs->nr_running, cfs->curr != NULL);
}

/* Where an entity joins: new tasks one slice after min_vruntime (they
 * cannot jump the queue: START_DEBIT); sleepers at most half a latency
 * period before it (they get some credit, not unbounded). */
static void place_entity(struct cfs_rq *cfs, struct sched_entity *se, bool initial)
{
	u64 slice = initial ? sched_slice(cfs, se) : 0;

	se->vruntime = place_vruntime(cfs->min_vruntime, se->vruntime, slice, initial,
				      sysctl_sched_latency);
}

static void enqueue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	struct cfs_rq *cfs = &rq->cfs;
	struct sched_entity *se = &p->se;

	update_curr(rq);
	if (!se->last_update_time)
		se->last_update_time = rq->clock; /* new task: PELT starts now */
	update_load_avg(cfs, se, rq->clock, false); /* decays over the sleep */
	if (flags & ENQUEUE_WAKEUP)
		place_entity(cfs, se, false);
	cfs->load.weight += se->load.weight;
	cfs->nr_running++;
	se->on_rq = 1;
	se->wait_start = rq->clock;
	if (se != cfs->curr)
		__enqueue_entity(cfs, se);
}

static void dequeue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	struct cfs_rq *cfs = &rq->cfs;
	struct sched_entity *se = &p->se;

	(void)flags;
	update_curr(rq);
	update_load_avg(cfs, se, rq->clock, se == cfs->curr);
	if (se != cfs->curr)
		__dequeue_entity(cfs, se);
	if (cfs->skip == se)
		cfs->skip = NULL;
	se->on_rq = 0;
	cfs->load.weight -= se->load.weight;
	cfs->nr_running--;
	update_min_vruntime(cfs);
}

static void yield_task_fair(struct rq *rq)
{
	if (rq->cfs.nr_running > 1)
		rq->cfs.skip = &rq->curr->se;
}

/* A woken task preempts if its vruntime is behind the current one's by
 * more than the wakeup granularity (scaled to the current's weight). */
static void check_preempt_wakeup(struct rq *rq, struct task_struct *p, int flags)
{
	struct task_struct *curr = rq->curr;

	if (curr == rq->idle) {
		resched_curr(rq);
		return;
	}
	if (curr->sched_class != &fair_sched_class || (flags & WF_FORK))
		return;
	update_curr(rq);
	s64 vdiff = (s64)(curr->se.vruntime - p->se.vruntime);
	if (vdiff > (s64)calc_delta_fair(sysctl_sched_wakeup_granularity, &p->se.load))
		resched_curr(rq);
}

static void set_next_entity(struct cfs_rq *cfs, struct sched_entity *se, u64 now)
{
	if (se->on_rq) {
		update_load_avg(cfs, se, now, false); /* it waited until now */
		__dequeue_entity(cfs, se);
		se->wait_sum += now - se->wait_start;
	}
	se->exec_start = now;
	se->prev_sum_exec_runtime = se->sum_exec_runtime;
	cfs->curr = se;
}

static struct task_struct *pick_next_task_fair(struct rq *rq)
{
	struct cfs_rq *cfs = &rq->cfs;

	if (!cfs->leftmost)
		return NULL;
	struct sched_entity *se = rb_entry(cfs->leftmost, struct sched_entity, run_node);
	if (se == cfs->skip) { /* yield: take the next one if there is one */
		struct rb_node *n = rb_next(cfs->leftmost);
		if (n)
			se = rb_entry(n, struct sched_entity, run_node);
		cfs->skip = NULL;
	}
	set_next_entity(cfs, se, rq->clock);
	return task_of(se);
}

static void put_prev_task_fair(struct rq *rq, struct task_struct *p)
{
	struct cfs_rq *cfs = &rq->cfs;
	struct sched_entity *se = &p->se;

	if (cfs->curr != se)
		return;
	update_curr(rq);
	if (se->on_rq) {
		__enqueue_entity(cfs, se);
		se->wait_start = rq->clock;
	}
	cfs->curr = NULL;
}

static void set_next_task_fair(struct rq *rq, struct task_struct *p)
{
	set_next_entity(&rq->cfs, &p->se, rq->clock);
}

/* The tick: preempt the current task if it has had its slice, or if it
 * is ahead of the leftmost by more than a slice. */
static void task_tick_fair(struct rq *rq, struct task_struct *curr)
{
	struct cfs_rq *cfs = &rq->cfs;
	struct sched_entity *se = &curr->se;

	update_curr(rq);
	if (cfs->nr_running < 2)
		return;
	u64 ideal = sched_slice(cfs, se);
	u64 ran = se->sum_exec_runtime - se->prev_sum_exec_runtime;
	if (ran > ideal) {
		resched_curr(rq);
		return;
	}
	if (ran < sysctl_sched_min_granularity || !cfs->leftmost)
		return;
	struct sched_entity *first = rb_entry(cfs->leftmost, struct sched_entity, run_node);
	if ((s64)(se->vruntime - first->vruntime) > (s64)ideal)
		resched_curr(rq);
}

/* A forked child starts from its parent's vruntime, placed one slice on
 * (sched_child_runs_first is off); kept relative until it is queued. */
static void task_fork_fair(struct task_struct *p)
{
	/* Interrupts off before picking the queue: current's vruntime is
	 * relative to the queue it runs on, so p's is made relative to that
	 * same one, and p is put there (wake_up_new_task converts from
	 * task_cpu(p)'s queue). The parent may have been preempted and moved
	 * since sched_fork read its hart. */
	unsigned long f = local_irq_save();
	struct rq *rq = this_rq();

	spin_lock(&rq->lock);
	p->thread_info.cpu = rq->cpu;
	update_rq_clock(rq);
	update_curr(rq);
	p->se.vruntime = current->se.vruntime;
	place_entity(&rq->cfs, &p->se, true);
	if ((s64)(current->se.vruntime - p->se.vruntime) > 0)
		p->se.vruntime = current->se.vruntime;
	spin_unlock(&rq->lock);
	local_irq_restore(f);
}

const struct sched_class fair_sched_class = {
	.next = &idle_sched_class,
	.enqueue_task = enqueue_task_fair,
	.dequeue_task = dequeue_task_fair,
	.yield_task = yield_task_fair,
	.check_preempt_curr = check_preempt_wakeup,
	.pick_next_task = pick_next_task_fair,
	.put_prev_task = put_prev_task_fair,
	.set_next_task = set_next_task_fair,
	.task_tick = task_tick_fair,
	.task_fork = task_fork_fair,
	.update_curr = update_curr,
};
