/* Sleeping mutexes: a spinlock-protected owner and a wait queue. Unlock
 * wakes one exclusive waiter, which then competes for the mutex again. */
#include "proc/mutex.h"
#include "proc/wait.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "kernel/errno.h"

void mutex_init(struct mutex *m)
{
	spin_lock_init(&m->wait_lock);
	m->owner = NULL;
	init_waitqueue_head(&m->wait);
}

bool mutex_trylock(struct mutex *m)
{
	bool got = false;

	spin_lock(&m->wait_lock);
	if (!m->owner) {
		m->owner = current;
		got = true;
	}
	spin_unlock(&m->wait_lock);
	return got;
}

static int __mutex_lock(struct mutex *m, long state)
{
	struct wait_queue_entry w = { .task = current };
	int ret = 0;

	if (mutex_trylock(m))
		return 0;
	for (;;) {
		prepare_to_wait_exclusive(&m->wait, &w, state);
		if (mutex_trylock(m))
			break;
		if (state == TASK_INTERRUPTIBLE && signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&m->wait, &w);
	/* A wake-up we consumed without taking the mutex goes to the next. */
	if (ret)
		wake_up(&m->wait);
	return ret;
}

void mutex_lock(struct mutex *m)
{
	__mutex_lock(m, TASK_UNINTERRUPTIBLE);
}

int mutex_lock_interruptible(struct mutex *m)
{
	return __mutex_lock(m, TASK_INTERRUPTIBLE);
}

void mutex_unlock(struct mutex *m)
{
	spin_lock(&m->wait_lock);
	m->owner = NULL;
	spin_unlock(&m->wait_lock);
	wake_up(&m->wait);
}

bool mutex_is_locked(struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != NULL;
}
