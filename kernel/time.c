/* Sleeping system calls. Until the scheduler has wait queues and timers,
 * a sleeper waits in wfi, woken by its hart's tick (or any interrupt),
 * and re-checks the clock: a missing timer interrupt would hang it. */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "arch/riscv/csr.h"

struct timespec64 {
	s64 tv_sec, tv_nsec;
};

#define TIMER_ABSTIME 1
#define NSEC_PER_SEC 1000000000L

static long sleep_until(u64 deadline_ns)
{
	while (ktime_get_ns() < deadline_ns) {
		local_irq_enable();
		wait_for_interrupt();
	}
	return 0;
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

	(void)urem; /* never interrupted: no signals yet */
	if (err)
		return err;
	return sleep_until(ktime_get_ns() + (u64)t.tv_sec * NSEC_PER_SEC + (u64)t.tv_nsec);
}

/* Every clock reads the same counter since boot (see clock_gettime). */
SYSCALL_DEFINE4(clock_nanosleep, int, id, int, flags, const struct timespec64 __user *, ureq,
		struct timespec64 __user *, urem)
{
	struct timespec64 t;
	long err;

	(void)urem;
	if (id < 0 || id > 7 || id == 2 || id == 3)
		return -EINVAL; /* CPU-time clocks cannot be slept on here */
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if ((err = get_timespec(ureq, &t)))
		return err;
	u64 ns = (u64)t.tv_sec * NSEC_PER_SEC + (u64)t.tv_nsec;
	return sleep_until(flags & TIMER_ABSTIME ? ns : ktime_get_ns() + ns);
}
