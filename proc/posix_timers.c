/* POSIX per-process timers (Linux: kernel/time/posix-timers.c):
 * timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. A timer belongs to the thread group
 * (signal_struct->posix_timers) and signals through a sigqueue of its
 * own: while that signal is pending the timer is not re-armed, and the
 * periods missed meanwhile become si_overrun when it is taken. */
#include "proc/posix_timers.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

struct sigevent_k { /* struct sigevent, 64 bytes on riscv64 */
	u64 sigev_value;
	int sigev_signo;
	int sigev_notify;
	int sigev_notify_thread_id;
	int __pad[11];
};

struct timespec64 {
	s64 tv_sec, tv_nsec;
};
struct itimerspec64 {
	struct timespec64 it_interval, it_value;
};

void posix_timers_init(struct signal_struct *sig)
{
	spin_lock_init(&sig->posix_timers_set_lock);
	spin_lock_init(&sig->posix_timers_lock);
	INIT_LIST_HEAD(&sig->posix_timers);
}

/* Now on the timer's base. Wall clocks all count on the monotonic clock:
 * an absolute CLOCK_REALTIME expiry is converted when the timer is set
 * (a later clock_settime does not move it, unlike Linux). */
static u64 timer_clock_now(struct k_itimer *timr)
{
	if (timr->it_clock == CLOCK_PROCESS_CPUTIME_ID)
		return thread_group_sched_runtime(current);
	if (timr->it_clock == CLOCK_THREAD_CPUTIME_ID)
		return task_sched_runtime(timr->it_cpu_task);
	return ktime_get_ns();
}

/* Move an expired periodic timer's expiry past now; the periods moved. */
static u64 timer_forward(struct k_itimer *timr, u64 now)
{
	if (now < timr->it_expires)
		return 0;
	u64 n = (now - timr->it_expires) / timr->it_interval + 1;
	timr->it_expires += n * timr->it_interval;
	return n;
}

/* The expiry came (timer function or tick); posix_timers_lock held. */
void posix_timer_fire(struct k_itimer *timr, u64 now)
{
	bool group = !(timr->it_sigev_notify & SIGEV_THREAD_ID);

	timr->it_active = false;
	if (send_sigqueue(timr->sigq, timr->it_target, group) >= 0) {
		timr->it_requeue_pending = true;
		if (!timr->it_interval)
			timr->it_expires = 0;
		return;
	}
	if (!timr->it_interval) {
		timr->it_expires = 0;
		return;
	}
	/* Ignored: no delivery will re-arm it, so it re-arms here, at least
	 * a tick on (as Linux) so a fast ignored timer cannot flood the hart. */
	timer_forward(timr, now + (timr->it_interval < TICK_NSEC ? TICK_NSEC : 0));
	timr->it_active = true;
	if (!is_cpu_clock(timr->it_clock))
		timer_add(&timr->it_timer, timr->it_expires); /* our own: does not wait */
}

static void posix_timer_fn(struct timer *t)
{
	struct k_itimer *timr = t->data;
	unsigned long f = spin_lock_irqsave(&timr->it_signal->posix_timers_lock);

	if (timr->it_active)
		posix_timer_fire(timr, ktime_get_ns());
	spin_unlock_irqrestore(&timr->it_signal->posix_timers_lock, f);
}

/* posix_timers_lock held. */
static struct k_itimer *find_timer(struct signal_struct *sig, int id)
{
	struct list_head *pos;

	list_for_each(pos, &sig->posix_timers) {
		struct k_itimer *timr = list_entry(pos, struct k_itimer, it_list);
		if (timr->it_id == id)
			return timr;
	}
	return NULL;
}

void posixtimer_rearm(siginfo_t *info)
{
	struct signal_struct *sig = current->signal;
	bool arm = false;

	info->timer.si_sys_private = 0; /* the kernel's, not user space's */
	spin_lock(&sig->posix_timers_set_lock);
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	struct k_itimer *timr = find_timer(sig, info->timer.si_tid);
	if (timr && timr->it_requeue_pending) {
		u64 overrun = (u64)info->timer.si_overrun;
		timr->it_requeue_pending = false;
		if (timr->it_interval && timr->it_expires) {
			u64 n = timer_forward(timr, timer_clock_now(timr));
			overrun += n ? n - 1 : 0;
			timr->it_active = true;
			arm = !is_cpu_clock(timr->it_clock);
		}
		timr->it_overrun_last = (int)MIN(overrun, (u64)DELAYTIMER_MAX);
		info->timer.si_overrun = timr->it_overrun_last;
	}
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	if (arm) /* nothing else arms or frees it: we hold the set lock */
		timer_add(&timr->it_timer, timr->it_expires);
	spin_unlock(&sig->posix_timers_set_lock);
}

static u64 timespec_to_ns(const struct timespec64 *ts)
{
	if ((u64)ts->tv_sec >= (~0ULL >> 2) / NSEC_PER_SEC)
		return ~0ULL >> 2; /* far enough: never */
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

static void ns_to_timespec(u64 ns, struct timespec64 *ts)
{
	ts->tv_sec = (s64)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (s64)(ns % NSEC_PER_SEC);
}

static bool timespec_valid(const struct timespec64 *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (u64)ts->tv_nsec < NSEC_PER_SEC;
}

/* The time left and the interval; posix_timers_lock held. */
static void timer_get_locked(struct k_itimer *timr, struct itimerspec64 *cur)
{
	u64 left = 0;

	memset(cur, 0, sizeof(*cur));
	ns_to_timespec(timr->it_interval, &cur->it_interval);
	if (!timr->it_expires)
		return;
	bool sig_none = timr->it_sigev_notify == SIGEV_NONE;
	u64 now = timer_clock_now(timr), exp = timr->it_expires;
	if (timr->it_interval && now >= exp && (timr->it_requeue_pending || sig_none))
		exp += ((now - exp) / timr->it_interval + 1) * timr->it_interval;
	if (exp > now)
		left = exp - now;
	else if (!sig_none)
		left = 1; /* due, its signal not sent yet: still armed */
	ns_to_timespec(left, &cur->it_value);
}

static bool clock_supported(int clock, long *err)
{
	switch (clock) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
		return true;
	case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
		*err = -EOPNOTSUPP; /* clocks without timers (the alarm ones need an RTC alarm) */
		return false;
	}
	*err = -EINVAL;
	return false;
}

/* Linux's good_sigevent: the target of the signal, with a reference. */
static struct task_struct *sigevent_target(const struct sigevent_k *ev)
{
	struct task_struct *t = current->group_leader;

	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		spin_lock(&tasklist_lock);
		t = find_task_by_pid(ev->sigev_notify_thread_id);
		if (!t || t->tgid != current->tgid || (t->flags & PF_EXITING)) {
			spin_unlock(&tasklist_lock);
			return NULL;
		}
		get_task_struct(t);
		spin_unlock(&tasklist_lock);
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX) {
			put_task_struct(t);
			return NULL;
		}
		return t;
	case SIGEV_SIGNAL:
	case SIGEV_THREAD: /* glibc makes its own thread; here it is SIGEV_SIGNAL */
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX)
			return NULL;
		/* fallthrough */
	case SIGEV_NONE:
		get_task_struct(t);
		return t;
	}
	return NULL;
}

/* Not in the list any more, set lock held: stop it and free it. */
static void release_timer(struct k_itimer *timr)
{
	if (!is_cpu_clock(timr->it_clock))
		timer_del(&timr->it_timer); /* waits for its function */
	posix_sigqueue_free(timr->sigq);
	put_task_struct(timr->it_target);
	if (timr->it_cpu_task)
		put_task_struct(timr->it_cpu_task);
	kfree(timr);
}

/* Take it off the group's list, or NULL if there is no such timer. */
static struct k_itimer *unlink_timer(struct signal_struct *sig, int id)
{
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	struct k_itimer *timr = find_timer(sig, id);

	if (timr) {
		list_del(&timr->it_list);
		timr->it_active = false;
		sig->nr_posix_timers--;
		if (is_cpu_clock(timr->it_clock))
			sig->nr_cpu_timers--;
	}
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	return timr;
}

static int do_timer_delete(int id)
{
	struct signal_struct *sig = current->signal;

	spin_lock(&sig->posix_timers_set_lock);
	struct k_itimer *timr = unlink_timer(sig, id);
	if (timr)
		release_timer(timr);
	spin_unlock(&sig->posix_timers_set_lock);
	return timr ? 0 : -EINVAL;
}

/* Allocate, fill in and publish a timer; its id, or -errno. */
static long do_timer_create(int clock, struct task_struct *cpu_task, const struct sigevent_k *ev,
			    bool have_ev)
{
	struct signal_struct *sig = current->signal;
	struct k_itimer *timr = kzalloc(sizeof(*timr));
	struct sigqueue *q = posix_sigqueue_alloc();
	struct task_struct *target = sigevent_target(ev);

	if (!timr || !q || !target) {
		if (cpu_task)
			put_task_struct(cpu_task);
		kfree(timr);
		kfree(q);
		if (target)
			put_task_struct(target);
		return target ? -EAGAIN : -EINVAL;
	}
	timr->it_clock = clock;
	timr->it_sigev_notify = ev->sigev_notify;
	timr->it_signal = sig;
	timr->it_target = target;
	timr->sigq = q;
	timer_init(&timr->it_timer, posix_timer_fn, timr);
	timr->it_cpu_task = cpu_task;
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	if ((u64)sig->nr_posix_timers >= task_rlimit(current, RLIMIT_SIGPENDING)) {
		spin_unlock_irqrestore(&sig->posix_timers_lock, f);
		release_timer(timr);
		return -EAGAIN;
	}
	do /* ids count up from 0 and wrap, skipping live ones (Linux too) */
		timr->it_id = sig->next_posix_timer_id++ & 0x7fffffff;
	while (find_timer(sig, timr->it_id));
	siginfo_t info = { .si_signo = ev->sigev_signo, .si_code = SI_TIMER };
	info.timer.si_tid = timr->it_id;
	info.timer.si_value = have_ev ? ev->sigev_value : (u64)timr->it_id;
	info.timer.si_sys_private = 1; /* dequeue_signal: call posixtimer_rearm */
	memcpy(q->info, &info, sizeof(info));
	list_add_tail(&timr->it_list, &sig->posix_timers);
	sig->nr_posix_timers++;
	if (is_cpu_clock(clock))
		sig->nr_cpu_timers++;
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	return timr->it_id;
}

SYSCALL_DEFINE3(timer_create, int, clock, const struct sigevent_k __user *, uev,
		int __user *, uid)
{
	struct sigevent_k ev = { .sigev_signo = SIGALRM, .sigev_notify = SIGEV_SIGNAL };
	struct task_struct *cpu_task = NULL;
	long err;

	if (uev && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	if (clock < 0 && (clock = decode_cpu_clock(clock, &cpu_task)) < 0)
		return clock;
	if (!clock_supported(clock, &err))
		return err;
	if (clock == CLOCK_THREAD_CPUTIME_ID && !cpu_task) {
		cpu_task = current;
		get_task_struct(current);
	}
	long id = do_timer_create(clock, cpu_task, &ev, uev != NULL);
	if (id < 0)
		return id;
	if (put_user((int)id, uid)) {
		do_timer_delete((int)id);
		return -EFAULT;
	}
	return 0;
}

/* Disarm, then arm with *nv; the old setting in *ov. */
static long do_timer_settime(int id, int flags, const struct itimerspec64 *nv,
			     struct itimerspec64 *ov)
{
	struct signal_struct *sig = current->signal;
	unsigned long f;

	spin_lock(&sig->posix_timers_set_lock);
	f = spin_lock_irqsave(&sig->posix_timers_lock);
	struct k_itimer *timr = find_timer(sig, id);
	if (!timr) {
		spin_unlock_irqrestore(&sig->posix_timers_lock, f);
		spin_unlock(&sig->posix_timers_set_lock);
		return -EINVAL;
	}
	if (ov)
		timer_get_locked(timr, ov);
	timr->it_active = timr->it_requeue_pending = false; /* a pending signal re-arms nothing */
	timr->it_expires = 0;
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	if (!is_cpu_clock(timr->it_clock))
		timer_del(&timr->it_timer); /* outside the lock its function takes */

	u64 value = timespec_to_ns(&nv->it_value);
	f = spin_lock_irqsave(&sig->posix_timers_lock);
	timr->it_interval = timespec_to_ns(&nv->it_interval);
	timr->it_overrun_last = 0;
	if (value) {
		u64 exp = value;
		if (!(flags & TIMER_ABSTIME))
			exp += timer_clock_now(timr);
		else if (timr->it_clock == CLOCK_REALTIME || timr->it_clock == CLOCK_TAI)
			exp = real_to_mono_ns(value);
		timr->it_expires = exp ? exp : 1;
		timr->it_active = timr->it_sigev_notify != SIGEV_NONE; /* NONE: only read back */
	}
	bool arm = timr->it_active && !is_cpu_clock(timr->it_clock);
	u64 exp = timr->it_expires;
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	if (arm)
		timer_add(&timr->it_timer, exp);
	spin_unlock(&sig->posix_timers_set_lock);
	return 0;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, const struct itimerspec64 __user *, unew,
		struct itimerspec64 __user *, uold)
{
	struct itimerspec64 nv, ov;
	long err;

	if (!unew)
		return -EINVAL;
	if (copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval))
		return -EINVAL;
	if ((err = do_timer_settime(id, flags, &nv, uold ? &ov : NULL)))
		return err;
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, int, id, struct itimerspec64 __user *, ucur)
{
	struct signal_struct *sig = current->signal;
	struct itimerspec64 cur;
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	struct k_itimer *timr = find_timer(sig, id);

	if (timr)
		timer_get_locked(timr, &cur);
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	if (!timr)
		return -EINVAL;
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct signal_struct *sig = current->signal;
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	struct k_itimer *timr = find_timer(sig, id);
	long ret = timr ? timr->it_overrun_last : -EINVAL;

	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
	return ret;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	return do_timer_delete(id);
}

/* exec, or the last thread exits: every timer goes (a thread of the group
 * calls it; the group's sighand is still there). */
void exit_posix_timers(struct signal_struct *sig)
{
	spin_lock(&sig->posix_timers_set_lock);
	for (;;) {
		unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
		int id = list_empty(&sig->posix_timers) ? -1
			 : list_first_entry(&sig->posix_timers, struct k_itimer, it_list)->it_id;
		spin_unlock_irqrestore(&sig->posix_timers_lock, f);
		if (id < 0)
			break;
		release_timer(unlink_timer(sig, id));
	}
	spin_unlock(&sig->posix_timers_set_lock);
}
