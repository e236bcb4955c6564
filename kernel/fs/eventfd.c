/* eventfd (Linux: fs/eventfd.c): a 64-bit counter behind a descriptor.
 * write adds to it (blocking while it would reach 2^64-1), read takes
 * all of it, or 1 with EFD_SEMAPHORE (blocking while it is 0); poll says
 * readable when it is non-zero. Event loops use it to wake themselves. */
#include "kernel/fs/anon_inodes.h"
#include "kernel/syscall.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_FLAGS (EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)
#define EVENTFD_MAX (~0ULL) /* the counter stays below it */

struct eventfd_ctx {
	spinlock_t lock;        /* protects count */
	u64 count;
	unsigned int flags;     /* EFD_SEMAPHORE */
	wait_queue_head_t wqh;  /* readers, writers, pollers, epoll items */
};

static u64 eventfd_count(struct eventfd_ctx *ctx)
{
	return __atomic_load_n(&ctx->count, __ATOMIC_ACQUIRE);
}

/* Take what a read returns, if anything (0: nothing yet). */
static u64 eventfd_take(struct eventfd_ctx *ctx)
{
	unsigned long f = spin_lock_irqsave(&ctx->lock);
	u64 n = ctx->count;

	if (n && (ctx->flags & EFD_SEMAPHORE))
		n = 1;
	__atomic_store_n(&ctx->count, ctx->count - n, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&ctx->lock, f);
	return n;
}

/* Add n if the counter stays below EVENTFD_MAX; false if it would not. */
static bool eventfd_add(struct eventfd_ctx *ctx, u64 n)
{
	unsigned long f = spin_lock_irqsave(&ctx->lock);
	bool ok = EVENTFD_MAX - ctx->count > n;

	if (ok)
		__atomic_store_n(&ctx->count, ctx->count + n, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&ctx->lock, f);
	return ok;
}

static ssize_t eventfd_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct eventfd_ctx *ctx = f->private_data;
	u64 n;

	(void)pos;
	if (to->count < sizeof(n))
		return -EINVAL;
	while (!(n = eventfd_take(ctx))) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wqh, eventfd_count(ctx) != 0);
		if (err)
			return err;
	}
	wake_up_poll(&ctx->wqh, POLLOUT);
	/* As Linux: the value is consumed even if the copy faults. */
	return copy_to_iter(&n, sizeof(n), to) == sizeof(n) ? (ssize_t)sizeof(n) : -EFAULT;
}

static ssize_t eventfd_write(struct file *f, struct iov_iter *from, u64 *pos)
{
	struct eventfd_ctx *ctx = f->private_data;
	u64 n;

	(void)pos;
	if (from->count < sizeof(n))
		return -EINVAL;
	if (copy_from_iter(&n, sizeof(n), from) != sizeof(n))
		return -EFAULT;
	if (n == EVENTFD_MAX)
		return -EINVAL;
	while (!eventfd_add(ctx, n)) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wqh, EVENTFD_MAX - eventfd_count(ctx) > n);
		if (err)
			return err;
	}
	if (n)
		wake_up_poll(&ctx->wqh, POLLIN);
	return sizeof(n);
}

static __poll_t eventfd_poll(struct file *f, poll_table *pt)
{
	struct eventfd_ctx *ctx = f->private_data;
	__poll_t mask = 0;

	poll_wait(f, &ctx->wqh, pt);
	u64 count = eventfd_count(ctx);
	if (count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (count == EVENTFD_MAX)
		mask |= POLLERR;
	if (EVENTFD_MAX - 1 > count)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static int eventfd_release(struct inode *inode, struct file *f)
{
	(void)inode;
	kfree(f->private_data);
	return 0;
}

static const struct file_operations eventfd_fops = {
	.read_iter = eventfd_read,
	.write_iter = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	if (flags & ~EFD_FLAGS)
		return -EINVAL;
	struct eventfd_ctx *ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_lock_init(&ctx->lock);
	init_waitqueue_head(&ctx->wqh);
	ctx->count = count;
	ctx->flags = (unsigned int)flags & EFD_SEMAPHORE;
	int fd = anon_inode_getfd("[eventfd]", &eventfd_fops, ctx,
				  O_RDWR | ((unsigned int)flags & (EFD_NONBLOCK | EFD_CLOEXEC)));
	if (fd < 0)
		kfree(ctx);
	return fd;
}
