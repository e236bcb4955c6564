/* The epoll system calls (Linux: fs/eventpoll.c's lower half): epoll_ctl
 * checks its arguments as Linux does and runs the loop check for a set
 * added into another; epoll_pwait/epoll_pwait2 turn the timeout into a
 * deadline and put the temporary signal mask in place around ep_poll. */
#include "kernel/fs/eventpoll_internal.h"
#include "kernel/fs/file.h"
#include "kernel/fs/select.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "proc/signal.h"

/* Serializes adding an epoll file into another with the loop check; no
 * other path takes it. */
static DEFINE_MUTEX(epnested_mutex);

/* The checks Linux makes before touching the set. */
static int ep_ctl_check(int op, struct file *f, struct file *tf, struct epoll_event *ev)
{
	if (!tf->f_op || !tf->f_op->poll || (tf->f_mode & FMODE_PATH))
		return -EPERM; /* regular files and the like cannot be waited for */
	if (f == tf || !is_file_epoll(f))
		return -EINVAL;
	if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (is_file_epoll(tf) || (ev->events & ~EPOLLEXCLUSIVE_OK_BITS))
			return -EINVAL;
	}
	ev->events &= ~EPOLLWAKEUP; /* no suspend to block here */
	return 0;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, struct epoll_event __user *, event)
{
	struct epoll_event ev = { 0, 0 };
	struct file *f, *tf = NULL;
	int err = -EBADF;

	if ((op == EPOLL_CTL_ADD || op == EPOLL_CTL_MOD) && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	f = fget(epfd);
	if (!f)
		return -EBADF;
	tf = fget(fd);
	if (!tf)
		goto out;
	err = ep_ctl_check(op, f, tf, &ev);
	if (err)
		goto out;
	struct eventpoll *ep = f->private_data;
	bool nested = op == EPOLL_CTL_ADD && is_file_epoll(tf);
	if (nested) {
		mutex_lock(&epnested_mutex);
		if (ep_loop_check(ep, tf->private_data)) {
			mutex_unlock(&epnested_mutex);
			err = -ELOOP;
			goto out;
		}
	}
	err = ep_ctl(ep, op, tf, fd, &ev);
	if (nested)
		mutex_unlock(&epnested_mutex);
out:
	if (tf)
		fput(tf);
	fput(f);
	return err;
}

static int do_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, u64 deadline)
{
	if (maxevents <= 0 || (unsigned long)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(events, (unsigned long)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *f = fget(epfd);
	if (!f)
		return -EBADF;
	int ret = is_file_epoll(f) ? ep_poll(f->private_data, events, maxevents, deadline) : -EINVAL;
	fput(f);
	return ret;
}

/* The temporary mask stays for the handler if a signal interrupted. */
static long epoll_pwait_common(int epfd, struct epoll_event __user *events, int maxevents,
			       u64 deadline, const sigset_t __user *sigmask, size_t sigsetsize)
{
	int err = set_user_sigmask(sigmask, sigsetsize);

	if (err)
		return err;
	err = do_epoll_wait(epfd, events, maxevents, deadline);
	if (err != -EINTR)
		restore_saved_sigmask();
	return err;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, struct epoll_event __user *, events, int, maxevents,
		int, timeout, const sigset_t __user *, sigmask, size_t, sigsetsize)
{
	u64 deadline = POLL_FOREVER;

	if (timeout == 0)
		deadline = POLL_NO_WAIT;
	else if (timeout > 0)
		deadline = ktime_get_ns() + (u64)timeout * 1000000ULL;
	return epoll_pwait_common(epfd, events, maxevents, deadline, sigmask, sigsetsize);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, struct epoll_event __user *, events, int, maxevents,
		const struct kernel_timespec __user *, timeout, const sigset_t __user *, sigmask,
		size_t, sigsetsize)
{
	u64 deadline;
	int err = poll_get_deadline(timeout, &deadline);

	if (err)
		return err;
	return epoll_pwait_common(epfd, events, maxevents, deadline, sigmask, sigsetsize);
}
