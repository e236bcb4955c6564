/* What kernel/fs/select.c lends to other waiters on descriptors (epoll):
 * deadlines from user timespecs, the timed sleep that keeps a wake-up
 * seen before it, and the temporary signal mask of ppoll/epoll_pwait. */
#ifndef KERNEL_FS_SELECT_H
#define KERNEL_FS_SELECT_H
#include "kernel/types.h"
#include "proc/task.h"

#define POLL_NO_WAIT 0          /* deadline of a zero timeout: never sleep */
#define POLL_FOREVER (~0ULL)    /* deadline of a NULL timeout */

struct kernel_timespec {
	s64 tv_sec;
	long tv_nsec;
};

/* The deadline (ktime_get_ns) a user timespec gives: POLL_FOREVER for
 * NULL, POLL_NO_WAIT for zero; -EFAULT, or -EINVAL if malformed. */
int poll_get_deadline(const struct kernel_timespec __user *utsp, u64 *deadline);
/* The caller is TASK_INTERRUPTIBLE (set before its last check): sleep
 * until a wake-up or the deadline; false once the deadline has passed. */
bool poll_schedule_timeout(u64 deadline);
/* Install a temporary mask (saved_sigmask keeps the old one); NULL: none. */
int set_user_sigmask(const sigset_t __user *umask, size_t size);

#endif
