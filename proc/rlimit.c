/* Resource limits (Linux: do_prlimit in kernel/sys.c): getrlimit,
 * setrlimit and prlimit64 on signal_struct->rlim, which fork copies and
 * exec keeps. Where they are enforced: RLIMIT_NOFILE in alloc_fd,
 * RLIMIT_FSIZE in vfs_write and do_truncate, RLIMIT_AS/DATA in
 * may_expand_vm and brk, RLIMIT_STACK in expand_stack and mmap_base,
 * RLIMIT_CORE in the core-dump status, RLIMIT_SIGPENDING in sigqueue_alloc,
 * RLIMIT_CPU from the tick (proc/posix_cpu_timers.c), RLIMIT_NPROC in fork. */
#include "proc/task.h"
#include "proc/cred.h"
#include "proc/user.h"
#include "proc/fork.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

#define NR_OPEN 1048576 /* Linux's sysctl_nr_open: RLIMIT_NOFILE's ceiling */

/* Another process's limits: all its ids must be our real ones (Linux:
 * check_prlimit_permission), or we need CAP_SYS_RESOURCE. */
static bool prlimit_permitted(struct task_struct *t)
{
	const struct cred *c = current_cred(), *tc = get_task_cred(t);
	bool ok = (c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid &&
		   c->gid == tc->gid && c->gid == tc->egid && c->gid == tc->sgid) ||
		  capable(CAP_SYS_RESOURCE);

	put_cred(tc);
	return ok;
}

/* Read and/or replace one limit of process pid (0: ours); only
 * CAP_SYS_RESOURCE raises a hard limit. */
static long do_prlimit(int pid, unsigned int res, const struct rlimit64 *nr, struct rlimit64 *old)
{
	struct task_struct *t = current;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (nr) {
		if (nr->rlim_cur > nr->rlim_max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && nr->rlim_max > NR_OPEN)
			return -EPERM;
	}
	/* tasklist_lock: finds t and keeps it, and serializes the writers;
	 * readers of their own limits read a word at a time. */
	spin_lock(&tasklist_lock);
	if (pid && pid != current->tgid) {
		t = find_task_by_pid(pid);
		if (!t || !t->signal) {
			spin_unlock(&tasklist_lock);
			return -ESRCH;
		}
		if (!prlimit_permitted(t)) {
			spin_unlock(&tasklist_lock);
			return -EPERM;
		}
	}
	struct rlimit64 *rlim = &t->signal->rlim[res];
	if (nr && nr->rlim_max > rlim->rlim_max && !capable(CAP_SYS_RESOURCE)) {
		spin_unlock(&tasklist_lock);
		return -EPERM;
	}
	if (old)
		*old = *rlim;
	if (nr) {
		WRITE_ONCE(rlim->rlim_cur, nr->rlim_cur);
		WRITE_ONCE(rlim->rlim_max, nr->rlim_max);
	}
	spin_unlock(&tasklist_lock);
	return 0;
}

/* RLIMIT_NPROC (Linux: the ucounts check in copy_process): the tasks of
 * current's real uid, threads and unreaped zombies included, counting the
 * child being made (copy_creds added it), may not exceed it; uid 0 and
 * CAP_SYS_RESOURCE or CAP_SYS_ADMIN are exempt. O(1): the count lives in
 * the uid's user_struct (proc/user.c). */
bool nproc_limit_reached(void)
{
	u64 limit = task_rlimit(current, RLIMIT_NPROC);
	const struct cred *c = current->real_cred;

	if (limit == RLIM_INFINITY || c->uid == 0 || capable(CAP_SYS_RESOURCE) || capable(CAP_SYS_ADMIN))
		return false;
	return (u64)__atomic_load_n(&c->user->processes, __ATOMIC_RELAXED) > limit;
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, res, const struct rlimit64 __user *, unew,
		struct rlimit64 __user *, uold)
{
	struct rlimit64 nr, old;
	long err;

	if (unew && copy_from_user(&nr, unew, sizeof(nr)))
		return -EFAULT;
	if ((err = do_prlimit(pid, res, unew ? &nr : NULL, uold ? &old : NULL)))
		return err;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* struct rlimit of a 64-bit ABI is struct rlimit64: RLIM_INFINITY is ~0 in both. */
SYSCALL_DEFINE2(getrlimit, unsigned int, res, struct rlimit64 __user *, urlim)
{
	struct rlimit64 r;
	long err = do_prlimit(0, res, NULL, &r);

	if (err)
		return err;
	return copy_to_user(urlim, &r, sizeof(r)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, res, const struct rlimit64 __user *, urlim)
{
	struct rlimit64 r;

	if (copy_from_user(&r, urlim, sizeof(r)))
		return -EFAULT;
	return do_prlimit(0, res, &r, NULL);
}
