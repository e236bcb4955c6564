/* Scheduler internals (Linux: kernel/sched/sched.h): the per-hart run
 * queue, the CFS run queue, and the scheduling-class interface. */
#ifndef PROC_SCHED_SCHED_H
#define PROC_SCHED_SCHED_H
#include "proc/sched.h"
#include "mm/rbtree.h"

#define NICE_0_LOAD 1024UL

struct cfs_rq {
	struct load_weight load;    /* sum of queued entities' weights (incl. curr) */
	unsigned int nr_running;
	u64 min_vruntime;           /* monotonic floor for placing entities */
	struct rb_root tasks_timeline; /* queued entities by vruntime (curr is not in it) */
	struct rb_node *leftmost;   /* cached first node */
	struct sched_entity *curr;  /* the running entity, if it is ours */
	struct sched_entity *skip;  /* yield: pass over this one once */
};

struct rq {
	spinlock_t lock;            /* protects all of this rq and its tasks' on_rq state */
	int cpu;
	unsigned int nr_running;
	u64 clock;                  /* ns, updated under the lock */
	struct task_struct *curr, *idle;
	struct cfs_rq cfs;
	u64 nr_switches;
	bool tick_stopped;          /* idle: no periodic tick armed */
};

/* enqueue/dequeue flags */
#define ENQUEUE_WAKEUP 0x01
#define ENQUEUE_NEW 0x02
#define DEQUEUE_SLEEP 0x01
#define WF_FORK 0x02

struct sched_class {
	const struct sched_class *next; /* next lower-priority class */
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

extern const struct sched_class fair_sched_class;
extern const struct sched_class idle_sched_class;
extern struct rq runqueues[NR_CPUS];

static inline struct rq *cpu_rq(int cpu) { return &runqueues[cpu]; }
static inline struct rq *this_rq(void) { return cpu_rq(smp_processor_id()); }
static inline int task_cpu(const struct task_struct *p) { return p->thread_info.cpu; }

void update_rq_clock(struct rq *rq);
void resched_curr(struct rq *rq);
void set_load_weight(struct task_struct *p);
extern unsigned int sysctl_sched_latency, sysctl_sched_min_granularity,
	sysctl_sched_wakeup_granularity;

#endif
