/* The signal system calls: actions and masks (rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend, rt_sigtimedwait, sigaltstack), and kill and
 * friends (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo). */
#include "proc/signal.h"
#include "proc/cred.h"
#include "proc/exit.h"
#include "proc/sched.h"
#include "proc/wait.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/signal_internal.h"

/* The sa_flags bits Linux riscv keeps; others read back as 0, which is
 * how programs detect unsupported flags. */
#define UAPI_SA_FLAGS (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
		       SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS)

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *, uoss)
{
	stack_t new, old;
	int ret;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	ret = do_sigaltstack(uss ? &new : NULL, uoss ? &old : NULL, task_pt_regs(current)->sp);
	if (!ret && uoss && copy_to_user(uoss, &old, sizeof(old)))
		ret = -EFAULT;
	return ret;
}

/* ---- actions and masks ---- */

static int do_sigaction(int sig, struct k_sigaction *act, struct k_sigaction *oact)
{
	struct task_struct *t = current;

	if (sig < 1 || sig > _NSIG || (act && sig_kernel_only(sig)))
		return -EINVAL;
	if (act) {
		act->sa_flags &= UAPI_SA_FLAGS;
		act->sa_mask.sig &= ~SIG_KERNEL_ONLY_MASK;
	}
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	struct k_sigaction *k = &t->sighand->action[sig - 1];
	if (oact) {
		*oact = *k;
		oact->sa_flags &= UAPI_SA_FLAGS;
	}
	if (act) {
		*k = *act;
		/* POSIX: setting SIG_IGN (or SIG_DFL for a signal ignored by
		 * default) discards the pending instances, in every thread. */
		if (sig_handler_ignored(k->sa_handler, sig))
			flush_group_mask(t, M(sig));
	}
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct k_sigaction __user *, act,
		struct k_sigaction __user *, oact, size_t, sigsetsize)
{
	struct k_sigaction new, old;
	int ret;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	ret = do_sigaction(sig, act ? &new : NULL, oact ? &old : NULL);
	if (!ret && oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t __user *, nset, sigset_t __user *, oset,
		size_t, sigsetsize)
{
	sigset_t old = current->blocked, set, newset;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&set, nset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK:
			newset.sig = old.sig | set.sig;
			break;
		case SIG_UNBLOCK:
			newset.sig = old.sig & ~set.sig;
			break;
		case SIG_SETMASK:
			newset = set;
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(&newset);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	struct task_struct *t = current;
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	set.sig = (t->pending.signal.sig | t->signal->shared_pending.signal.sig) & t->blocked.sig;
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleep with a temporary mask until a signal comes; the handler runs
 * with it, and sigreturn (or do_signal, if none runs) puts the old one back. */
SYSCALL_DEFINE2(rt_sigsuspend, const sigset_t __user *, unewset, size_t, sigsetsize)
{
	struct task_struct *t = current;
	sigset_t newset;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&newset, unewset, sizeof(newset)))
		return -EFAULT;
	t->saved_sigmask = t->blocked;
	set_current_blocked(&newset);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(t))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	t->restore_sigmask = true;
	return -ERESTARTNOHAND;
}

struct kernel_timespec {
	s64 tv_sec;
	long tv_nsec;
};

SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uthese, siginfo_t __user *, uinfo,
		const struct kernel_timespec __user *, uts, size_t, sigsetsize)
{
	struct task_struct *t = current;
	sigset_t these, mask;
	siginfo_t info;
	u64 timeout = ~0ULL, left = 0;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	if (uts) {
		struct kernel_timespec ts;
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		if ((u64)ts.tv_sec >= (~0ULL - NSEC_PER_SEC) / NSEC_PER_SEC)
			timeout = ~0ULL - 1; /* practically forever, but a timeout */
		else
			timeout = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	}
	/* Dequeue only the awaited signals (never SIGKILL/SIGSTOP). */
	mask.sig = ~(these.sig & ~SIG_KERNEL_ONLY_MASK);

	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	int sig = dequeue_signal(t, &mask, &info);
	if (!sig && timeout) {
		/* Unblock them while we sleep so they are sent to us;
		 * real_blocked keeps them from being dropped as ignored. */
		sigset_t during = { t->blocked.sig & mask.sig };
		t->real_blocked = t->blocked;
		__set_task_blocked(t, &during);
		spin_unlock_irqrestore(&t->sighand->siglock, f);
		left = schedule_timeout(timeout, TASK_INTERRUPTIBLE);
		f = spin_lock_irqsave(&t->sighand->siglock);
		__set_task_blocked(t, &t->real_blocked);
		t->real_blocked.sig = 0;
		sig = dequeue_signal(t, &mask, &info);
	}
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	if (sig) {
		if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
			return -EFAULT;
		return sig;
	}
	return timeout && left ? -EINTR : -EAGAIN;
}

/* ---- kill and friends ---- */

/* May current send sig to t? (Linux: check_kill_permission.) The kernel's
 * own signals (si_code > 0) always; from a process, its real or effective
 * uid must be t's real or saved uid, unless it is t's own process, has
 * CAP_KILL, or sends SIGCONT within its session (job control). */
int check_kill_permission(int sig, const siginfo_t *info, struct task_struct *t)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (info->si_code > 0 || t->tgid == current->tgid || capable(CAP_KILL))
		return 0;
	const struct cred *c = current_cred(), *tc = get_task_cred(t);
	bool ok = c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid;
	put_cred(tc);
	if (ok || (sig == SIGCONT && t->signal && t->signal->session == current->signal->session))
		return 0;
	return -EPERM;
}

int group_send_sig_info(int sig, const siginfo_t *info, struct task_struct *p)
{
	int err = check_kill_permission(sig, info, p);

	if (err || !sig)
		return err; /* sig 0: the existence and permission check alone */
	return do_send_sig_info(sig, info, p, true);
}

static int kill_something_info(int sig, const siginfo_t *info, int pid)
{
	int ret;

	if (pid > 0) {
		spin_lock(&tasklist_lock);
		struct task_struct *p = find_task_by_pid(pid);
		ret = p ? group_send_sig_info(sig, info, p) : -ESRCH;
		spin_unlock(&tasklist_lock);
		return ret;
	}
	if (pid == (int)0x80000000)
		return -ESRCH; /* -INT_MIN does not exist */
	if (pid != -1) {
		spin_lock(&tasklist_lock);
		ret = __kill_pgrp_info(sig, info, pid ? -pid : current->signal->pgrp);
		spin_unlock(&tasklist_lock);
		return ret;
	}
	/* -1: every process but init and ourselves. */
	int count = 0;
	struct list_head *pos;
	ret = 0;
	spin_lock(&tasklist_lock);
	list_for_each(pos, &init_task.tasks) {
		struct task_struct *p = list_entry(pos, struct task_struct, tasks);
		if (p->tgid <= 1 || p->tgid == current->tgid || (p->flags & PF_KTHREAD))
			continue;
		int err = group_send_sig_info(sig, info, p);
		count++;
		if (err != -EPERM)
			ret = err;
	}
	spin_unlock(&tasklist_lock);
	return count ? ret : -ESRCH;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	siginfo_t info;

	fill_kill_info(&info, sig, SI_USER);
	return kill_something_info(sig, &info, pid);
}

/* One thread, pid, of group tgid (any group if tgid <= 0). */
static int do_send_specific(int tgid, int pid, int sig, const siginfo_t *info)
{
	int err = -ESRCH;

	spin_lock(&tasklist_lock);
	struct task_struct *p = find_task_by_pid(pid);
	if (p && (tgid <= 0 || p->tgid == tgid)) {
		err = check_kill_permission(sig, info, p);
		if (!err && sig)
			err = do_send_sig_info(sig, info, p, false);
	}
	spin_unlock(&tasklist_lock);
	return err;
}

static int do_tkill(int tgid, int pid, int sig)
{
	siginfo_t info;

	fill_kill_info(&info, sig, SI_TKILL);
	return do_send_specific(tgid, pid, sig, &info);
}

SYSCALL_DEFINE2(tkill, int, pid, int, sig)
{
	if (pid <= 0)
		return -EINVAL;
	return do_tkill(0, pid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, pid, int, sig)
{
	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, pid, sig);
}

/* A process may only pretend to be the kernel, kill() or tkill() to itself. */
static int copy_siginfo_from_user_checked(siginfo_t *info, const siginfo_t __user *uinfo, int sig,
					  int self)
{
	if (copy_from_user(info, uinfo, sizeof(*info)))
		return -EFAULT;
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) && self != current->tgid)
		return -EPERM;
	info->si_signo = sig;
	return 0;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, siginfo_t __user *, uinfo)
{
	siginfo_t info;
	int err = copy_siginfo_from_user_checked(&info, uinfo, sig, pid);

	if (err)
		return err;
	if (pid <= 0)
		return -ESRCH;
	return kill_something_info(sig, &info, pid);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, pid, int, sig, siginfo_t __user *, uinfo)
{
	siginfo_t info;
	int err;

	if (pid <= 0 || tgid <= 0)
		return -EINVAL;
	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->pid)
		return -EPERM;
	info.si_signo = sig;
	err = do_send_specific(tgid, pid, sig, &info);
	return err;
}
