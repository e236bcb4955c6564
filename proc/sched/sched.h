/* Scheduler internals (Linux: kernel/sched/sched.h): the per-hart run
 * queue, the CFS run queue, and the scheduling-class interface. */
#ifndef PROC_SCHED_SCHED_H
#define PROC_SCHED_SCHED_H
#include "proc/sched.h"
#include "mm/rbtree.h"
#include "proc/sched/pelt.h"

#define NICE_0_LOAD 1024UL

struct cfs_rq {
	struct load_weight load;    /* sum of queued entities' weights (incl. curr) */
	unsigned int nr_running;
	u64 min_vruntime;           /* monotonic floor for placing entities */
	struct rb_root tasks_timeline; /* queued entities by vruntime (curr is not in it) */
	struct rb_node *leftmost;   /* cached first node */
	struct sched_entity *curr;  /* the running entity, if it is ours */
	struct sched_entity *skip;  /* yield: pass over this one once */
	struct sched_avg avg;       /* PELT of the whole queue (load, runnable, util) */
};

/* Real-time run queue (proc/sched/rt.c): one FIFO list per priority and a
 * bitmap of the non-empty ones. */
#define MAX_RT_PRIO_LISTS 100
struct rt_prio_array {
	unsigned long bitmap[2];    /* bit p set: queue[p] is not empty */
	struct list_head queue[MAX_RT_PRIO_LISTS];
};

struct rt_rq {
	struct rt_prio_array active;
	unsigned int rt_nr_running;
	int highest_prio;           /* best p->prio queued (valid while rt_nr_running);
				     * other harts read it without the lock */
	bool overloaded;            /* more than one runnable: in rt_overload_mask */
	bool pull_pending;          /* a task here lost RT priority: pull at the next schedule() */
	u64 rt_time;                /* RT run time in the current period (throttling) */
	u64 rt_period_start;
	bool rt_throttled;
};

struct sched_domain;

struct rq {
	spinlock_t lock;            /* protects all of this rq and its tasks' on_rq state */
	int cpu;
	unsigned int nr_running;
	u64 clock;                  /* ns, updated under the lock */
	struct task_struct *curr, *idle;
	struct cfs_rq cfs;
	struct rt_rq rt;
	u64 nr_switches;
	bool tick_stopped;          /* idle: no periodic tick armed */
	/* load balancing (proc/sched/fair.c, topology.c) */
	struct sched_domain *sd;    /* this hart's lowest domain */
	unsigned long next_balance; /* ns */
	unsigned long cpu_capacity; /* SCHED_CAPACITY_SCALE for every hart here */
	struct task_struct *push_task; /* active balance: move this task after it switches out */
	int push_cpu;
	bool push_dequeued;         /* push_task was taken off this queue (not allowed here) */
	u64 nr_load_balance, nr_migrations_in; /* counters (/proc/schedstat) */
};

/* enqueue/dequeue flags */
#define ENQUEUE_WAKEUP 0x01
#define ENQUEUE_NEW 0x02
#define DEQUEUE_SLEEP 0x01
#define WF_FORK 0x02

struct sched_class {
	const struct sched_class *next; /* next lower-priority class */
	/* The hart a waking or forked task is queued on (NULL:
	 * select_task_rq_fair). */
	int (*select_task_rq)(struct task_struct *p, int prev_cpu, int wake_flags);
	void (*enqueue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*dequeue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*yield_task)(struct rq *rq);
	void (*check_preempt_curr)(struct rq *rq, struct task_struct *p, int flags);
	struct task_struct *(*pick_next_task)(struct rq *rq);
	void (*put_prev_task)(struct rq *rq, struct task_struct *p);
	void (*set_next_task)(struct rq *rq, struct task_struct *p);
	void (*task_tick)(struct rq *rq, struct task_struct *p);
	void (*task_fork)(struct task_struct *p);
	void (*task_dead)(struct task_struct *p);
	void (*update_curr)(struct rq *rq);
};

extern const struct sched_class rt_sched_class;
extern const struct sched_class fair_sched_class;
extern const struct sched_class idle_sched_class;
extern struct rq runqueues[NR_CPUS];

static inline struct rq *cpu_rq(int cpu) { return &runqueues[cpu]; }
static inline struct rq *this_rq(void) { return cpu_rq(smp_processor_id()); }
static inline int task_cpu(const struct task_struct *p) { return p->thread_info.cpu; }

void update_rq_clock(struct rq *rq);
void resched_curr(struct rq *rq);
struct rq *task_rq_lock(struct task_struct *t, unsigned long *flags);
static inline void task_rq_unlock(struct rq *rq, unsigned long flags)
{
	spin_unlock_irqrestore(&rq->lock, flags);
}
/* Queue/unqueue p on rq (rq->lock held); keep nr_running right. */
void activate_task(struct rq *rq, struct task_struct *p, int flags);
void deactivate_task(struct rq *rq, struct task_struct *p, int flags);
void check_preempt_curr(struct rq *rq, struct task_struct *p, int flags);
/* Move a queued, not running p from its rq to dst (both locked). */
void move_queued_task(struct rq *src, struct rq *dst, struct task_struct *p);
/* Lock two run queues in address order (no deadlock between harts). */
void double_rq_lock(struct rq *a, struct rq *b);
void double_rq_unlock(struct rq *a, struct rq *b);
/* proc/sched/balance.c */
int select_task_rq_fair(struct task_struct *p, int prev_cpu, int wake_flags);
void trigger_load_balance(struct rq *rq);
int newidle_balance(struct rq *rq);
void nohz_balance_check(struct rq *rq); /* an idle hart that was kicked */
void active_balance_after_switch(struct rq *rq, struct task_struct *prev);
void migrate_disallowed_prev(struct rq *rq, struct task_struct *prev);
struct fdt_info;
void sched_init_domains(const struct fdt_info *fdt);

/* Where to queue p when it wakes (wake_flags 0) or is new (WF_FORK). */
static inline int select_task_rq(struct task_struct *p, int prev_cpu, int wake_flags)
{
	if (p->sched_class->select_task_rq)
		return p->sched_class->select_task_rq(p, prev_cpu, wake_flags);
	return select_task_rq_fair(p, prev_cpu, wake_flags);
}

/* proc/sched/rt.c: RT balancing between harts. schedule() calls
 * balance_rt before picking, rq->lock held (it may drop and retake it):
 * pull when this hart is about to run something of lower priority than
 * prev, push the RT tasks that wait here to harts running lower ones. */
void balance_rt(struct rq *rq, struct task_struct *prev);
/* rq's running RT task lost priority (sched_setscheduler): its hart
 * pulls at its next schedule(). rq->lock held. */
void rt_queue_pull(struct rq *rq);

static inline bool rt_prio(int prio) { return prio < MAX_RT_PRIO; }
static inline bool task_has_rt_policy(const struct task_struct *p)
{
	return p->policy == SCHED_FIFO || p->policy == SCHED_RR;
}
void set_load_weight(struct task_struct *p);

/* SCHED_IDLE runs at the lowest weight of all, below nice 19 (Linux's
 * WEIGHT_IDLEPRIO and its inverse 2^32/3). */
#define WEIGHT_IDLEPRIO 3
#define WMULT_IDLEPRIO 1431655765

/* Load weight for the task's nice value, or the SCHED_IDLE weight. */
static inline void set_task_weight(struct task_struct *p)
{
	if (p->policy == SCHED_IDLE) {
		p->se.load.weight = WEIGHT_IDLEPRIO;
		p->se.load.inv_weight = WMULT_IDLEPRIO;
	} else {
		set_load_weight(p);
	}
}
extern unsigned int sysctl_sched_latency, sysctl_sched_min_granularity,
	sysctl_sched_wakeup_granularity;

#endif
