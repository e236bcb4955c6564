/* timerfd (Linux: fs/timerfd.c): a timer behind a descriptor. Each
 * expiry adds one to a count that read returns (and zeroes) and poll
 * reports as readable; interval timers re-arm themselves, counting the
 * periods that passed. Timers run on the monotonic clock (kernel/timer.h):
 * CLOCK_BOOTTIME is the same clock here (no suspend); an absolute
 * CLOCK_REALTIME time becomes a monotonic one at the current offset, and
 * a clock change moves it (timerfd_clock_was_set). */
#include "kernel/fs/timerfd.h"
#include "kernel/fs/anon_inodes.h"
#include "kernel/fs/select.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK
#define NSEC_PER_SEC 1000000000ULL

struct itimerspec64 {
	struct kernel_timespec it_interval, it_value;
};

struct timerfd_ctx {
	struct timer t;
	int clockid;
	struct mutex settime_mutex;  /* serializes arming: only settime arms t */
	spinlock_t lock;             /* protects expires, interval, ticks (t fires in an interrupt) */
	u64 expires;                 /* monotonic ns of the next expiry; 0: disarmed */
	u64 interval;                /* ns; 0: one-shot */
	u64 ticks;                   /* expiries not yet read */
	s64 offs;                    /* CLOCK_REALTIME - CLOCK_MONOTONIC that expires was made with */
	bool might_cancel;           /* TFD_TIMER_CANCEL_ON_SET */
	bool canceled;               /* the clock was set since: the next read is -ECANCELED */
	struct list_head rt_link;    /* on timerfd_rt_list: absolute on CLOCK_REALTIME */
	wait_queue_head_t wqh;
};

/* Absolute CLOCK_REALTIME timerfds, which a clock change concerns. */
static LIST_HEAD(timerfd_rt_list);
static DEFINE_MUTEX(timerfd_rt_mutex); /* protects timerfd_rt_list and every rt_link;
					* taken before a ctx's settime_mutex */

static const struct file_operations timerfd_fops;

/* Expiry (interrupt context): count it and every period that has passed
 * too, and re-arm for the next one still ahead. */
static void timerfd_fn(struct timer *t)
{
	struct timerfd_ctx *ctx = t->data;
	unsigned long f = spin_lock_irqsave(&ctx->lock);
	u64 now = ktime_get_ns();

	if (!ctx->interval) {
		ctx->ticks++;
		ctx->expires = 0;
	} else {
		u64 n = (now - ctx->expires) / ctx->interval + 1;
		ctx->ticks += n;
		ctx->expires += n * ctx->interval;
		timer_add(&ctx->t, ctx->expires);
	}
	spin_unlock_irqrestore(&ctx->lock, f);
	wake_up_poll(&ctx->wqh, POLLIN);
}

/* The expiries to report (0: none yet); a clock change since a
 * TFD_TIMER_CANCEL_ON_SET setting is reported once instead. */
static u64 timerfd_take_ticks(struct timerfd_ctx *ctx, bool *canceled)
{
	unsigned long f = spin_lock_irqsave(&ctx->lock);
	u64 n = ctx->ticks;

	*canceled = ctx->canceled;
	ctx->canceled = false;
	ctx->ticks = 0;
	spin_unlock_irqrestore(&ctx->lock, f);
	return n;
}

static ssize_t timerfd_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct timerfd_ctx *ctx = f->private_data;
	bool canceled;
	u64 n;

	(void)pos;
	if (to->count < sizeof(n))
		return -EINVAL;
	while (!(n = timerfd_take_ticks(ctx, &canceled))) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wqh, READ_ONCE(ctx->ticks) != 0);
		if (err)
			return err;
	}
	if (canceled)
		return -ECANCELED;
	return copy_to_iter(&n, sizeof(n), to) == sizeof(n) ? (ssize_t)sizeof(n) : -EFAULT;
}

static __poll_t timerfd_poll(struct file *f, poll_table *pt)
{
	struct timerfd_ctx *ctx = f->private_data;

	poll_wait(f, &ctx->wqh, pt);
	return READ_ONCE(ctx->ticks) ? POLLIN | POLLRDNORM : 0;
}

static int timerfd_release(struct inode *inode, struct file *f)
{
	struct timerfd_ctx *ctx = f->private_data;

	(void)inode;
	if (ctx->clockid == CLOCK_REALTIME) {
		mutex_lock(&timerfd_rt_mutex);
		list_del_init(&ctx->rt_link);
		mutex_unlock(&timerfd_rt_mutex);
	}
	timer_del(&ctx->t); /* waits if it is running on another hart */
	kfree(ctx);
	return 0;
}

static const struct file_operations timerfd_fops = {
	.read_iter = timerfd_read,
	.poll = timerfd_poll,
	.release = timerfd_release,
};

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC && clockid != CLOCK_BOOTTIME)
		return -EINVAL;
	struct timerfd_ctx *ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	timer_init(&ctx->t, timerfd_fn, ctx);
	ctx->clockid = clockid;
	mutex_init(&ctx->settime_mutex);
	spin_lock_init(&ctx->lock);
	INIT_LIST_HEAD(&ctx->rt_link);
	init_waitqueue_head(&ctx->wqh);
	int fd = anon_inode_getfd("[timerfd]", &timerfd_fops, ctx, O_RDWR | (unsigned int)flags);
	if (fd < 0)
		kfree(ctx);
	return fd;
}

/* ---- settime / gettime ----------------------------------------------------- */

static bool timespec_valid(const struct kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC_PER_SEC;
}

static u64 timespec_to_ns(const struct kernel_timespec *ts)
{
	if ((u64)ts->tv_sec >= (~0ULL >> 2) / NSEC_PER_SEC)
		return ~0ULL >> 2; /* centuries: practically never */
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

static struct kernel_timespec ns_to_timespec(u64 ns)
{
	return (struct kernel_timespec){ (s64)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
}

/* The setting now: time left and interval (ctx->lock held). */
static struct itimerspec64 timerfd_current(struct timerfd_ctx *ctx)
{
	u64 now = ktime_get_ns(), left = 0;

	if (ctx->expires)
		left = ctx->expires > now ? ctx->expires - now : 1; /* due: 1 ns, never "disarmed" */
	return (struct itimerspec64){ ns_to_timespec(ctx->interval), ns_to_timespec(left) };
}

/* The file behind fd if it is a timerfd (a reference), or an ERR_PTR. */
static struct file *timerfd_fget(int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &timerfd_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* The monotonic expiry a setting asks for (ctx->offs: the realtime
 * offset to use); 0 disarms. */
static u64 timerfd_deadline(struct timerfd_ctx *ctx, int flags, const struct kernel_timespec *v)
{
	u64 ns = timespec_to_ns(v);

	if (!ns)
		return 0;
	if (!(flags & TFD_TIMER_ABSTIME))
		return ktime_get_ns() + ns;
	if (ctx->clockid == CLOCK_REALTIME) {
		s64 mono = (s64)ns - ctx->offs;
		return mono > 0 ? (u64)mono : 1; /* already past: expires at once */
	}
	return ns;
}

/* Arm or disarm (settime_mutex held, t not running). */
static void timerfd_setup(struct timerfd_ctx *ctx, int flags, const struct itimerspec64 *new,
			  struct itimerspec64 *old)
{
	unsigned long fl = spin_lock_irqsave(&ctx->lock);

	*old = timerfd_current(ctx);
	ctx->ticks = 0;
	ctx->canceled = false;
	ctx->might_cancel = ctx->clockid == CLOCK_REALTIME && (flags & TFD_TIMER_ABSTIME) &&
			    (flags & TFD_TIMER_CANCEL_ON_SET);
	ctx->offs = ktime_realtime_offset();
	ctx->interval = timespec_to_ns(&new->it_interval);
	ctx->expires = timerfd_deadline(ctx, flags, &new->it_value);
	if (ctx->expires)
		timer_add(&ctx->t, ctx->expires);
	spin_unlock_irqrestore(&ctx->lock, fl);
}

static long do_timerfd_settime(int fd, int flags, const struct itimerspec64 *new,
			       struct itimerspec64 *old)
{
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (!timespec_valid(&new->it_value) || !timespec_valid(&new->it_interval))
		return -EINVAL;
	struct file *f = timerfd_fget(fd);
	if (IS_ERR(f))
		return PTR_ERR(f);
	struct timerfd_ctx *ctx = f->private_data;
	bool rt = ctx->clockid == CLOCK_REALTIME;
	if (rt) {
		/* On the list before the offset is read: a clock change
		 * either finds it there or is seen in the offset. */
		mutex_lock(&timerfd_rt_mutex);
		if (list_empty(&ctx->rt_link))
			list_add(&ctx->rt_link, &timerfd_rt_list);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	mutex_lock(&ctx->settime_mutex);
	timer_del(&ctx->t); /* outside ctx->lock: its function takes that */
	timerfd_setup(ctx, flags, new, old);
	mutex_unlock(&ctx->settime_mutex);
	if (rt) {
		if (!(flags & TFD_TIMER_ABSTIME))
			list_del_init(&ctx->rt_link);
		mutex_unlock(&timerfd_rt_mutex);
	}
	fput(f);
	return 0;
}

/* Move one timer to the new offset (timerfd_rt_mutex held). */
static void timerfd_rebase(struct timerfd_ctx *ctx, s64 offs)
{
	mutex_lock(&ctx->settime_mutex);
	timer_del(&ctx->t);
	unsigned long fl = spin_lock_irqsave(&ctx->lock);
	if (ctx->expires) {
		s64 e = (s64)ctx->expires + ctx->offs - offs;
		ctx->expires = e > 0 ? (u64)e : 1;
		timer_add(&ctx->t, ctx->expires);
	}
	bool cancel = ctx->might_cancel && ctx->offs != offs;
	if (cancel) {
		ctx->canceled = true;
		ctx->ticks++; /* readable, so the reader learns of it */
	}
	ctx->offs = offs;
	spin_unlock_irqrestore(&ctx->lock, fl);
	mutex_unlock(&ctx->settime_mutex);
	if (cancel)
		wake_up_poll(&ctx->wqh, POLLIN);
}

void timerfd_clock_was_set(void)
{
	struct list_head *p;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new offset is out before this look */
	if (READ_ONCE(timerfd_rt_list.next) == &timerfd_rt_list)
		return; /* none (always so at boot, before the scheduler) */
	mutex_lock(&timerfd_rt_mutex);
	s64 offs = ktime_realtime_offset();
	list_for_each(p, &timerfd_rt_list)
		timerfd_rebase(list_entry(p, struct timerfd_ctx, rt_link), offs);
	mutex_unlock(&timerfd_rt_mutex);
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, const struct itimerspec64 __user *, utmr,
		struct itimerspec64 __user *, otmr)
{
	struct itimerspec64 new, old;

	if (copy_from_user(&new, utmr, sizeof(new)))
		return -EFAULT;
	long ret = do_timerfd_settime(fd, flags, &new, &old);
	if (!ret && otmr && copy_to_user(otmr, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, struct itimerspec64 __user *, otmr)
{
	struct file *f = timerfd_fget(fd);

	if (IS_ERR(f))
		return PTR_ERR(f);
	struct timerfd_ctx *ctx = f->private_data;
	unsigned long fl = spin_lock_irqsave(&ctx->lock);
	struct itimerspec64 cur = timerfd_current(ctx);
	spin_unlock_irqrestore(&ctx->lock, fl);
	fput(f);
	return copy_to_user(otmr, &cur, sizeof(cur)) ? -EFAULT : 0;
}
