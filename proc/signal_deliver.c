/* Signals, the taking side: dequeueing the next signal, get_signal and the
 * default actions, group stop, blocked masks around a handler, and the
 * alternate signal stack. */
#include "proc/signal.h"
#include "proc/exit.h"
#include "proc/sched.h"
#include "proc/wait.h"
#include "kernel/errno.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/signal_internal.h"

#define SS_FLAG_BITS SS_AUTODISARM

/* ---- group stop ---- */

/* Threads of p's group still to stop (not stopped, not exiting). siglock held. */
static int count_unstopped(struct task_struct *p)
{
	struct task_struct *t = p;
	int n = 0;

	do {
		if (!(t->flags & PF_EXITING) && !t->exit_state && !(READ_ONCE(t->state) & __TASK_STOPPED))
			n++;
		t = next_thread(t);
	} while (t != p);
	return n;
}

/* The group has all stopped if nobody is left: mark it and say whether
 * the parent must hear of it. siglock held. */
bool complete_group_stop(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	if (sig->group_stop_count == 0)
		return false;
	sig->group_stop_count = count_unstopped(p);
	if (sig->group_stop_count > 0)
		return false;
	sig->flags = (sig->flags & ~SIGNAL_STOP_CONTINUED) | SIGNAL_STOP_STOPPED;
	sig->stop_reported = false;
	return true;
}

/*
 * Stop current for a group stop: signr starts one (a stop signal was
 * dequeued), 0 just takes part in one in progress. Called with siglock
 * held (flags from spin_lock_irqsave); returns true after sleeping in
 * TASK_STOPPED with the lock dropped, false (lock still held) if there is
 * no stop to take part in.
 */
static bool do_signal_stop(int signr, unsigned long flags)
{
	struct task_struct *t = current;
	struct signal_struct *sig = t->signal;

	if (signr && !stop_in_effect(sig)) {
		sig->stop_signr = signr;
		sig->group_stop_count = sig->nr_threads > 0 ? sig->nr_threads : 1;
		for (struct task_struct *o = next_thread(t); o != t; o = next_thread(o))
			if (!(o->flags & PF_EXITING) && !o->exit_state)
				signal_wake_up(o, false);
	}
	if (!stop_in_effect(sig))
		return false;
	set_current_state(TASK_STOPPED);
	bool notify = complete_group_stop(t);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	if (notify)
		do_notify_parent_cldstop(t, CLD_STOPPED);
	/* SIGCONT (wake_up_state __TASK_STOPPED) or SIGKILL wakes us. */
	schedule();
	return true;
}

/* ---- taking a signal ---- */

static int next_signal(const struct sigpending *pending, const sigset_t *mask)
{
	unsigned long x = pending->signal.sig & ~mask->sig;

	if (!x)
		return 0;
	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	/* The lowest-numbered (no ctz instruction without Zbb, nor libgcc). */
	int sig = 1;
	while (!(x & 1)) {
		x >>= 1;
		sig++;
	}
	return sig;
}

/* Take one instance of sig off pending (its siginfo into *info). */
static void collect_signal(int sig, struct sigpending *pending, siginfo_t *info)
{
	struct sigqueue *first = NULL;
	bool more = false;
	struct list_head *pos;

	list_for_each(pos, &pending->list) {
		struct sigqueue *q = list_entry(pos, struct sigqueue, list);
		if (sq_signo(q) != sig)
			continue;
		if (first) {
			more = true; /* another real-time instance stays queued */
			break;
		}
		first = q;
	}
	if (!more)
		sigdelset(&pending->signal, sig);
	if (first) {
		list_del(&first->list);
		memcpy(info, first->info, sizeof(*info));
		sigqueue_free(first);
	} else { /* queued without siginfo (no memory, or by the kernel) */
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
}

/* The next pending signal of t not in mask: its own first, then its
 * group's. siglock held; returns 0 if there is none. */
int dequeue_signal(struct task_struct *t, const sigset_t *mask, siginfo_t *info)
{
	int sig = next_signal(&t->pending, mask);

	if (sig) {
		collect_signal(sig, &t->pending, info);
	} else {
		sig = next_signal(&t->signal->shared_pending, mask);
		if (sig)
			collect_signal(sig, &t->signal->shared_pending, info);
	}
	recalc_sigpending_tsk(t);
	if (sig == SIGALRM)
		itimer_dequeued(t->signal);
	if (sig && info->si_code == SI_TIMER && info->timer.si_sys_private) {
		/* A POSIX timer's: it re-arms now (Linux's posixtimer_rearm),
		 * outside siglock, which its timer function takes. */
		preempt_disable();
		spin_unlock(&t->sighand->siglock);
		posixtimer_rearm(info);
		spin_lock(&t->sighand->siglock);
		preempt_enable_no_resched();
	}
	return sig;
}

bool get_signal(struct ksignal *ksig)
{
	struct task_struct *t = current;
	struct sighand_struct *sighand = t->sighand;
	struct signal_struct *signal = t->signal;
	unsigned long flags;
	int signr;

relock:
	flags = spin_lock_irqsave(&sighand->siglock);
	if (signal->flags & SIGNAL_CLD_MASK) {
		/* A SIGCONT resumed (or cancelled a stop of) this group. */
		int why = (signal->flags & SIGNAL_CLD_CONTINUED) ? CLD_CONTINUED : CLD_STOPPED;
		signal->flags &= ~SIGNAL_CLD_MASK;
		spin_unlock_irqrestore(&sighand->siglock, flags);
		do_notify_parent_cldstop(t, why);
		goto relock;
	}
	for (;;) {
		if (signal->flags & SIGNAL_GROUP_EXIT) {
			/* Another thread (or a fatal signal) ends the group. */
			int code = signal->group_exit_code;
			spin_unlock_irqrestore(&sighand->siglock, flags);
			do_group_exit(code);
		}
		if (stop_in_effect(signal) && do_signal_stop(0, flags))
			goto relock;

		signr = dequeue_signal(t, &t->blocked, &ksig->info);
		if (!signr)
			break;
		struct k_sigaction *ka = &sighand->action[signr - 1];
		if (ka->sa_handler == SIG_IGN)
			continue;
		if (ka->sa_handler != SIG_DFL) {
			ksig->ka = *ka;
			if (ka->sa_flags & SA_RESETHAND)
				ka->sa_handler = SIG_DFL;
			break;
		}
		/* The default action. */
		if (sig_kernel_ignore(signr))
			continue;
		if ((signal->flags & SIGNAL_UNKILLABLE) && !sig_kernel_only(signr))
			continue; /* init: no handler, no effect */
		if (sig_kernel_stop(signr)) {
			if (do_signal_stop(signr, flags))
				goto relock;
			continue;
		}
		/* Terminate. For the core signals Linux sets the wait status's
		 * core bit (0x80) when it wrote a core file; we write none, but
		 * report one wherever RLIMIT_CORE would have allowed it, so the
		 * default limit of 0 gives what Linux gives. A SIGKILL without a
		 * group exit came from another thread's exec (zap_other_threads):
		 * only this thread goes. */
		bool alone = signr == SIGKILL && signal->nr_threads > 1;
		int code = signr;
		if (sig_kernel_coredump(signr) && task_rlimit(t, RLIMIT_CORE) != 0)
			code |= 0x80;
		spin_unlock_irqrestore(&sighand->siglock, flags);
		if (alone)
			do_exit(SIGKILL);
		do_group_exit(code);
	}
	spin_unlock_irqrestore(&sighand->siglock, flags);
	ksig->sig = signr;
	return signr > 0;
}

/* Retarget group signals in `which` that t stops taking (it blocks them,
 * or it exits) to threads that take them. siglock held. */
void retarget_shared_pending(struct task_struct *t, unsigned long which)
{
	which &= t->signal->shared_pending.signal.sig;
	for (struct task_struct *o = next_thread(t); which && o != t; o = next_thread(o)) {
		if (o->flags & PF_EXITING)
			continue;
		if (!(which & ~o->blocked.sig))
			continue;
		which &= o->blocked.sig; /* those o will take */
		if (!signal_pending(o))
			signal_wake_up(o, false);
	}
}

void __set_task_blocked(struct task_struct *t, const sigset_t *newset)
{
	unsigned long newly = newset->sig & ~t->blocked.sig;

	if (newly)
		retarget_shared_pending(t, newly);
	t->blocked = *newset;
	recalc_sigpending_tsk(t);
}

void set_current_blocked(const sigset_t *newset)
{
	sigset_t n = { newset->sig & ~SIG_KERNEL_ONLY_MASK };
	unsigned long f = spin_lock_irqsave(&current->sighand->siglock);

	__set_task_blocked(current, &n);
	spin_unlock_irqrestore(&current->sighand->siglock, f);
}

sigset_t *sigmask_to_save(void)
{
	return current->restore_sigmask ? &current->saved_sigmask : &current->blocked;
}

void restore_saved_sigmask(void)
{
	if (current->restore_sigmask) {
		current->restore_sigmask = false;
		set_current_blocked(&current->saved_sigmask);
	}
}

/* The handler frame is in place: block sa_mask and the signal itself
 * (unless SA_NODEFER) while the handler runs. */
static void signal_delivered(struct ksignal *ksig)
{
	sigset_t blocked;

	current->restore_sigmask = false; /* the frame holds the mask to restore */
	blocked.sig = current->blocked.sig | ksig->ka.sa_mask.sig;
	if (!(ksig->ka.sa_flags & SA_NODEFER))
		sigaddset(&blocked, ksig->sig);
	set_current_blocked(&blocked);
}

void signal_setup_done(int failed, struct ksignal *ksig)
{
	if (failed)
		force_sigsegv(ksig->sig);
	else
		signal_delivered(ksig);
}

/* ---- the alternate signal stack ---- */

bool on_sig_stack(unsigned long sp)
{
	struct task_struct *t = current;

	if (t->sas_ss_flags & SS_AUTODISARM)
		return false; /* disarmed on entry: nested signals may use it again */
	return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

void save_altstack(stack_t *ss, unsigned long sp)
{
	struct task_struct *t = current;

	(void)sp;
	ss->ss_sp = (void __user *)t->sas_ss_sp;
	ss->ss_flags = t->sas_ss_size ? (int)t->sas_ss_flags : SS_DISABLE;
	ss->ss_size = t->sas_ss_size;
	if (t->sas_ss_flags & SS_AUTODISARM) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = SS_DISABLE;
	}
}

int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	struct task_struct *t = current;

	if (oss) {
		oss->ss_sp = (void __user *)t->sas_ss_sp;
		oss->ss_size = t->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) | (int)(t->sas_ss_flags & SS_FLAG_BITS);
	}
	if (ss) {
		unsigned long ss_sp = (unsigned long)ss->ss_sp;
		size_t ss_size = ss->ss_size;
		unsigned int ss_flags = (unsigned int)ss->ss_flags;
		unsigned int ss_mode = ss_flags & ~SS_FLAG_BITS;

		if (on_sig_stack(sp))
			return -EPERM; /* cannot change the stack we are running on */
		if (ss_mode != SS_DISABLE && ss_mode != SS_ONSTACK && ss_mode != 0)
			return -EINVAL;
		if (ss_mode == SS_DISABLE) {
			ss_sp = 0;
			ss_size = 0;
		} else if (ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->sas_ss_sp = ss_sp;
		t->sas_ss_size = ss_size;
		t->sas_ss_flags = ss_flags;
	}
	return 0;
}
