/* Wait queues and completions (Linux: include/linux/wait.h, completion.h).
 * A sleeper puts an entry on the queue, sets its state, re-checks its
 * condition and calls schedule(); a waker calls wake_up(), which makes
 * every sleeper (or the first `exclusive` one) runnable again. */
#ifndef PROC_WAIT_H
#define PROC_WAIT_H
#include "proc/task.h"

/* A wake-up runs func instead of waking task when it is set (epoll's
 * items); key is the POLL* mask the waker passed (0: unknown). Returns
 * nonzero if it counts as a wake-up of an exclusive waiter. */
struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *w, unsigned int mode, int flags,
				 void *key);
struct wait_queue_entry {
	struct task_struct *task;
	unsigned int flags;           /* WQ_FLAG_EXCLUSIVE */
	wait_queue_func_t func;       /* NULL: wake task */
	struct list_head entry;
};
#define WQ_FLAG_EXCLUSIVE 0x01

void init_waitqueue_head(wait_queue_head_t *wq);
#define DECLARE_WAIT_QUEUE_HEAD(n) wait_queue_head_t n = { SPINLOCK_INIT, LIST_HEAD_INIT(n.head) }
/* Queue the entry (once) and set current->state = state. */
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state);
void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w, long state);
/* Back to TASK_RUNNING and off the queue. */
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w);
/* Queue an entry that stays queued (its func runs on each wake-up),
 * without touching the task state; remove it with remove_wait_queue. */
void add_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w);
void add_wait_queue_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w);
void remove_wait_queue(wait_queue_head_t *wq, struct wait_queue_entry *w);
/* Wake sleepers in TASK_NORMAL states; nr_exclusive 0 = all. */
void __wake_up(wait_queue_head_t *wq, unsigned int state, int nr_exclusive);
/* The same, telling callbacks which POLL* events happened. */
void __wake_up_key(wait_queue_head_t *wq, unsigned int state, int nr_exclusive, void *key);
#define wake_up_poll(wq, m) __wake_up_key(wq, TASK_NORMAL, 1, (void *)(unsigned long)(m))
#define wake_up(wq) __wake_up(wq, TASK_NORMAL, 1)
#define wake_up_all(wq) __wake_up(wq, TASK_NORMAL, 0)
#define wake_up_interruptible(wq) __wake_up(wq, TASK_INTERRUPTIBLE, 1)

/* Sleep until cond holds; returns 0, or -ERESTARTSYS if a signal came
 * first. cond is re-evaluated after each wake-up. */
#define wait_event_interruptible(wq, cond)                                 \
	({                                                                   \
		int __ret = 0;                                               \
		struct wait_queue_entry __w = { .task = get_current() };     \
		for (;;) {                                                   \
			prepare_to_wait(&(wq), &__w, TASK_INTERRUPTIBLE);    \
			if (cond)                                            \
				break;                                       \
			if (signal_pending(get_current())) {                 \
				__ret = -512; /* -ERESTARTSYS */             \
				break;                                       \
			}                                                    \
			schedule();                                          \
		}                                                            \
		finish_wait(&(wq), &__w);                                    \
		__ret;                                                       \
	})
#define wait_event(wq, cond)                                               \
	do {                                                                 \
		struct wait_queue_entry __w = { .task = get_current() };     \
		for (;;) {                                                   \
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);  \
			if (cond)                                            \
				break;                                       \
			schedule();                                          \
		}                                                            \
		finish_wait(&(wq), &__w);                                    \
	} while (0)

struct completion {
	unsigned int done;
	wait_queue_head_t wait;
};
void init_completion(struct completion *c);
void complete(struct completion *c);       /* wake one waiter */
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
int wait_for_completion_killable(struct completion *c); /* -ERESTARTSYS on a fatal signal */

#endif
