/* signalfd (Linux: fs/signalfd.c): the caller's pending signals of a mask
 * read as struct signalfd_siginfo records instead of being delivered (the
 * mask's signals are blocked by the program). Readiness is the reading or
 * polling task's own: its sighand's signalfd queue is what signal sending
 * wakes (kernel/fs/signalfd.h, called from proc/signal.c). */
#include "kernel/fs/signalfd.h"
#include "kernel/fs/anon_inodes.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"

#define SFD_CLOEXEC O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK

/* The 128-byte record read(2) returns (uapi/linux/signalfd.h). */
struct signalfd_siginfo {
	u32 ssi_signo;
	s32 ssi_errno;
	s32 ssi_code;
	u32 ssi_pid;
	u32 ssi_uid;
	s32 ssi_fd;
	u32 ssi_tid;
	u32 ssi_band;
	u32 ssi_overrun;
	u32 ssi_trapno;
	s32 ssi_status;
	s32 ssi_int;
	u64 ssi_ptr;
	u64 ssi_utime;
	u64 ssi_stime;
	u64 ssi_addr;
	u16 ssi_addr_lsb;
	u16 __pad2;
	s32 ssi_syscall;
	u64 ssi_call_addr;
	u32 ssi_arch;
	u8 __pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

/* A signalfd_wq this file handed to a poller: kept until the file goes. */
struct signalfd_pin {
	struct signalfd_wq *wq;
	struct signalfd_pin *next;
};

struct signalfd_ctx {
	sigset_t sigmask;        /* the signals NOT read (as blocked is kept); under
				  * the reader's siglock */
	spinlock_t lock;         /* protects pins */
	struct signalfd_pin *pins;
};

void signalfd_wq_put(struct signalfd_wq *w)
{
	if (w && __atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(w);
}

/* current's sighand queue, made on first use; NULL without memory. */
static struct signalfd_wq *signalfd_get_wq(void)
{
	struct sighand_struct *sh = current->sighand;
	struct signalfd_wq *w = READ_ONCE(sh->signalfd_wq), *fresh;

	if (w)
		return w;
	fresh = kzalloc(sizeof(*fresh));
	if (!fresh)
		return NULL;
	fresh->refs = 1; /* the sighand's */
	init_waitqueue_head(&fresh->wqh);
	unsigned long f = spin_lock_irqsave(&sh->siglock);
	if (!sh->signalfd_wq)
		sh->signalfd_wq = fresh, fresh = NULL;
	w = sh->signalfd_wq;
	spin_unlock_irqrestore(&sh->siglock, f);
	kfree(fresh);
	return w;
}

static bool signalfd_pinned(struct signalfd_ctx *ctx, struct signalfd_wq *w)
{
	struct signalfd_pin *p;

	for (p = ctx->pins; p && p->wq != w; p = p->next)
		;
	return p != NULL;
}

/* The file keeps w alive from now on (once per queue; ctx->lock is a
 * spinlock, so the allocation is made before taking it). */
static bool signalfd_pin(struct signalfd_ctx *ctx, struct signalfd_wq *w)
{
	spin_lock(&ctx->lock);
	bool pinned = signalfd_pinned(ctx, w);
	spin_unlock(&ctx->lock);
	if (pinned)
		return true;
	struct signalfd_pin *fresh = kmalloc(sizeof(*fresh));
	if (!fresh)
		return false;
	spin_lock(&ctx->lock);
	if (!signalfd_pinned(ctx, w)) {
		__atomic_add_fetch(&w->refs, 1, __ATOMIC_RELAXED);
		*fresh = (struct signalfd_pin){ w, ctx->pins };
		ctx->pins = fresh;
		fresh = NULL;
	}
	spin_unlock(&ctx->lock);
	kfree(fresh);
	return true;
}

static __poll_t signalfd_poll(struct file *f, poll_table *pt)
{
	struct signalfd_ctx *ctx = f->private_data;
	struct task_struct *t = current;

	if (pt) {
		struct signalfd_wq *w = signalfd_get_wq();
		if (w && signalfd_pin(ctx, w))
			poll_wait(f, &w->wqh, pt);
	}
	unsigned long fl = spin_lock_irqsave(&t->sighand->siglock);
	unsigned long pending = t->pending.signal.sig | t->signal->shared_pending.signal.sig;
	bool ready = pending & ~ctx->sigmask.sig;
	spin_unlock_irqrestore(&t->sighand->siglock, fl);
	return ready ? POLLIN | POLLRDNORM : 0;
}

/* Linux's signalfd_copyinfo: which fields mean something follows from
 * the signal and its si_code (siginfo_layout). */
static void signalfd_copyinfo(struct signalfd_siginfo *s, const siginfo_t *k)
{
	int sig = k->si_signo, code = k->si_code;

	memset(s, 0, sizeof(*s));
	s->ssi_signo = (u32)sig;
	s->ssi_errno = k->si_errno;
	s->ssi_code = code;
	if (code > 0 && code < SI_KERNEL && sig == SIGCHLD) {
		s->ssi_pid = (u32)k->chld.si_pid;
		s->ssi_uid = k->chld.si_uid;
		s->ssi_status = k->chld.si_status;
		s->ssi_utime = (u64)k->chld.si_utime;
		s->ssi_stime = (u64)k->chld.si_stime;
	} else if (code > 0 && code < SI_KERNEL) {
		s->ssi_addr = k->fault.si_addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	} else if (code == SI_TIMER) {
		s->ssi_tid = (u32)k->timer.si_tid;
		s->ssi_overrun = (u32)k->timer.si_overrun;
		s->ssi_ptr = k->timer.si_value;
		s->ssi_int = (s32)k->timer.si_value;
	} else {
		s->ssi_pid = (u32)k->kill.si_pid;
		s->ssi_uid = k->kill.si_uid;
		s->ssi_ptr = k->kill.si_value;
		s->ssi_int = (s32)k->kill.si_value;
	}
}

/* One signal of the mask: its number, -EAGAIN, or -ERESTARTSYS. */
static int signalfd_dequeue(struct signalfd_ctx *ctx, siginfo_t *info, bool nonblock)
{
	struct task_struct *t = current;
	struct signalfd_wq *w = nonblock ? NULL : signalfd_get_wq();
	struct wait_queue_entry wait = { .task = t };
	int ret;

	if (!nonblock && !w)
		return -ENOMEM;
	for (;;) {
		if (w)
			prepare_to_wait(&w->wqh, &wait, TASK_INTERRUPTIBLE);
		unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
		ret = dequeue_signal(t, &ctx->sigmask, info);
		spin_unlock_irqrestore(&t->sighand->siglock, f);
		if (ret || nonblock) {
			ret = ret ? ret : -EAGAIN;
			break;
		}
		if (signal_pending(t)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	if (w)
		finish_wait(&w->wqh, &wait);
	return ret;
}

/* As many records as fit (at least one, or wait for it); the later ones
 * only if already pending. */
static ssize_t signalfd_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct signalfd_ctx *ctx = f->private_data;
	size_t count = to->count / sizeof(struct signalfd_siginfo);
	bool nonblock = f->f_flags & O_NONBLOCK;
	ssize_t total = 0;

	(void)pos;
	if (!count)
		return -EINVAL;
	for (; count; count--) {
		siginfo_t info;
		struct signalfd_siginfo s;
		int ret = signalfd_dequeue(ctx, &info, nonblock);
		if (ret <= 0)
			return total ? total : ret;
		signalfd_copyinfo(&s, &info);
		if (copy_to_iter(&s, sizeof(s), to) != sizeof(s))
			return -EFAULT; /* as Linux: the signal is gone */
		total += sizeof(s);
		nonblock = true;
	}
	return total;
}

static int signalfd_release(struct inode *inode, struct file *f)
{
	struct signalfd_ctx *ctx = f->private_data;

	(void)inode;
	while (ctx->pins) {
		struct signalfd_pin *p = ctx->pins;
		ctx->pins = p->next;
		signalfd_wq_put(p->wq);
		kfree(p);
	}
	kfree(ctx);
	return 0;
}

static const struct file_operations signalfd_fops = {
	.read_iter = signalfd_read,
	.poll = signalfd_poll,
	.release = signalfd_release,
};

/* A new mask for an existing signalfd of the caller. */
static int signalfd_update(int ufd, const sigset_t *notmask)
{
	struct file *f = fget(ufd);

	if (!f)
		return -EBADF;
	if (f->f_op != &signalfd_fops) {
		fput(f);
		return -EINVAL;
	}
	struct signalfd_ctx *ctx = f->private_data;
	unsigned long fl = spin_lock_irqsave(&current->sighand->siglock);
	ctx->sigmask = *notmask;
	spin_unlock_irqrestore(&current->sighand->siglock, fl);
	struct signalfd_wq *w = READ_ONCE(current->sighand->signalfd_wq);
	if (w)
		wake_up(&w->wqh); /* pollers look again with the new mask */
	fput(f);
	return ufd;
}

SYSCALL_DEFINE4(signalfd4, int, ufd, const sigset_t __user *, user_mask, size_t, sizemask,
		int, flags)
{
	sigset_t mask;

	if (sizemask != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, user_mask, sizeof(mask)))
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	/* SIGKILL and SIGSTOP are never read; keep the complement. */
	mask.sig = ~(mask.sig & ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	if (ufd != -1)
		return signalfd_update(ufd, &mask);
	struct signalfd_ctx *ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->sigmask = mask;
	spin_lock_init(&ctx->lock);
	int fd = anon_inode_getfd("[signalfd]", &signalfd_fops, ctx, O_RDWR | (unsigned int)flags);
	if (fd < 0)
		kfree(ctx);
	return fd;
}
