/* Signals, the architecture-neutral half (Linux: kernel/signal.c): the life
 * cycle of sighand_struct and signal_struct, sending and queueing, waking
 * the receiver, and telling the parent. */
#include "proc/signal.h"
#include "proc/cred.h"
#include "kernel/ratelimit.h"
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
#include "kernel/fs/signalfd.h"
#include "kernel/tty/tty.h"

/*
 * Locking: t->sighand->siglock (always spin_lock_irqsave: the timer
 * interrupt sends SIGALRM) protects the actions, the pending sets and
 * blocked masks of the tasks sharing that sighand, and the job-control
 * fields of their signal_struct. The thread_group ring is walked under
 * siglock alone, so fork and release_task must change it holding siglock
 * too. Order: tasklist_lock, then siglock, then the scheduler's locks.
 * User memory is never touched with siglock held.
 */

#define CLONE_VM 0x00000100
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000

#define USER_HZ 100 /* clock ticks of si_utime/si_stime (AT_CLKTCK) */

static bool in_mask(int sig, unsigned long mask)
{
	return sig < SIGRTMIN && (M(sig) & mask);
}
bool sig_kernel_only(int sig) { return in_mask(sig, SIG_KERNEL_ONLY_MASK); }
bool sig_kernel_stop(int sig) { return in_mask(sig, SIG_KERNEL_STOP_MASK); }
bool sig_kernel_coredump(int sig) { return in_mask(sig, SIG_KERNEL_COREDUMP_MASK); }
bool sig_kernel_ignore(int sig) { return in_mask(sig, SIG_KERNEL_IGNORE_MASK); }
bool valid_signal(int sig) { return sig >= 0 && sig <= _NSIG; }

static void __user *sig_handler(struct task_struct *t, int sig)
{
	return t->sighand->action[sig - 1].sa_handler;
}

/* SIG_IGN, or SIG_DFL for a signal whose default is to be ignored. */
bool sig_handler_ignored(void __user *handler, int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && sig_kernel_ignore(sig));
}

/* Delivering sig to t's group would kill it (default action terminate/core). */
static bool sig_fatal(struct task_struct *t, int sig)
{
	return !in_mask(sig, SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK) &&
	       sig_handler(t, sig) == SIG_DFL;
}

static bool is_global_init(struct task_struct *t)
{
	return t->tgid == 1;
}

/* The thread after t in its group's ring (t itself if it is alone). */
struct task_struct *next_thread(struct task_struct *t)
{
	return list_entry(t->thread_group.next, struct task_struct, thread_group);
}

int sq_signo(const struct sigqueue *q)
{
	int signo;
	memcpy(&signo, q->info, sizeof(signo));
	return signo;
}

/* ---- queued siginfo ---- */

/* Real-time sigqueues allocated, system-wide: limited by the receiver's
 * RLIMIT_SIGPENDING so a blocked signal cannot eat all memory. Standard
 * signals hold at most one entry per signal and pending set. */
static long nr_rt_queued;

static struct sigqueue *sigqueue_alloc(int sig, struct task_struct *t)
{
	if (sig >= SIGRTMIN) {
		long n = __atomic_add_fetch(&nr_rt_queued, 1, __ATOMIC_RELAXED);
		if ((u64)n > task_rlimit(t, RLIMIT_SIGPENDING)) {
			__atomic_sub_fetch(&nr_rt_queued, 1, __ATOMIC_RELAXED);
			return NULL;
		}
	}
	struct sigqueue *q = kmalloc(sizeof(*q));
	if (!q && sig >= SIGRTMIN)
		__atomic_sub_fetch(&nr_rt_queued, 1, __ATOMIC_RELAXED);
	if (q)
		q->flags = 0;
	return q;
}

/* Off its pending list: freed, unless a POSIX timer owns it (then it is
 * just marked not queued, ready to be sent again). siglock held. */
void sigqueue_free(struct sigqueue *q)
{
	if (q->flags & SIGQUEUE_PREALLOC) {
		INIT_LIST_HEAD(&q->list);
		return;
	}
	if (sq_signo(q) >= SIGRTMIN)
		__atomic_sub_fetch(&nr_rt_queued, 1, __ATOMIC_RELAXED);
	kfree(q);
}

/* Drop the pending signals in mask (and their queued siginfo). */
static void flush_sigqueue_mask(unsigned long mask, struct sigpending *p)
{
	struct list_head *pos, *n;

	if (!(p->signal.sig & mask))
		return;
	p->signal.sig &= ~mask;
	list_for_each_safe(pos, n, &p->list) {
		struct sigqueue *q = list_entry(pos, struct sigqueue, list);
		if (M(sq_signo(q)) & mask) {
			list_del(&q->list);
			sigqueue_free(q);
		}
	}
}

static void flush_sigqueue(struct sigpending *p)
{
	flush_sigqueue_mask(~0UL, p);
	/* Entries whose bit was already clear (cannot happen, but never leak). */
	while (!list_empty(&p->list)) {
		struct sigqueue *q = list_first_entry(&p->list, struct sigqueue, list);
		list_del(&q->list);
		sigqueue_free(q);
	}
}

/* Remove the signals in mask from the group's and every thread's pending sets. */
void flush_group_mask(struct task_struct *p, unsigned long mask)
{
	struct task_struct *t = p;

	flush_sigqueue_mask(mask, &p->signal->shared_pending);
	do {
		flush_sigqueue_mask(mask, &t->pending);
		t = next_thread(t);
	} while (t != p);
}

/* ---- TIF_SIGPENDING ---- */

bool stop_in_effect(struct signal_struct *sig)
{
	return sig->group_stop_count > 0 || (sig->flags & SIGNAL_STOP_STOPPED);
}

/* Set TIF_SIGPENDING if t has something to do in get_signal; clear it
 * (only for current: another task may be about to look) if not. siglock held. */
bool recalc_sigpending_tsk(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;
	unsigned long unblocked = ~t->blocked.sig;

	if ((t->pending.signal.sig & unblocked) || (sig->shared_pending.signal.sig & unblocked) ||
	    sig->group_stop_count > 0 || (sig->flags & SIGNAL_CLD_MASK)) {
		set_tsk_thread_flag(t, TIF_SIGPENDING);
		return true;
	}
	if (t == current)
		clear_tsk_thread_flag(t, TIF_SIGPENDING);
	return false;
}

void recalc_sigpending(void)
{
	unsigned long f = spin_lock_irqsave(&current->sighand->siglock);
	recalc_sigpending_tsk(current);
	spin_unlock_irqrestore(&current->sighand->siglock, f);
}

/* Make t notice a signal: wake it from an interruptible (or, for a fatal
 * one, killable/stopped) sleep, or if it runs on another hart, interrupt
 * it so it passes through exit_to_user_mode. */
void signal_wake_up(struct task_struct *t, bool fatal)
{
	set_tsk_thread_flag(t, TIF_SIGPENDING);
	if (!wake_up_state(t, TASK_INTERRUPTIBLE | (fatal ? TASK_WAKEKILL : 0)) && t != current)
		resched_curr_task(t);
}

bool fatal_signal_pending(struct task_struct *t)
{
	return signal_pending(t) && sigismember(&t->pending.signal, SIGKILL);
}

bool signal_pending_state(long state, struct task_struct *t)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return false;
	if (!signal_pending(t))
		return false;
	return (state & TASK_INTERRUPTIBLE) || fatal_signal_pending(t);
}

/* ---- life cycle of sighand_struct and signal_struct ---- */

struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	sh->count = 1;
	spin_lock_init(&sh->siglock);
	return sh; /* every action SIG_DFL */
}

static void init_default_rlimits(struct rlimit64 *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_SIGPENDING] = (struct rlimit64){ 4096, 4096 };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit64){ 819200, 819200 }; /* Linux's MQ_BYTES_MAX */
	rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ 8UL << 20, 8UL << 20 }; /* Linux's MLOCK_LIMIT */
}

struct signal_struct *signal_alloc(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig));

	if (!sig)
		return NULL;
	sig->count = 1;
	sig->nr_threads = 1;
	INIT_LIST_HEAD(&sig->shared_pending.list);
	init_waitqueue_head(&sig->wait_chldexit);
	init_waitqueue_head(&sig->wait_pidfd);
	init_default_rlimits(sig->rlim);
	posix_timers_init(sig);
	return sig;
}

int copy_sighand(unsigned long clone_flags, struct task_struct *p)
{
	struct sighand_struct *cur = current->sighand;

	if ((clone_flags & CLONE_SIGHAND) && cur) {
		__atomic_add_fetch(&cur->count, 1, __ATOMIC_RELAXED);
		p->sighand = cur;
		return 0;
	}
	/* A copy sets every field: no need to zero 1.5 KiB of actions first. */
	struct sighand_struct *sh = cur ? kmalloc(sizeof(*sh)) : sighand_alloc();
	if (!sh)
		return -ENOMEM;
	if (cur) {
		_Static_assert(offsetof(struct sighand_struct, action) + sizeof(sh->action) ==
				       sizeof(*sh),
			       "copy_sighand: fields after action[] would be left uninitialized");
		memset(sh, 0, offsetof(struct sighand_struct, action));
		sh->count = 1;
		spin_lock_init(&sh->siglock);
		unsigned long f = spin_lock_irqsave(&cur->siglock);
		memcpy(sh->action, cur->action, sizeof(sh->action));
		spin_unlock_irqrestore(&cur->siglock, f);
	}
	p->sighand = sh;
	return 0;
}

int copy_signal(unsigned long clone_flags, struct task_struct *p)
{
	struct signal_struct *cur = current->signal;

	/* Per-thread state: nothing pending; a thread sharing our memory but
	 * not vfork'ed must not run handlers on our alternate stack. */
	INIT_LIST_HEAD(&p->pending.list);
	p->pending.signal.sig = 0;
	p->real_blocked.sig = 0;
	p->restore_sigmask = false;
	clear_tsk_thread_flag(p, TIF_SIGPENDING);
	if ((clone_flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) {
		p->sas_ss_sp = 0;
		p->sas_ss_size = 0;
		p->sas_ss_flags = SS_DISABLE;
	}

	if ((clone_flags & CLONE_THREAD) && cur) {
		unsigned long f = spin_lock_irqsave(&current->sighand->siglock);
		__atomic_add_fetch(&cur->count, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&cur->nr_threads, 1, __ATOMIC_RELAXED);
		/* A group signal or group stop pending now concerns it too. */
		if ((cur->shared_pending.signal.sig & ~p->blocked.sig) || stop_in_effect(cur))
			set_tsk_thread_flag(p, TIF_SIGPENDING);
		spin_unlock_irqrestore(&current->sighand->siglock, f);
		p->signal = cur;
		return 0;
	}

	struct signal_struct *sig = signal_alloc();
	if (!sig)
		return -ENOMEM;
	if (cur) {
		memcpy(sig->rlim, cur->rlim, sizeof(sig->rlim));
		sig->pgrp = cur->pgrp;
		sig->session = cur->session;
		sig->tty = get_current_tty_ref(); /* the controlling terminal is inherited */
	}
	p->signal = sig; /* no itimer: ITIMER_REAL is not inherited */
	return 0;
}

void put_sighand(struct sighand_struct *sh)
{
	if (sh && __atomic_sub_fetch(&sh->count, 1, __ATOMIC_ACQ_REL) == 0) {
		signalfd_wq_put(sh->signalfd_wq); /* signalfd files may keep it */
		kfree(sh);
	}
}

void put_signal(struct signal_struct *sig)
{
	if (sig && __atomic_sub_fetch(&sig->count, 1, __ATOMIC_ACQ_REL) == 0) {
		proc_clear_tty(sig); /* its controlling tty reference */
		flush_sigqueue(&sig->shared_pending);
		free_itimers(sig);
		kfree(sig);
	}
}

/* exec: caught signals go back to SIG_DFL (ignored ones stay ignored),
 * the alternate stack goes, and a sighand still shared with another
 * process (clone CLONE_SIGHAND without CLONE_THREAD) is unshared first. */
void flush_signal_handlers(struct task_struct *t)
{
	struct sighand_struct *old = t->sighand;
	unsigned long f;

	if (__atomic_load_n(&old->count, __ATOMIC_ACQUIRE) > 1) {
		struct sighand_struct *sh = sighand_alloc();
		if (sh) { /* on failure we carry on with the shared one */
			spin_lock(&tasklist_lock);
			f = spin_lock_irqsave(&old->siglock);
			memcpy(sh->action, old->action, sizeof(sh->action));
			t->sighand = sh;
			spin_unlock_irqrestore(&old->siglock, f);
			spin_unlock(&tasklist_lock);
			put_sighand(old);
		}
	}
	f = spin_lock_irqsave(&t->sighand->siglock);
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &t->sighand->action[i];
		if (ka->sa_handler != SIG_IGN)
			ka->sa_handler = SIG_DFL;
		ka->sa_flags = 0;
		ka->sa_mask.sig = 0;
	}
	/* Like Linux's child reaper, init ignores what it does not handle. */
	if (is_global_init(t))
		t->signal->flags |= SIGNAL_UNKILLABLE;
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
	t->sas_ss_flags = SS_DISABLE;
}

/* do_exit: from here on t takes no signals. Its own pending ones go,
 * group ones it could have taken go to another thread, and a group stop
 * waiting for it completes without it. */
void exit_signals(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;
	bool notify = false, group_dead = true;
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);

	t->flags |= PF_EXITING;
	flush_sigqueue(&t->pending);
	for (struct task_struct *o = next_thread(t); o != t; o = next_thread(o))
		if (!(o->flags & PF_EXITING))
			group_dead = false;
	if (!group_dead) {
		retarget_shared_pending(t, ~t->blocked.sig);
		notify = complete_group_stop(t);
	}
	clear_tsk_thread_flag(t, TIF_SIGPENDING); /* exit's own sleeps must not be cut short */
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	if (notify)
		do_notify_parent_cldstop(t, CLD_STOPPED);
	if (group_dead) {
		exit_itimers(sig);
		exit_posix_timers(sig);
	}
}

/* ---- sending ---- */

static bool sig_task_ignored(struct task_struct *t, int sig, bool force)
{
	void __user *handler = sig_handler(t, sig);

	/* SIGKILL and SIGSTOP never reach init. */
	if (is_global_init(t) && sig_kernel_only(sig))
		return true;
	if ((t->signal->flags & SIGNAL_UNKILLABLE) && handler == SIG_DFL &&
	    !(force && sig_kernel_only(sig)))
		return true;
	if (t->flags & PF_KTHREAD)
		return true; /* kernel threads take no signals */
	return sig_handler_ignored(handler, sig);
}

static bool sig_ignored(struct task_struct *t, int sig, bool force)
{
	/* A blocked signal is kept: the action may change before it is
	 * unblocked (real_blocked: blocked before sigtimedwait unblocked it). */
	if (sigismember(&t->blocked, sig) || sigismember(&t->real_blocked, sig))
		return false;
	return sig_task_ignored(t, sig, force);
}

/* Job control on the way in, then: is sig to be queued at all? */
static bool prepare_signal(int sig, struct task_struct *p, bool force)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t;

	if (signal->flags & SIGNAL_GROUP_EXIT)
		return false; /* the group is dying: nothing else matters */
	if (sig_kernel_stop(sig)) {
		/* A stop signal cancels a pending SIGCONT. */
		flush_group_mask(p, M(SIGCONT));
	} else if (sig == SIGCONT) {
		/* SIGCONT resumes the group even if it is ignored or blocked,
		 * and discards the pending stop signals. */
		flush_group_mask(p, SIG_KERNEL_STOP_MASK);
		t = p;
		do {
			wake_up_state(t, __TASK_STOPPED);
			t = next_thread(t);
		} while (t != p);
		int why = 0;
		if (signal->flags & SIGNAL_STOP_STOPPED)
			why = SIGNAL_CLD_CONTINUED;
		else if (signal->group_stop_count)
			why = SIGNAL_CLD_STOPPED; /* a stop in progress is cancelled */
		if (why) {
			signal->flags = (signal->flags & ~(SIGNAL_CLD_MASK | SIGNAL_STOP_STOPPED)) |
					why | SIGNAL_STOP_CONTINUED;
			signal->group_stop_count = 0;
			signal->cont_reported = false;
			/* Whichever thread passes get_signal first tells the parent. */
			t = p;
			do {
				set_tsk_thread_flag(t, TIF_SIGPENDING);
				t = next_thread(t);
			} while (t != p);
		}
	}
	return !sig_ignored(p, sig, force);
}

static bool wants_signal(int sig, struct task_struct *t)
{
	if (sigismember(&t->blocked, sig))
		return false;
	if (t->flags & PF_EXITING)
		return false;
	if (sig == SIGKILL)
		return true;
	if (t->state & __TASK_STOPPED)
		return false;
	return t == current || !signal_pending(t);
}

/* A signal was queued for p (or its group): pick a thread to handle it
 * and wake it; a fatal signal takes the whole group down at once. */
static void complete_signal(int sig, struct task_struct *p, bool group)
{
	struct signal_struct *signal = p->signal;
	struct task_struct *t;

	if (wants_signal(sig, p)) {
		t = p;
	} else if (!group) {
		return; /* blocked: it waits in t->pending */
	} else {
		for (t = next_thread(p); t != p; t = next_thread(t))
			if (wants_signal(sig, t))
				break;
		if (t == p)
			return; /* every thread blocks it (or has one pending already) */
	}
	if (sig_fatal(p, sig) && !(signal->flags & (SIGNAL_UNKILLABLE | SIGNAL_GROUP_EXIT)) &&
	    !sigismember(&t->real_blocked, sig) && !sig_kernel_coredump(sig)) {
		/* Start the group exit now: every thread gets SIGKILL. Core
		 * signals go through get_signal so the status has the core bit. */
		signal->flags = SIGNAL_GROUP_EXIT;
		signal->group_exit_code = sig;
		signal->group_stop_count = 0;
		t = p;
		do {
			sigaddset(&t->pending.signal, SIGKILL);
			signal_wake_up(t, true);
			t = next_thread(t);
		} while (t != p);
		return;
	}
	signal_wake_up(t, sig == SIGKILL);
}

/* Queue sig with its siginfo for thread t, or for t's group. siglock held. */
static int send_signal_locked(int sig, const siginfo_t *info, struct task_struct *t, bool group,
			      bool force)
{
	if (!prepare_signal(sig, t, force))
		return 0;
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	/* A standard signal already pending is not queued again. */
	if (sig < SIGRTMIN && sigismember(&pending->signal, sig))
		return 0;
	struct sigqueue *q = sigqueue_alloc(sig, t);
	if (q) {
		memcpy(q->info, info, sizeof(q->info));
		list_add_tail(&q->list, &pending->list);
	} else if (sig >= SIGRTMIN && info->si_code < 0) {
		return -EAGAIN; /* sigqueue/tkill of a real-time signal: queue full */
	}
	/* else: the signal still goes, without its siginfo */
	sigaddset(&pending->signal, sig);
	signalfd_notify(t);
	complete_signal(sig, t, group);
	return 0;
}

/* The sigqueue a POSIX timer keeps for its whole life: not counted
 * against RLIMIT_SIGPENDING while the timer owns it. */
struct sigqueue *posix_sigqueue_alloc(void)
{
	struct sigqueue *q = kzalloc(sizeof(*q));

	if (q) {
		INIT_LIST_HEAD(&q->list);
		q->flags = SIGQUEUE_PREALLOC;
	}
	return q;
}

/* The timer is deleted (by a thread of its group): a signal still pending
 * stays and is delivered, its sigqueue then freed as an ordinary one. */
void posix_sigqueue_free(struct sigqueue *q)
{
	unsigned long f = spin_lock_irqsave(&current->sighand->siglock);
	bool queued = !list_empty(&q->list);

	q->flags &= ~SIGQUEUE_PREALLOC;
	if (queued && sq_signo(q) >= SIGRTMIN)
		__atomic_add_fetch(&nr_rt_queued, 1, __ATOMIC_RELAXED); /* sigqueue_free takes it back */
	spin_unlock_irqrestore(&current->sighand->siglock, f);
	if (!queued)
		kfree(q);
}

int send_sigqueue(struct sigqueue *q, struct task_struct *t, bool group)
{
	struct sighand_struct *sh = t->sighand;
	int sig = sq_signo(q), ret = -1;
	siginfo_t *info = (siginfo_t *)q->info;

	if (!sh || !t->signal)
		return -1; /* released */
	unsigned long f = spin_lock_irqsave(&sh->siglock);
	if (group ? __atomic_load_n(&t->signal->nr_threads, __ATOMIC_ACQUIRE) <= 0
		  : (t->exit_state || (t->flags & PF_EXITING)))
		goto out;
	if (!list_empty(&q->list)) {
		if (info->timer.si_overrun < 0x7fffffff)
			info->timer.si_overrun++;
		ret = 1;
		goto out;
	}
	if (!prepare_signal(sig, t, false))
		goto out;
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	info->timer.si_overrun = 0;
	list_add_tail(&q->list, &pending->list);
	sigaddset(&pending->signal, sig);
	complete_signal(sig, t, group);
	ret = 0;
out:
	spin_unlock_irqrestore(&sh->siglock, f);
	return ret;
}

/* Send to thread t or to its group. The caller keeps t alive (holds
 * tasklist_lock, or a reference, with t not yet released). */
int do_send_sig_info(int sig, const siginfo_t *info, struct task_struct *t, bool group)
{
	struct sighand_struct *sh = t->sighand;
	int ret = 0;

	if (!sh || !t->signal)
		return 0; /* released */
	unsigned long f = spin_lock_irqsave(&sh->siglock);
	if (group ? __atomic_load_n(&t->signal->nr_threads, __ATOMIC_ACQUIRE) > 0
		  : !(t->exit_state || (t->flags & PF_EXITING)))
		ret = send_signal_locked(sig, info, t, group, false);
	spin_unlock_irqrestore(&sh->siglock, f);
	return ret;
}

void fill_kill_info(siginfo_t *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	if (code <= 0) { /* from a process: say which */
		info->kill.si_pid = current->tgid;
		info->kill.si_uid = current_uid();
	}
}

int send_sig(int sig, struct task_struct *t, int priv)
{
	siginfo_t info;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	fill_kill_info(&info, sig, priv ? SI_KERNEL : SI_USER);
	return do_send_sig_info(sig, &info, t, false);
}

int group_send_sig(int sig, struct task_struct *t)
{
	siginfo_t info;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	fill_kill_info(&info, sig, SI_KERNEL);
	return do_send_sig_info(sig, &info, t, true);
}

/* Every process of process group pgrp; tasklist_lock held. */
int __kill_pgrp_info(int sig, const siginfo_t *info, int pgrp)
{
	struct list_head *pos;
	bool success = false;
	int ret = -ESRCH;

	list_for_each(pos, &init_task.tasks) {
		struct task_struct *p = list_entry(pos, struct task_struct, tasks);
		if (!p->signal || p->signal->pgrp != pgrp)
			continue;
		int err = check_kill_permission(sig, info, p);
		if (!err && sig)
			err = do_send_sig_info(sig, info, p, true);
		success |= !err;
		ret = err;
	}
	return success ? 0 : ret;
}

int kill_pgrp(int pgrp, int sig)
{
	siginfo_t info;

	fill_kill_info(&info, sig, SI_KERNEL);
	spin_lock(&tasklist_lock);
	int ret = __kill_pgrp_info(sig, &info, pgrp);
	spin_unlock(&tasklist_lock);
	return ret;
}

/* Deliver a kernel-raised signal to current even if it is blocked or
 * ignored: both are undone (back to SIG_DFL), so a fault the program
 * cannot handle kills it, init included. */
static void force_sig_info(const siginfo_t *info)
{
	struct task_struct *t = current;
	int sig = info->si_signo;
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	struct k_sigaction *ka = &t->sighand->action[sig - 1];
	bool blocked = sigismember(&t->blocked, sig);

	if (blocked || ka->sa_handler == SIG_IGN) {
		ka->sa_handler = SIG_DFL;
		if (blocked) {
			sigdelset(&t->blocked, sig);
			recalc_sigpending_tsk(t);
		}
	}
	if (ka->sa_handler == SIG_DFL)
		t->signal->flags &= ~SIGNAL_UNKILLABLE;
	send_signal_locked(sig, info, t, false, true);
	spin_unlock_irqrestore(&t->sighand->siglock, f);
}

void force_sig(int sig)
{
	siginfo_t info;

	fill_kill_info(&info, sig, SI_KERNEL);
	force_sig_info(&info);
}

void force_sig_fault(int sig, int code, unsigned long addr, struct pt_regs *regs)
{
	struct task_struct *t = current;
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.fault.si_addr = addr;
	force_sig_info(&info);
	/* Say why a process is about to die of a fault it does not handle
	 * (Linux's show_unhandled_signals, rate-limited as there). */
	static struct ratelimit_state rs = RATELIMIT_STATE_INIT;
	if (sig_handler(t, sig) == SIG_DFL && ratelimit(&rs)) {
		if (sig == SIGSEGV)
			pr_err("%s[%d]: segfault at %lx pc %lx sp %lx (%s)\n", t->comm, t->pid, addr,
			       regs->epc, regs->sp, code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_MAPERR");
		else
			pr_err("%s[%d]: fatal signal %d (code %d) at pc %lx (addr %lx)\n", t->comm,
			       t->pid, sig, code, regs->epc, addr);
	}
}

/* A handler frame could not be written: die of SIGSEGV (a SIGSEGV
 * handler that cannot be entered must not be retried). */
void force_sigsegv(int sig)
{
	if (sig == SIGSEGV) {
		unsigned long f = spin_lock_irqsave(&current->sighand->siglock);
		current->sighand->action[SIGSEGV - 1].sa_handler = SIG_DFL;
		spin_unlock_irqrestore(&current->sighand->siglock, f);
	}
	force_sig(SIGSEGV);
}

void zap_other_threads(struct task_struct *p)
{
	unsigned long f = spin_lock_irqsave(&p->sighand->siglock);

	p->signal->group_stop_count = 0;
	p->signal->flags &= ~SIGNAL_STOP_STOPPED;
	for (struct task_struct *t = next_thread(p); t != p; t = next_thread(t)) {
		if (t->exit_state)
			continue;
		sigaddset(&t->pending.signal, SIGKILL);
		signal_wake_up(t, true);
	}
	spin_unlock_irqrestore(&p->sighand->siglock, f);
}

/* ---- telling the parent ---- */

static long ns_to_clock_t(u64 ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

/* Caller holds tasklist_lock; tsk is a group leader whose group is dead
 * (exit_code is its wait status). */
bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct task_struct *parent = tsk->parent;
	int code = tsk->exit_code;
	bool autoreap = false;
	siginfo_t info;

	if (tsk->signal)
		wake_up_all(&tsk->signal->wait_pidfd); /* Linux's do_notify_pidfd */
	if (!parent || !parent->sighand || !parent->signal)
		return true; /* nobody can wait for it */
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.chld.si_pid = tsk->tgid;
	const struct cred *tc = get_task_cred(tsk); /* tasklist_lock, before any siglock */
	info.chld.si_uid = tc->uid;
	put_cred(tc);
	if (tsk->signal) {
		info.chld.si_utime = ns_to_clock_t(tsk->signal->utime);
		info.chld.si_stime = ns_to_clock_t(tsk->signal->stime);
	}
	if (code & 0x7f) {
		info.si_code = (code & 0x80) ? CLD_DUMPED : CLD_KILLED;
		info.chld.si_status = code & 0x7f;
	} else {
		info.si_code = CLD_EXITED;
		info.chld.si_status = (code >> 8) & 0xff;
	}

	struct sighand_struct *psh = parent->sighand;
	unsigned long f = spin_lock_irqsave(&psh->siglock);
	struct k_sigaction *ka = &psh->action[SIGCHLD - 1];
	if (sig == SIGCHLD && (ka->sa_handler == SIG_IGN || (ka->sa_flags & SA_NOCLDWAIT))) {
		/* POSIX: the parent does not want zombies; SIG_IGN also means
		 * no SIGCHLD at all. */
		autoreap = true;
		if (ka->sa_handler == SIG_IGN)
			sig = 0;
	}
	if (sig > 0 && sig <= _NSIG)
		send_signal_locked(sig, &info, parent, true, false);
	wake_up_all(&parent->signal->wait_chldexit);
	spin_unlock_irqrestore(&psh->siglock, f);
	return autoreap;
}

/* CLD_STOPPED / CLD_CONTINUED for tsk's group. Takes tasklist_lock:
 * call with no siglock held. */
void do_notify_parent_cldstop(struct task_struct *tsk, int why)
{
	spin_lock(&tasklist_lock);
	struct task_struct *leader = tsk->group_leader;
	struct task_struct *parent = leader ? leader->parent : NULL;

	if (parent && parent->sighand && parent->signal) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGCHLD;
		info.si_code = why;
		info.chld.si_pid = tsk->tgid;
		info.chld.si_status = why == CLD_CONTINUED ? SIGCONT : tsk->signal->stop_signr;
		info.chld.si_utime = ns_to_clock_t(tsk->signal->utime + tsk->utime);
		info.chld.si_stime = ns_to_clock_t(tsk->signal->stime + tsk->stime);

		struct sighand_struct *psh = parent->sighand;
		unsigned long f = spin_lock_irqsave(&psh->siglock);
		struct k_sigaction *ka = &psh->action[SIGCHLD - 1];
		if (ka->sa_handler != SIG_IGN && !(ka->sa_flags & SA_NOCLDSTOP))
			send_signal_locked(SIGCHLD, &info, parent, true, false);
		wake_up_all(&parent->signal->wait_chldexit);
		spin_unlock_irqrestore(&psh->siglock, f);
	}
	spin_unlock(&tasklist_lock);
}
