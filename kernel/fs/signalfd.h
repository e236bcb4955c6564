/* signalfd's hooks in the signal code (Linux: include/linux/signalfd.h):
 * a signal becoming pending wakes the signalfd pollers of the receiving
 * task's sighand; the queue they sleep on outlives the sighand while a
 * signalfd file still holds it (an epoll item may stay hooked there). */
#ifndef KERNEL_FS_SIGNALFD_H
#define KERNEL_FS_SIGNALFD_H
#include "proc/wait.h"

struct signalfd_wq {
	int refs;                /* the sighand, and each signalfd file that hooked it (atomic) */
	wait_queue_head_t wqh;
};

void signalfd_wq_put(struct signalfd_wq *w); /* NULL is fine */

/* t's siglock held; nothing to do until a signalfd was polled or read. */
static inline void signalfd_notify(struct task_struct *t)
{
	struct signalfd_wq *w = t->sighand->signalfd_wq;

	if (w)
		wake_up(&w->wqh);
}

#endif
