/* The scheduler's interface (proc/sched/): per-hart run queues with
 * scheduling classes, sleeping and waking, and task lifetime helpers. */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H
#include "proc/task.h"

extern struct task_struct init_task;
extern union thread_union init_thread_union;

/* Policies (Linux values) and priorities: 0-99 real-time, 100-139 normal. */
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define MAX_RT_PRIO 100
#define MAX_PRIO 140
#define DEFAULT_PRIO 120
#define NICE_TO_PRIO(n) ((n) + DEFAULT_PRIO)
#define PRIO_TO_NICE(p) ((p) - DEFAULT_PRIO)

void sched_init(void);
void sched_init_secondary(int cpu);
void schedule(void);
void __noreturn cpu_idle(void);
void scheduler_tick(void);
void yield(void);

/* Make a sleeping task runnable if its state matches; true if it was. */
bool wake_up_state(struct task_struct *t, unsigned int state);
bool wake_up_process(struct task_struct *t); /* any sleeping state but stopped */
void set_current_state(long state);
/* Sleep up to ns nanoseconds in `state`; returns ns left (0 if it expired). */
u64 schedule_timeout(u64 ns, long state);
/* Ask t's hart to reschedule (an IPI if it is another hart). */
void resched_curr_task(struct task_struct *t);

/* Fork support (proc/fork.c calls these). */
void sched_fork(struct task_struct *p);
void wake_up_new_task(struct task_struct *p);
/* The first thing a new task runs (entry.S's ret_from_fork calls it). */
void schedule_tail(struct task_struct *prev);

/* Tasks. */
struct task_struct *alloc_task_struct(void); /* task + kernel stack, zeroed */
void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
struct task_struct *find_task_by_pid(int pid); /* caller holds tasklist_lock */
extern spinlock_t tasklist_lock; /* protects family links, the pid table, thread groups */
struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *comm);
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next);

/* Time accounting hooks (traps call them). */
u64 task_sched_runtime(struct task_struct *t);
void membarrier_ipi(void); /* from the software interrupt (proc/sched/membarrier.c) */ /* ns on a CPU, exact */

#endif
