/* Process file descriptors (Linux: kernel/pid.c pidfd_open, kernel/signal.c
 * pidfd_send_signal): a descriptor that names one process for its whole
 * life, that poll() reports readable once the process has exited, and
 * through which it can be signalled without pid-reuse races. */
#include "proc/signal.h"
#include "proc/sched.h"
#include "proc/wait.h"
#include "kernel/errno.h"
#include "kernel/fs/anon_inodes.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

#define PIDFD_NONBLOCK O_NONBLOCK

/* A pidfd's private_data: the group leader and its signal_struct, each
 * with a reference (signal_struct outlives release_task for the poller). */
struct pidfd {
	struct task_struct *task;
	struct signal_struct *sig;
};

/* The whole thread group is gone (its leader a zombie or reaped). */
static bool pidfd_exited(const struct pidfd *p)
{
	return READ_ONCE(p->task->exit_state) && __atomic_load_n(&p->sig->nr_threads, __ATOMIC_ACQUIRE) == 0;
}

static __poll_t pidfd_poll(struct file *f, poll_table *pt)
{
	struct pidfd *p = f->private_data;

	poll_wait(f, &p->sig->wait_pidfd, pt);
	return pidfd_exited(p) ? POLLIN | POLLRDNORM : 0;
}

static void pidfd_put(struct pidfd *p)
{
	put_signal(p->sig);
	put_task_struct(p->task);
	kfree(p);
}

static int pidfd_release(struct inode *inode, struct file *f)
{
	(void)inode;
	pidfd_put(f->private_data);
	return 0;
}

static const struct file_operations pidfd_fops = {
	.poll = pidfd_poll,
	.release = pidfd_release,
};

/* The pidfd of process pid, with references to it taken. */
static struct pidfd *pidfd_get(int pid, long *err)
{
	struct pidfd *p = kzalloc(sizeof(*p));

	*err = -ENOMEM;
	if (!p)
		return NULL;
	spin_lock(&tasklist_lock);
	struct task_struct *t = find_task_by_pid(pid);
	*err = !t || !t->signal ? -ESRCH : !thread_group_leader(t) ? -EINVAL : 0;
	if (!*err) {
		p->task = t;
		p->sig = t->signal;
		get_task_struct(t);
		__atomic_add_fetch(&p->sig->count, 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&tasklist_lock);
	if (*err) {
		kfree(p);
		return NULL;
	}
	return p;
}

SYSCALL_DEFINE2(pidfd_open, int, pid, unsigned int, flags)
{
	long err;

	if (flags & ~PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	struct pidfd *p = pidfd_get(pid, &err);
	if (!p)
		return err;
	/* As Linux: pidfds are always close-on-exec. */
	int fd = anon_inode_getfd("[pidfd]", &pidfd_fops, p, O_RDWR | O_CLOEXEC | (flags & PIDFD_NONBLOCK));
	if (fd < 0)
		pidfd_put(p);
	return fd;
}

SYSCALL_DEFINE4(pidfd_send_signal, int, pidfd, int, sig, siginfo_t __user *, uinfo,
		unsigned int, flags)
{
	siginfo_t info;
	int ret;

	if (flags)
		return -EINVAL;
	struct file *f = fget(pidfd);
	if (!f)
		return -EBADF;
	if (f->f_op != &pidfd_fops) {
		fput(f);
		return -EBADF;
	}
	struct pidfd *p = f->private_data;
	if (uinfo) {
		/* rt_sigqueueinfo's rules: only to itself may a process pose
		 * as kill() or tkill() (si_code >= 0, SI_TKILL). */
		ret = copy_from_user(&info, uinfo, sizeof(info)) ? -EFAULT
		      : info.si_signo != sig ? -EINVAL
		      : (info.si_code >= 0 || info.si_code == SI_TKILL) && p->task->tgid != current->tgid
			      ? -EPERM : 0;
	} else {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = SI_USER;
		info.kill.si_pid = current->tgid;
		ret = 0;
	}
	if (!ret) {
		/* tasklist_lock keeps the task's signal state from being released under us. */
		spin_lock(&tasklist_lock);
		ret = pidfd_exited(p) || !p->task->signal ? -ESRCH : group_send_sig_info(sig, &info, p->task);
		spin_unlock(&tasklist_lock);
	}
	fput(f);
	return ret;
}
