/* Sleeping mutexes (Linux: include/linux/mutex.h): a holder may sleep, so
 * they guard work that copies user memory or waits (pipe buffers, directory
 * changes, the tty). Waiters sleep uninterruptibly on a wait queue. */
#ifndef PROC_MUTEX_H
#define PROC_MUTEX_H
#include "proc/task.h"

struct mutex {
	spinlock_t wait_lock;        /* protects owner */
	struct task_struct *owner;   /* NULL when free */
	wait_queue_head_t wait;      /* tasks waiting for it */
};

#define DEFINE_MUTEX(n) \
	struct mutex n = { SPINLOCK_INIT, NULL, { SPINLOCK_INIT, LIST_HEAD_INIT(n.wait.head) } }

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
int mutex_lock_interruptible(struct mutex *m); /* 0, or -EINTR on a signal */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);

#endif
