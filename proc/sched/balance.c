/* CFS load balancing over the scheduling domains (Linux: the balancing half
 * of kernel/sched/fair.c). scheduler_tick → trigger_load_balance →
 * rebalance_domains (bottom-up, each level at its own interval) →
 * load_balance: find_busiest_group, find_busiest_queue, detach_tasks and
 * attach_tasks; active balancing pushes a running task when nothing queued
 * can move; a hart running out of work pulls at once (newidle_balance);
 * an idle hart has no tick, so a busy one kicks it (nohz idle balance).
 * select_task_rq_fair places woken and forked tasks. */
#include "proc/sched/sched.h"
#include "proc/sched/topology.h"
#include "proc/sched/fair_math.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/csr.h"
#include "kernel/printk.h"
#include "kernel/fdt.h"

#define MIGRATION_COST_NS 500000ULL /* sysctl_sched_migration_cost: cache-hot below this */
#define NSEC_PER_MSEC 1000000ULL

enum cpu_idle_type { CPU_IDLE, CPU_NOT_IDLE, CPU_NEWLY_IDLE };

static bool nohz_kick[NR_CPUS]; /* an idle hart should balance when it wakes */

static inline bool cpu_in(u64 mask, int cpu) { return (mask >> cpu) & 1; }
static inline bool allowed(const struct task_struct *p, int cpu) { return (p->cpus_mask >> cpu) & 1; }

static bool cpu_idle_now(int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	return harts[cpu].online && READ_ONCE(rq->curr) == rq->idle && READ_ONCE(rq->nr_running) == 0;
}

/* ---- placement ---- */

/* The first idle allowed hart of mask, preferring `first`; -1 if none. */
static int idle_cpu_in(const struct task_struct *p, u64 mask, int first)
{
	if (cpu_in(mask, first) && allowed(p, first) && cpu_idle_now(first))
		return first;
	for (int cpu = 0; cpu < nr_cpus_possible; cpu++)
		if (cpu_in(mask, cpu) && allowed(p, cpu) && cpu_idle_now(cpu))
			return cpu;
	return -1;
}

static int least_loaded(const struct task_struct *p, u64 mask, int fallback)
{
	int best = -1;
	unsigned int best_nr = ~0U;

	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (!cpu_in(mask, cpu) || !allowed(p, cpu) || !harts[cpu].online)
			continue;
		unsigned int nr = READ_ONCE(cpu_rq(cpu)->nr_running);
		if (nr < best_nr)
			best_nr = nr, best = cpu;
	}
	return best >= 0 ? best : fallback;
}

static u64 all_cpus(void)
{
	return nr_cpus_possible >= 64 ? ~0ULL : (1ULL << nr_cpus_possible) - 1;
}

/* Wake-ups stay on the previous hart when it is idle, else go to an idle
 * hart sharing its last-level cache (the MC domain), else stay. Forks
 * look for an idle hart bottom-up, level by level (so work spreads inside
 * a socket before crossing to another), else the least loaded hart. */
int select_task_rq_fair(struct task_struct *p, int prev_cpu, int wake_flags)
{
	struct sched_domain *sd = cpu_rq(prev_cpu)->sd;
	int cpu;

	if (!allowed(p, prev_cpu) || !harts[prev_cpu].online)
		return least_loaded(p, all_cpus(), prev_cpu);
	if (wake_flags & WF_FORK) {
		if (cpu_idle_now(prev_cpu) && cpu_rq(prev_cpu)->nr_running == 0)
			return prev_cpu;
		for (; sd; sd = sd->parent)
			if ((cpu = idle_cpu_in(p, sd->span, prev_cpu)) >= 0)
				return cpu;
		return least_loaded(p, all_cpus(), prev_cpu);
	}
	if (cpu_idle_now(prev_cpu))
		return prev_cpu;
	for (; sd && (sd->flags & SD_SHARE_PKG_RESOURCES); sd = sd->parent)
		if ((cpu = idle_cpu_in(p, sd->span, prev_cpu)) >= 0)
			return cpu;
	return prev_cpu;
}

/* ---- statistics ---- */

/* struct sg_lb_stats: fair_math.h. */

static unsigned long cpu_load(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->cfs.load.weight);
}

static void update_sg_lb_stats(struct sched_group *sg, struct sg_lb_stats *s)
{
	*s = (struct sg_lb_stats){ 0 };
	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (!cpu_in(sg->span, cpu))
			continue;
		s->weight++;
		s->load += cpu_load(cpu);
		s->nr_running += READ_ONCE(cpu_rq(cpu)->nr_running);
		if (cpu_idle_now(cpu))
			s->idle_cpus++;
	}
	s->capacity = sg->sgc ? sg->sgc->capacity : s->weight * SCHED_CAPACITY_SCALE;
}

struct lb_env {
	struct sched_domain *sd;
	int dst_cpu;
	struct rq *dst_rq;
	int src_cpu;
	struct rq *src_rq;
	enum cpu_idle_type idle;
	unsigned int nr_to_move;  /* tasks to pull */
};

/* The busiest group of the domain, or NULL if it is balanced enough: the
 * groups' statistics, in list order, go to find_busiest_group_idx
 * (fair_math.c), which decides and sets env->nr_to_move. */
static struct sched_group *find_busiest_group(struct lb_env *env)
{
	/* At most one group per hart (a slot is kept for the local one):
	 * 32 x 40 bytes of stack. */
	struct sg_lb_stats stats[NR_CPUS_TOPO];
	struct sched_group *group[NR_CPUS_TOPO];
	struct sched_group *sg = env->sd->groups;
	int n = 0, local = -1, idx;

	do {
		if (cpu_in(sg->span, env->dst_cpu)) {
			/* The last group holding dst_cpu is the local one (an
			 * earlier one is not a candidate for busiest either). */
			if (local < 0)
				local = n++;
			group[local] = sg;
			update_sg_lb_stats(sg, &stats[local]);
		} else if (n < NR_CPUS_TOPO - (local < 0)) {
			group[n] = sg;
			update_sg_lb_stats(sg, &stats[n++]);
		}
		sg = sg->next;
	} while (sg != env->sd->groups);
	unsigned int imb_numa = env->sd->flags & SD_NUMA ? env->sd->imb_numa_nr : 0;
	idx = find_busiest_group_idx(stats, n, local, env->sd->imbalance_pct, imb_numa,
				     &env->nr_to_move);
	return idx < 0 ? NULL : group[idx];
}

static int find_busiest_queue(struct lb_env *env, struct sched_group *sg)
{
	int busiest = -1;
	unsigned int max = 1;

	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (!cpu_in(sg->span, cpu) || cpu == env->dst_cpu)
			continue;
		unsigned int nr = READ_ONCE(cpu_rq(cpu)->cfs.nr_running);
		if (nr > max || (busiest >= 0 && nr == max && cpu_load(cpu) > cpu_load(busiest))) {
			max = nr;
			busiest = cpu;
		}
	}
	if (busiest < 0) { /* one task each: take a hart's only task if we are idle */
		for (int cpu = 0; cpu < nr_cpus_possible && env->idle != CPU_NOT_IDLE; cpu++)
			if (cpu_in(sg->span, cpu) && cpu != env->dst_cpu && cpu_rq(cpu)->cfs.nr_running >= 1 &&
			    cpu_rq(cpu)->nr_running >= 1 && !cpu_idle_now(cpu))
				return cpu;
	}
	return busiest;
}

/* Can p move from src to dst now? Not running, allowed, not cache-hot
 * (unless balancing has failed for a while). */
static bool can_migrate_task(struct task_struct *p, struct lb_env *env)
{
	if (!allowed(p, env->dst_cpu) || p == env->src_rq->curr || p->on_cpu)
		return false;
	if (p->sched_class != &fair_sched_class)
		return false;
	bool hot = env->src_rq->clock - p->se.exec_start < MIGRATION_COST_NS;
	return !hot || env->sd->nr_balance_failed > env->sd->cache_nice_tries;
}

/* detach_tasks + attach_tasks: move up to nr_to_move queued tasks. Both
 * run queues are locked (in address order). */
static int move_tasks(struct lb_env *env)
{
	struct cfs_rq *cfs = &env->src_rq->cfs;
	int moved = 0;

	for (struct rb_node *n = rb_last(&cfs->tasks_timeline); n && moved < (int)env->nr_to_move;) {
		struct rb_node *prev = rb_prev(n);
		struct task_struct *p = container_of(rb_entry(n, struct sched_entity, run_node),
						     struct task_struct, se);
		if (can_migrate_task(p, env)) {
			move_queued_task(env->src_rq, env->dst_rq, p);
			moved++;
		}
		n = prev;
	}
	return moved;
}

/* Ask the busy hart to push its running task to us after its next switch. */
static void start_active_balance(struct lb_env *env)
{
	struct rq *src = env->src_rq;
	struct task_struct *curr = src->curr;

	if (curr == src->idle || !allowed(curr, env->dst_cpu) || curr->sched_class != &fair_sched_class)
		return;
	src->push_task = curr;
	src->push_cpu = env->dst_cpu;
	resched_curr(src);
}

static int load_balance(int this_cpu, struct rq *this_rq, struct sched_domain *sd,
			enum cpu_idle_type idle)
{
	struct lb_env env = { .sd = sd, .dst_cpu = this_cpu, .dst_rq = this_rq, .idle = idle };
	struct sched_group *busiest = find_busiest_group(&env);
	int moved = 0;

	this_rq->nr_load_balance++;
	if (!busiest)
		goto balanced;
	env.src_cpu = find_busiest_queue(&env, busiest);
	if (env.src_cpu < 0)
		goto balanced;
	env.src_rq = cpu_rq(env.src_cpu);
	unsigned long f = local_irq_save();
	double_rq_lock(this_rq, env.src_rq);
	update_rq_clock(env.src_rq);
	update_rq_clock(this_rq);
	moved = move_tasks(&env);
	if (!moved && ++sd->nr_balance_failed > sd->cache_nice_tries + 2 &&
	    env.src_rq->cfs.nr_running == 1) {
		start_active_balance(&env);
		sd->nr_balance_failed = sd->cache_nice_tries + 1;
	}
	double_rq_unlock(this_rq, env.src_rq);
	local_irq_restore(f);
	if (moved) {
		sd->nr_balance_failed = 0;
		sd->balance_interval = sd->min_interval;
		return moved;
	}
	return 0;
balanced:
	sd->nr_balance_failed = 0;
	if (sd->balance_interval < sd->max_interval)
		sd->balance_interval *= 2; /* balanced: look less often */
	return 0;
}

/* Bottom-up over this hart's domains, each when its interval is due. */
static void rebalance_domains(struct rq *rq, enum cpu_idle_type idle)
{
	u64 now_ms = ktime_get_ns() / NSEC_PER_MSEC;
	unsigned long next = ~0UL;

	for (struct sched_domain *sd = rq->sd; sd; sd = sd->parent) {
		unsigned long interval = sd->balance_interval * (idle == CPU_IDLE ? 1 : sd->busy_factor);
		if (now_ms >= sd->last_balance + interval) {
			if (load_balance(rq->cpu, rq, sd, idle))
				idle = CPU_NOT_IDLE; /* we have work now: higher levels as a busy hart */
			sd->last_balance = now_ms;
		}
		next = MIN(next, sd->last_balance + interval);
	}
	rq->next_balance = next;
}

/* From scheduler_tick (timer interrupt, rq unlocked): balance if due, and
 * kick an idle hart (which has no tick) when this one is overloaded. */
void trigger_load_balance(struct rq *rq)
{
	u64 now_ms = ktime_get_ns() / NSEC_PER_MSEC;

	if (!rq->sd)
		return;
	if (now_ms >= rq->next_balance)
		rebalance_domains(rq, CPU_NOT_IDLE);
	if (READ_ONCE(rq->nr_running) >= 2) {
		for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
			if (cpu != rq->cpu && cpu_idle_now(cpu) && !READ_ONCE(nohz_kick[cpu])) {
				WRITE_ONCE(nohz_kick[cpu], true);
				sbi_send_ipi(1UL << harts[cpu].hartid, 0);
				break;
			}
		}
	}
}

/* In the idle loop after a wake-up: balance if a busy hart asked us to. */
void nohz_balance_check(struct rq *rq)
{
	if (!READ_ONCE(nohz_kick[rq->cpu]))
		return;
	WRITE_ONCE(nohz_kick[rq->cpu], false);
	for (struct sched_domain *sd = rq->sd; sd; sd = sd->parent)
		if (load_balance(rq->cpu, rq, sd, CPU_IDLE))
			break;
}

/* schedule() found nothing to run: pull from the closest busy hart at once.
 * Called with rq->lock held and interrupts off; drops and retakes it. */
int newidle_balance(struct rq *rq)
{
	int pulled = 0;

	if (!rq->sd)
		return 0;
	spin_unlock(&rq->lock);
	for (struct sched_domain *sd = rq->sd; sd && !pulled; sd = sd->parent)
		if (sd->flags & SD_BALANCE_NEWIDLE)
			pulled = load_balance(rq->cpu, rq, sd, CPU_NEWLY_IDLE);
	spin_lock(&rq->lock);
	return pulled;
}

/* After the switch away from prev on rq: if the balancer asked for prev to
 * be pushed (active balance), move it now that it no longer runs. */
void active_balance_after_switch(struct rq *rq, struct task_struct *prev)
{
	if (READ_ONCE(rq->push_task) != prev)
		return;
	struct rq *dst = cpu_rq(rq->push_cpu);
	unsigned long f = local_irq_save();
	double_rq_lock(rq, dst);
	update_rq_clock(dst);
	if (rq->push_dequeued) {
		/* schedule() took it off this queue: its hart is not allowed. */
		prev->se.vruntime = prev->se.vruntime - rq->cfs.min_vruntime + dst->cfs.min_vruntime;
		prev->thread_info.cpu = dst->cpu;
		prev->se.nr_migrations++;
		activate_task(dst, prev, 0);
		check_preempt_curr(dst, prev, 0);
	} else if (prev->on_rq && rq->curr != prev && !prev->on_cpu && allowed(prev, dst->cpu) &&
		   task_cpu(prev) == rq->cpu) {
		move_queued_task(rq, dst, prev);
	}
	rq->push_task = NULL;
	rq->push_dequeued = false;
	double_rq_unlock(rq, dst);
	local_irq_restore(f);
}

/* schedule(): the running task may not stay on this hart any more
 * (sched_setaffinity): take it off the queue; after the switch it goes to
 * an allowed hart. rq->lock held. */
void migrate_disallowed_prev(struct rq *rq, struct task_struct *prev)
{
	if (prev == rq->idle || !prev->on_rq || allowed(prev, rq->cpu))
		return;
	int dst = least_loaded(prev, all_cpus(), -1);
	if (dst < 0)
		return;
	deactivate_task(rq, prev, 0);
	rq->push_task = prev;
	rq->push_cpu = dst;
	rq->push_dequeued = true;
}

/* ---- building the domains at boot ---- */

static struct sd_pool sd_pool; /* the domains and groups live here */

static void print_line(const char *text, void *arg)
{
	(void)arg;
	pr_info("%s\n", text);
}

/* After the harts are up: build each hart's domain tree from the FDT
 * topology and attach it to its run queue. */
static struct cpu_topology topo; /* the hart topology the domains were built from */

/* NUMA node of a hart (getcpu), 0 when the FDT gives none. */
int cpu_to_node(int cpu)
{
	return cpu >= 0 && cpu < topo.ncpus && topo.cpu[cpu].node >= 0 ? topo.cpu[cpu].node : 0;
}

void sched_init_domains(const struct fdt_info *fdt)
{
	static struct sched_domain *base[NR_CPUS_TOPO];
	unsigned long hartid[NR_CPUS] = { 0 };
	int n = MIN(nr_cpus_possible, NR_CPUS_TOPO);

	for (int cpu = 0; cpu < n; cpu++)
		hartid[cpu] = harts[cpu].hartid;
	topology_from_fdt(fdt, hartid, n, &topo);
	int err = build_sched_domains(&topo, base, &sd_pool);
	if (err)
		pr_err("sched: building scheduling domains failed (error %d)\n", err);
	for (int cpu = 0; cpu < n; cpu++) {
		struct rq *rq = cpu_rq(cpu);
		for (struct sched_domain *sd = base[cpu]; sd; sd = sd->parent)
			sd->balance_interval = sd->min_interval;
		__atomic_store_n(&rq->sd, err ? NULL : base[cpu], __ATOMIC_RELEASE);
		sched_domain_debug_lines(rq->sd, cpu, print_line, NULL);
	}
}
