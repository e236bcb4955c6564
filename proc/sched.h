/* Task switching. This is the seed of the scheduler issue's CFS: each
 * hart has an idle task and one current task; schedule() switches to the
 * next runnable one (here: a single run slot per hart). */
#ifndef PROC_SCHED_H
#define PROC_SCHED_H
#include "proc/task.h"

extern struct task_struct init_task;
extern union thread_union init_thread_union;

struct task_struct *alloc_task(const char *comm, int cpu);
struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *comm, int cpu);
void wake_up_new_task(struct task_struct *t);
void schedule(void);
void __noreturn cpu_idle(void);
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next);
int alloc_pid(void);

#endif
