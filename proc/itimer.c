/* Interval timers (Linux: kernel/time/itimer.c): ITIMER_REAL sends the
 * process SIGALRM once or every interval (glibc's alarm() uses it). One
 * per process, in signal_struct->real_timer; kept across exec, not fork.
 * As in Linux, a periodic timer is re-armed when its SIGALRM is dequeued,
 * not when it fires: an ignored or blocked SIGALRM, or a 1 us interval,
 * cannot turn into an interrupt storm that starves the hart. */
#include "proc/signal.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL

/* signal_struct->real_timer points at the timer inside one of these. */
struct real_itimer {
	struct timer timer;
	struct signal_struct *sig;
	struct task_struct *leader; /* gets SIGALRM; holds a reference while set */
	bool active;                /* armed by setitimer, not yet expired (one-shot) */
	int rearm;                  /* periodic, fired: re-arm when SIGALRM is dequeued */
};

/* Protects every real_itimer's leader and active, and signal_struct's
 * it_real_incr. The timer interrupt takes it (so always with interrupts
 * off); it nests outside siglock. timer_del waits for a running timer
 * function, which may want this lock: never call timer_del holding it. */
static DEFINE_SPINLOCK(itimer_lock);
/* Serializes setitimer calls, so arming and disarming never interleave.
 * Process context only; the timer function never takes it. */
static DEFINE_SPINLOCK(itimer_set_lock);

struct old_timeval {
	long tv_sec, tv_usec;
};
struct old_itimerval {
	struct old_timeval it_interval, it_value;
};

static struct real_itimer *real_of(struct signal_struct *sig)
{
	return sig->real_timer ? container_of(sig->real_timer, struct real_itimer, timer) : NULL;
}

/* The timer interrupt: SIGALRM to the process; a periodic timer waits
 * for the signal to be taken (itimer_dequeued) before it runs again. */
static void it_real_fn(struct timer *tm)
{
	struct real_itimer *it = tm->data;
	unsigned long f = spin_lock_irqsave(&itimer_lock);

	if (it->active && it->leader) {
		if (it->sig->it_real_incr)
			__atomic_store_n(&it->rearm, 1, __ATOMIC_RELEASE);
		else
			it->active = false; /* one-shot: getitimer reads 0 now */
		group_send_sig(SIGALRM, it->leader);
	}
	spin_unlock_irqrestore(&itimer_lock, f);
}

/* SIGALRM was dequeued (siglock held, so itimer_lock can't be taken):
 * re-arm a periodic timer at its next period after now (Linux:
 * dequeue_signal's hrtimer_forward). A setitimer racing with this
 * disarms afterwards or re-arms itself; a stale expiry finds !active. */
void itimer_dequeued(struct signal_struct *sig)
{
	struct real_itimer *it = real_of(sig);
	u64 incr = READ_ONCE(sig->it_real_incr);

	if (!it || !incr || !__atomic_exchange_n(&it->rearm, 0, __ATOMIC_ACQ_REL))
		return;
	u64 now = ktime_get_ns(), next = it->timer.expires + incr;
	if (next <= now) /* periods missed while the signal waited */
		next = now + incr - (now - it->timer.expires) % incr;
	timer_add(&it->timer, next);
}

static u64 timeval_to_ns(const struct old_timeval *tv)
{
	u64 sec = (u64)tv->tv_sec;

	if (sec >= (~0ULL / NSEC_PER_SEC) - 1)
		return ~0ULL - 1;
	return sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static void ns_to_timeval(u64 ns, struct old_timeval *tv)
{
	/* Round up to whole microseconds so a live timer never reads 0. */
	ns = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC * NSEC_PER_USEC;
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

/* Current value and interval; itimer_lock held. */
static void get_real(struct signal_struct *sig, struct old_itimerval *v)
{
	struct real_itimer *it = real_of(sig);
	u64 left = 0;

	memset(v, 0, sizeof(*v));
	if (it && it->active) {
		u64 now = ktime_get_ns();
		left = it->timer.expires > now ? it->timer.expires - now : NSEC_PER_USEC;
		ns_to_timeval(left, &v->it_value);
	}
	ns_to_timeval(sig->it_real_incr, &v->it_interval);
}

static bool timeval_valid(const struct old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static int do_setitimer_real(const struct old_itimerval *nv, struct old_itimerval *ov)
{
	struct signal_struct *sig = current->signal;
	struct real_itimer *it, *fresh = NULL;
	struct task_struct *drop;
	unsigned long f;

	if (!real_of(sig)) { /* first use: allocate before taking locks */
		fresh = kzalloc(sizeof(*fresh));
		if (!fresh)
			return -ENOMEM;
		timer_init(&fresh->timer, it_real_fn, fresh);
		fresh->sig = sig;
	}
	spin_lock(&itimer_set_lock);
	/* 1: take the old setting and stop the timer function from acting. */
	f = spin_lock_irqsave(&itimer_lock);
	it = real_of(sig);
	if (!it) {
		sig->real_timer = &fresh->timer;
		it = fresh;
		fresh = NULL;
	}
	if (ov)
		get_real(sig, ov);
	it->active = false;
	it->rearm = 0;
	drop = it->leader;
	it->leader = NULL;
	spin_unlock_irqrestore(&itimer_lock, f);
	/* 2: disarm; this waits if the function is running on another hart. */
	timer_del(&it->timer);
	/* 3: the new setting. */
	u64 value = timeval_to_ns(&nv->it_value);
	f = spin_lock_irqsave(&itimer_lock);
	sig->it_real_incr = value ? timeval_to_ns(&nv->it_interval) : 0;
	if (value) {
		it->leader = current->group_leader;
		get_task_struct(it->leader);
		it->active = true;
	}
	spin_unlock_irqrestore(&itimer_lock, f);
	if (value)
		timer_add(&it->timer, ktime_get_ns() + value);
	spin_unlock(&itimer_set_lock);
	if (drop)
		put_task_struct(drop);
	kfree(fresh);
	return 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct old_itimerval __user *, unew,
		struct old_itimerval __user *, uold)
{
	struct old_itimerval nv, ov;
	int err;

	if (which != ITIMER_REAL)
		return -EINVAL; /* ITIMER_VIRTUAL and ITIMER_PROF are not implemented */
	if (unew) {
		if (copy_from_user(&nv, unew, sizeof(nv)))
			return -EFAULT;
		if (!timeval_valid(&nv.it_value) || !timeval_valid(&nv.it_interval))
			return -EINVAL;
	} else {
		memset(&nv, 0, sizeof(nv)); /* Linux: a NULL new value disarms */
	}
	if ((err = do_setitimer_real(&nv, uold ? &ov : NULL)))
		return err;
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct old_itimerval __user *, uval)
{
	struct old_itimerval v;

	if (which != ITIMER_REAL)
		return -EINVAL;
	unsigned long f = spin_lock_irqsave(&itimer_lock);
	get_real(current->signal, &v);
	spin_unlock_irqrestore(&itimer_lock, f);
	return copy_to_user(uval, &v, sizeof(v)) ? -EFAULT : 0;
}

/* The last thread of the group is exiting: no more SIGALRM. */
void exit_itimers(struct signal_struct *sig)
{
	struct task_struct *drop = NULL;
	struct real_itimer *it;
	unsigned long f = spin_lock_irqsave(&itimer_lock);

	it = real_of(sig);
	if (it) {
		it->active = false;
		drop = it->leader;
		it->leader = NULL;
	}
	sig->it_real_incr = 0;
	spin_unlock_irqrestore(&itimer_lock, f);
	if (it)
		timer_del(&it->timer); /* after this its function is not running either */
	if (drop)
		put_task_struct(drop);
}

/* The signal_struct is being freed. */
void free_itimers(struct signal_struct *sig)
{
	struct real_itimer *it = real_of(sig);

	if (!it)
		return;
	exit_itimers(sig);
	sig->real_timer = NULL;
	kfree(it);
}
