/* Sleeping system calls: the task sleeps (schedule_timeout) until a
 * per-hart timer wakes it, or a signal does (-EINTR, time left in rem). */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/uaccess.h"
#include "proc/sched.h"

struct timespec64 {
	s64 tv_sec, tv_nsec;
};

#define TIMER_ABSTIME 1
#define NSEC_PER_SEC 1000000000L

static long sleep_until(u64 deadline_ns, struct timespec64 __user *urem)
{
	for (;;) {
		u64 now = ktime_get_ns();
		if (now >= deadline_ns)
			return 0;
		schedule_timeout(deadline_ns - now, TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			now = ktime_get_ns();
			u64 left = deadline_ns > now ? deadline_ns - now : 0;
			struct timespec64 r = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
			if (urem && copy_to_user(urem, &r, sizeof(r)))
				return -EFAULT;
			return -EINTR;
		}
	}
}

static long get_timespec(const struct timespec64 __user *u, struct timespec64 *t)
{
	if (copy_from_user(t, u, sizeof(*t)))
		return -EFAULT;
	if (t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE2(nanosleep, const struct timespec64 __user *, ureq, struct timespec64 __user *, urem)
{
	struct timespec64 t;
	long err = get_timespec(ureq, &t);

	if (err)
		return err;
	return sleep_until(ktime_get_ns() + (u64)t.tv_sec * NSEC_PER_SEC + (u64)t.tv_nsec, urem);
}

/* Every clock reads the counter since boot; an absolute real-time
 * deadline is converted at the current offset (kernel/timekeeping.h). */
SYSCALL_DEFINE4(clock_nanosleep, int, id, int, flags, const struct timespec64 __user *, ureq,
		struct timespec64 __user *, urem)
{
	struct timespec64 t;
	long err;

	if (id < 0 || id > 7 || id == 2 || id == 3)
		return -EINVAL; /* CPU-time clocks cannot be slept on here */
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if ((err = get_timespec(ureq, &t)))
		return err;
	u64 ns = (u64)t.tv_sec * NSEC_PER_SEC + (u64)t.tv_nsec;
	if (flags & TIMER_ABSTIME)
		return sleep_until(id == 0 || id == 5 ? real_to_mono_ns(ns) : ns, NULL); /* REALTIME(_COARSE) */
	return sleep_until(ktime_get_ns() + ns, urem);
}
