/* File locks (Linux: fs/locks.c). Each inode gets, on first use, a lock
 * context with three lists: flock(2) locks and OFD record locks, owned by
 * an open file, and POSIX record locks, owned by a descriptor table. */
#include "kernel/fs/locks.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/wait.h"

#define OFFSET_MAX ((s64)0x7fffffffffffffffLL)
#define MAX_DEADLK_ITERATIONS 10 /* owners followed by the deadlock check */

/* fl_flags: which kind of lock (and so which list it is on). */
#define FL_POSIX 1
#define FL_FLOCK 2
#define FL_OFD   4

/* One lock: a byte range held by an owner, or a wanted one. Record locks
 * of one owner never overlap or touch when of the same type: setting a
 * lock merges, trims and splits the owner's others. */
struct file_lock {
	struct list_head fl_list;   /* on its context's list for its kind */
	void *fl_owner;             /* POSIX: the files_struct; flock, OFD: the file */
	struct file *fl_file;       /* the open file it was set through */
	s64 fl_start, fl_end;       /* bytes, inclusive; fl_end OFFSET_MAX: to EOF */
	int fl_pid;                 /* tgid of the setter (F_GETLK, /proc/locks) */
	u8 fl_type;                 /* F_RDLCK, F_WRLCK (F_UNLCK in requests) */
	u8 fl_flags;                /* FL_POSIX, FL_OFD or FL_FLOCK */
};

struct file_lock_context {
	spinlock_t flc_lock;        /* protects the three lists */
	struct list_head flc_flock; /* flock(2) locks, in order of setting */
	struct list_head flc_posix; /* POSIX locks: owners in order of arrival,
				     * each owner's sorted by start */
	struct list_head flc_ofd;   /* OFD locks, ordered the same way */
	wait_queue_head_t flc_wait; /* blocked F_SETLKW and flock callers */
	struct list_head flc_all;   /* on all_contexts (for /proc/locks) */
	struct inode *flc_inode;
};

/* Every context, for /proc/locks. */
static LIST_HEAD(all_contexts);
static DEFINE_SPINLOCK(all_contexts_lock); /* protects all_contexts */

/* A blocked POSIX F_SETLKW caller: its owner waits for blocker (the owner
 * of the lock it found in its way), so the deadlock check can follow
 * owner -> owner chains across inodes (Linux: blocked_hash). A waker takes
 * the entries of its context off, since their blockers may have gone. */
struct lock_waiter {
	struct list_head list;      /* on blocked_list, or empty */
	void *owner, *blocker;
	struct file_lock_context *ctx;
};
static LIST_HEAD(blocked_list);
static DEFINE_SPINLOCK(blocked_lock); /* protects blocked_list and its entries;
				       * taken inside flc_lock */

/* ---- contexts --------------------------------------------------------- */

static struct file_lock_context *locks_inode_context(struct inode *inode)
{
	return inode ? __atomic_load_n(&inode->i_flctx, __ATOMIC_ACQUIRE) : NULL;
}

/* The inode's context, made on first use (NULL: out of memory). */
static struct file_lock_context *locks_get_lock_context(struct inode *inode)
{
	struct file_lock_context *ctx = locks_inode_context(inode), *old = NULL;

	if (ctx)
		return ctx;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return NULL;
	spin_lock_init(&ctx->flc_lock);
	INIT_LIST_HEAD(&ctx->flc_flock);
	INIT_LIST_HEAD(&ctx->flc_posix);
	INIT_LIST_HEAD(&ctx->flc_ofd);
	init_waitqueue_head(&ctx->flc_wait);
	ctx->flc_inode = inode;
	if (!__atomic_compare_exchange_n(&inode->i_flctx, &old, ctx, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		kfree(ctx); /* another task made it first */
		return old;
	}
	spin_lock(&all_contexts_lock);
	list_add_tail(&ctx->flc_all, &all_contexts);
	spin_unlock(&all_contexts_lock);
	return ctx;
}

static void free_lock_list(struct list_head *list)
{
	struct list_head *p, *n;

	list_for_each_safe(p, n, list)
		kfree(list_entry(p, struct file_lock, fl_list));
}

void locks_free_lock_context(struct inode *inode)
{
	struct file_lock_context *ctx = locks_inode_context(inode);

	if (!ctx)
		return;
	inode->i_flctx = NULL;
	spin_lock(&all_contexts_lock);
	list_del(&ctx->flc_all);
	spin_unlock(&all_contexts_lock);
	/* Every file on the inode is gone, so every lock should be too. */
	if (!list_empty(&ctx->flc_flock) || !list_empty(&ctx->flc_posix) ||
	    !list_empty(&ctx->flc_ofd))
		pr_warn("locks: inode %lu freed with locks held\n", (unsigned long)inode->i_ino);
	free_lock_list(&ctx->flc_flock);
	free_lock_list(&ctx->flc_posix);
	free_lock_list(&ctx->flc_ofd);
	kfree(ctx);
}

/* ---- waking and the deadlock check ------------------------------------ */

/* Locks on ctx went or shrank: every waiter looks again (flc_lock held).
 * Their wait-for edges go now, so no one sees a deadlock through an owner
 * that is about to stop waiting; each re-adds its own if still blocked. */
static void locks_wake(struct file_lock_context *ctx)
{
	struct list_head *p, *n;

	spin_lock(&blocked_lock);
	list_for_each_safe(p, n, &blocked_list) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, list);
		if (w->ctx == ctx)
			list_del_init(&w->list);
	}
	spin_unlock(&blocked_lock);
	wake_up_all(&ctx->flc_wait);
}

/* blocked_lock held: what a blocked owner waits for, or NULL. */
static void *owner_waits_for(void *owner)
{
	struct list_head *p;

	list_for_each(p, &blocked_list) {
		struct lock_waiter *w = list_entry(p, struct lock_waiter, list);
		if (w->owner == owner)
			return w->blocker;
	}
	return NULL;
}

/* Would w's owner waiting for blocker close a cycle? If not, record the
 * edge. Check and record happen under one lock, so of two owners about to
 * wait for each other the second always sees the first (Linux:
 * posix_locks_deadlock, with the same iteration limit). */
static bool waiter_block_on(struct lock_waiter *w, void *blocker)
{
	bool deadlock = false;
	void *o = blocker;

	spin_lock(&blocked_lock);
	for (int i = 0; i < MAX_DEADLK_ITERATIONS && o; i++) {
		o = owner_waits_for(o);
		if (o == w->owner) {
			deadlock = true;
			break;
		}
	}
	if (!deadlock) {
		w->blocker = blocker;
		if (list_empty(&w->list))
			list_add_tail(&w->list, &blocked_list);
	}
	spin_unlock(&blocked_lock);
	return deadlock;
}

static void waiter_done(struct lock_waiter *w)
{
	spin_lock(&blocked_lock);
	if (!list_empty(&w->list))
		list_del_init(&w->list);
	spin_unlock(&blocked_lock);
}

/* ---- one request -------------------------------------------------------- */

/* A lock being set: what is wanted, the allocations it may need (made
 * before flc_lock is taken) and the locks it removed (freed after). */
struct lock_request {
	struct file_lock fl;
	struct file_lock *spare[2];  /* the new lock, and the tail of a split */
	struct list_head dispose;
	void *blocker;               /* after -EAGAIN: the conflicting lock's owner */
};

static struct file_lock *take_spare(struct lock_request *r)
{
	for (int i = 0; i < 2; i++)
		if (r->spare[i]) {
			struct file_lock *fl = r->spare[i];
			r->spare[i] = NULL;
			return fl;
		}
	return NULL; /* cannot happen: a request adds at most two locks */
}

static void dispose_lock(struct lock_request *r, struct file_lock *fl)
{
	list_del(&fl->fl_list);
	list_add_tail(&fl->fl_list, &r->dispose);
}

static bool lock_overlaps(const struct file_lock *fl, s64 start, s64 end)
{
	return fl->fl_start <= end && start <= fl->fl_end;
}

static bool record_locks_conflict(const struct file_lock *held, const struct file_lock *want)
{
	return held->fl_owner != want->fl_owner &&
	       lock_overlaps(held, want->fl_start, want->fl_end) &&
	       (held->fl_type == F_WRLCK || want->fl_type == F_WRLCK);
}

/* flc_lock held: the first record lock (POSIX, then OFD: they conflict
 * with each other too) that stands in want's way, or NULL. */
static struct file_lock *posix_find_conflict(struct file_lock_context *ctx,
					     const struct file_lock *want)
{
	struct list_head *lists[] = { &ctx->flc_posix, &ctx->flc_ofd }, *p;

	for (int i = 0; i < 2; i++)
		list_for_each(p, lists[i]) {
			struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
			if (record_locks_conflict(fl, want))
				return fl;
		}
	return NULL;
}

/* Insert nl among its owner's locks, sorted by start; a new owner's go last. */
static void posix_insert(struct list_head *list, struct file_lock *nl)
{
	struct list_head *p, *after = NULL;

	list_for_each(p, list) {
		struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
		if (fl->fl_owner != nl->fl_owner)
			continue;
		if (fl->fl_start > nl->fl_start) {
			list_add_tail(&nl->fl_list, p); /* before fl */
			return;
		}
		after = p;
	}
	if (after)
		list_add(&nl->fl_list, after);
	else
		list_add_tail(&nl->fl_list, list);
}

/* flc_lock held, no conflict: make the owner's locks in list cover
 * [start, end] with the request's type (F_UNLCK: not cover it). Locks of
 * the same type that overlap or touch it merge into it; others are
 * trimmed, split or removed. True if any lock shrank, went or changed. */
static bool posix_apply(struct list_head *list, struct lock_request *r)
{
	struct file_lock *req = &r->fl;
	s64 start = req->fl_start, end = req->fl_end;
	bool changed = false;
	struct list_head *p, *n;

	list_for_each_safe(p, n, list) {
		struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
		if (fl->fl_owner != req->fl_owner)
			continue;
		if (fl->fl_type == req->fl_type) {
			/* Same type: absorb it if it overlaps or touches. */
			if (fl->fl_end < start - 1 || (end != OFFSET_MAX && fl->fl_start > end + 1))
				continue;
			start = MIN(start, fl->fl_start);
			end = MAX(end, fl->fl_end);
			dispose_lock(r, fl);
			continue;
		}
		if (!lock_overlaps(fl, start, end))
			continue;
		changed = true;
		if (fl->fl_start < start && fl->fl_end > end) {
			/* The request is inside: keep both ends. */
			struct file_lock *tail = take_spare(r);
			*tail = *fl;
			tail->fl_start = end + 1;
			fl->fl_end = start - 1;
			list_add(&tail->fl_list, &fl->fl_list);
		} else if (fl->fl_start < start) {
			fl->fl_end = start - 1;
		} else if (fl->fl_end > end) {
			fl->fl_start = end + 1;
		} else {
			dispose_lock(r, fl);
		}
	}
	if (req->fl_type != F_UNLCK) {
		struct file_lock *nl = take_spare(r);
		*nl = *req;
		nl->fl_start = start;
		nl->fl_end = end;
		posix_insert(list, nl);
	}
	return changed;
}

/* One attempt at a record lock (flc_lock held): 0 or -EAGAIN. */
static int posix_try(struct file_lock_context *ctx, struct lock_request *r)
{
	struct list_head *list = r->fl.fl_flags & FL_OFD ? &ctx->flc_ofd : &ctx->flc_posix;

	if (r->fl.fl_type != F_UNLCK) {
		struct file_lock *c = posix_find_conflict(ctx, &r->fl);
		if (c) {
			r->blocker = c->fl_owner;
			return -EAGAIN;
		}
	}
	if (posix_apply(list, r))
		locks_wake(ctx);
	return 0;
}

/* One attempt at a flock lock (flc_lock held): 0 or -EAGAIN. As Linux, a
 * conversion drops the old lock first, so a failed one leaves none. */
static int flock_try(struct file_lock_context *ctx, struct lock_request *r)
{
	struct file_lock *own = NULL;
	struct list_head *p;

	list_for_each(p, &ctx->flc_flock) {
		struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
		if (fl->fl_owner == r->fl.fl_owner) {
			own = fl;
			break;
		}
	}
	if (own && own->fl_type == r->fl.fl_type)
		return 0;
	if (own) {
		dispose_lock(r, own);
		locks_wake(ctx);
	}
	if (r->fl.fl_type == F_UNLCK)
		return 0;
	list_for_each(p, &ctx->flc_flock) {
		struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
		if (fl->fl_type == F_WRLCK || r->fl.fl_type == F_WRLCK) {
			r->blocker = fl->fl_owner;
			return -EAGAIN;
		}
	}
	struct file_lock *nl = take_spare(r);
	*nl = r->fl;
	list_add_tail(&nl->fl_list, &ctx->flc_flock);
	return 0;
}

/* Try the request; when wait is set sleep (interruptibly) until it can be
 * granted. Blocked POSIX owners are checked for deadlock first. */
static int lock_wait(struct file_lock_context *ctx, struct lock_request *r, bool wait,
		     int (*try)(struct file_lock_context *, struct lock_request *))
{
	struct wait_queue_entry wq = { .task = current };
	struct lock_waiter w = { .owner = r->fl.fl_owner, .ctx = ctx };
	bool check_deadlock = r->fl.fl_flags == FL_POSIX;
	int err;

	INIT_LIST_HEAD(&w.list);
	for (;;) {
		spin_lock(&ctx->flc_lock);
		err = try(ctx, r);
		bool sleep = err == -EAGAIN && wait;
		if (sleep && check_deadlock && waiter_block_on(&w, r->blocker)) {
			err = -EDEADLK;
			sleep = false;
		}
		if (sleep) /* queued before flc_lock goes: no wake-up is lost */
			prepare_to_wait(&ctx->flc_wait, &wq, TASK_INTERRUPTIBLE);
		spin_unlock(&ctx->flc_lock);
		if (!sleep)
			break;
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&ctx->flc_wait, &wq);
	waiter_done(&w);
	return err;
}

/* Set r->fl on inode: allocate, run, free what was removed. */
static int lock_file(struct inode *inode, struct lock_request *r, bool wait,
		     int (*try)(struct file_lock_context *, struct lock_request *))
{
	struct file_lock_context *ctx;
	int err = -ENOLCK;

	INIT_LIST_HEAD(&r->dispose);
	r->spare[0] = kmalloc(sizeof(struct file_lock));
	r->spare[1] = kmalloc(sizeof(struct file_lock));
	if (r->fl.fl_type == F_UNLCK && !locks_inode_context(inode))
		err = 0; /* nothing was ever locked here */
	else if (r->spare[0] && r->spare[1] && (ctx = locks_get_lock_context(inode)))
		err = lock_wait(ctx, r, wait, try);
	kfree(r->spare[0]);
	kfree(r->spare[1]);
	free_lock_list(&r->dispose);
	return err;
}

/* ---- fcntl(2) ----------------------------------------------------------- */

/* struct flock's range (from l_whence) into [start, end], as Linux's
 * flock64_to_posix_lock: negative l_len locks the bytes before l_start,
 * l_len 0 runs to the end of any file size. */
static int flock_to_range(struct file *f, const struct flock64 *l, s64 *start, s64 *end)
{
	s64 base, s;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (s64)__atomic_load_n(&f->f_pos, __ATOMIC_RELAXED);
		break;
	case SEEK_END:
		base = (s64)__atomic_load_n(&f->f_inode->i_size, __ATOMIC_RELAXED);
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	s = base + l->l_start;
	if (s < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*end = s + (l->l_len - 1);
	} else if (l->l_len < 0) {
		if (s + l->l_len < 0)
			return -EINVAL;
		*end = s - 1;
		s += l->l_len;
	} else {
		*end = OFFSET_MAX;
	}
	*start = s;
	return 0;
}

/* The owner and kind of a record lock made through f. */
static void record_lock_init(struct file_lock *fl, struct file *f, bool ofd, int type)
{
	fl->fl_owner = ofd ? (void *)f : (void *)current->files;
	fl->fl_file = f;
	fl->fl_pid = current->tgid;
	fl->fl_type = (u8)type;
	fl->fl_flags = ofd ? FL_OFD : FL_POSIX;
}

long fcntl_getlk(struct file *f, bool ofd, struct flock64 __user *arg)
{
	struct flock64 l;
	struct file_lock want, found;
	bool blocked = false;
	int err;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	if (l.l_type != F_RDLCK && l.l_type != F_WRLCK)
		return -EINVAL;
	err = flock_to_range(f, &l, &want.fl_start, &want.fl_end);
	if (err)
		return err;
	if (ofd && l.l_pid != 0)
		return -EINVAL;
	record_lock_init(&want, f, ofd, l.l_type);
	struct file_lock_context *ctx = locks_inode_context(f->f_inode);
	if (ctx) {
		spin_lock(&ctx->flc_lock);
		struct file_lock *c = posix_find_conflict(ctx, &want);
		if (c) {
			found = *c;
			blocked = true;
		}
		spin_unlock(&ctx->flc_lock);
	}
	if (!blocked) {
		l.l_type = F_UNLCK; /* the rest stays as given, as Linux */
	} else {
		l.l_type = found.fl_type;
		l.l_whence = SEEK_SET;
		l.l_start = found.fl_start;
		l.l_len = found.fl_end == OFFSET_MAX ? 0 : found.fl_end - found.fl_start + 1;
		l.l_pid = found.fl_flags & FL_OFD ? -1 : found.fl_pid;
	}
	return copy_to_user(arg, &l, sizeof(l)) ? -EFAULT : 0;
}

long fcntl_setlk(struct file *f, bool ofd, bool wait, struct flock64 __user *arg)
{
	struct lock_request r;
	struct flock64 l;
	int err;

	if (copy_from_user(&l, arg, sizeof(l)))
		return -EFAULT;
	err = flock_to_range(f, &l, &r.fl.fl_start, &r.fl.fl_end);
	if (err)
		return err;
	if (l.l_type != F_RDLCK && l.l_type != F_WRLCK && l.l_type != F_UNLCK)
		return -EINVAL;
	/* A read lock needs a readable file, a write lock a writable one. */
	if ((l.l_type == F_RDLCK && !(f->f_mode & FMODE_READ)) ||
	    (l.l_type == F_WRLCK && !(f->f_mode & FMODE_WRITE)))
		return -EBADF;
	if (ofd && l.l_pid != 0)
		return -EINVAL;
	record_lock_init(&r.fl, f, ofd, l.l_type);
	return lock_file(f->f_inode, &r, wait, posix_try);
}

/* ---- flock(2) ------------------------------------------------------------ */

long do_flock(struct file *f, unsigned int cmd)
{
	struct lock_request r;
	int type;

	switch (cmd & ~LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	if (type != F_UNLCK && !(f->f_mode & (FMODE_READ | FMODE_WRITE)))
		return -EBADF;
	r.fl.fl_owner = f;
	r.fl.fl_file = f;
	r.fl.fl_pid = current->tgid;
	r.fl.fl_start = 0;
	r.fl.fl_end = OFFSET_MAX;
	r.fl.fl_type = (u8)type;
	r.fl.fl_flags = FL_FLOCK;
	return lock_file(f->f_inode, &r, !(cmd & LOCK_NB), flock_try);
}

/* ---- releases ------------------------------------------------------------ */

/* Remove the locks of list that match; true if any went. */
static bool remove_matching(struct list_head *list, struct list_head *dispose,
			    bool (*match)(const struct file_lock *, const void *), const void *key)
{
	struct list_head *p, *n;
	bool removed = false;

	list_for_each_safe(p, n, list) {
		struct file_lock *fl = list_entry(p, struct file_lock, fl_list);
		if (match(fl, key)) {
			list_del(&fl->fl_list);
			list_add_tail(&fl->fl_list, dispose);
			removed = true;
		}
	}
	return removed;
}

static bool owned_by(const struct file_lock *fl, const void *owner)
{
	return fl->fl_owner == owner;
}

static bool set_through(const struct file_lock *fl, const void *file)
{
	return fl->fl_file == file;
}

/* exit_files closes with the table already detached from the task: the
 * owner's locks are then those this process set through the file. */
static bool set_through_by_us(const struct file_lock *fl, const void *file)
{
	return fl->fl_file == file && fl->fl_pid == current->tgid;
}

void locks_remove_posix(struct file *f, struct files_struct *owner)
{
	struct file_lock_context *ctx = locks_inode_context(f->f_inode);
	LIST_HEAD(dispose);

	if (!ctx)
		return;
	spin_lock(&ctx->flc_lock);
	bool removed = owner ? remove_matching(&ctx->flc_posix, &dispose, owned_by, owner)
			     : remove_matching(&ctx->flc_posix, &dispose, set_through_by_us, f);
	if (removed)
		locks_wake(ctx);
	spin_unlock(&ctx->flc_lock);
	free_lock_list(&dispose);
}

void locks_remove_file(struct file *f)
{
	struct file_lock_context *ctx = locks_inode_context(f->f_inode);
	LIST_HEAD(dispose);

	if (!ctx)
		return;
	spin_lock(&ctx->flc_lock);
	bool removed = remove_matching(&ctx->flc_flock, &dispose, owned_by, f);
	removed |= remove_matching(&ctx->flc_ofd, &dispose, owned_by, f);
	/* No POSIX lock should outlive the last reference to the file it was
	 * set through (a close drops them); never keep a dangling fl_file. */
	removed |= remove_matching(&ctx->flc_posix, &dispose, set_through, f);
	if (removed)
		locks_wake(ctx);
	spin_unlock(&ctx->flc_lock);
	free_lock_list(&dispose);
}

/* ---- /proc/locks ---------------------------------------------------------- */

struct text {
	char *buf;
	size_t n, len;
};

static void show_lock(struct text *t, int id, const struct file_lock *fl, const struct inode *inode)
{
	const char *kind = fl->fl_flags & FL_FLOCK ? "FLOCK " : fl->fl_flags & FL_OFD ? "OFDLCK" : "POSIX ";
	const char *type = fl->fl_type == F_WRLCK ? "WRITE" : "READ";
	char end[24];

	if (fl->fl_flags & FL_FLOCK || fl->fl_end == OFFSET_MAX)
		snprintf(end, sizeof(end), "EOF");
	else
		snprintf(end, sizeof(end), "%lld", (long long)fl->fl_end);
	t->len += (size_t)snprintf(t->buf + MIN(t->len, t->n), t->n > t->len ? t->n - t->len : 0,
				   "%d: %s ADVISORY  %s %d %02x:%02x:%lu %lld %s\n", id, kind, type,
				   fl->fl_flags & FL_OFD ? -1 : fl->fl_pid, MAJOR(inode->i_sb->s_dev),
				   MINOR(inode->i_sb->s_dev), (unsigned long)inode->i_ino,
				   fl->fl_flags & FL_FLOCK ? 0LL : (long long)fl->fl_start, end);
}

size_t locks_show(struct file *f, char *buf, size_t n)
{
	struct text t = { buf, n, 0 };
	struct list_head *c, *p;
	int id = 0;

	(void)f;
	spin_lock(&all_contexts_lock);
	list_for_each(c, &all_contexts) {
		struct file_lock_context *ctx = list_entry(c, struct file_lock_context, flc_all);
		struct list_head *lists[] = { &ctx->flc_posix, &ctx->flc_ofd, &ctx->flc_flock };
		spin_lock(&ctx->flc_lock);
		for (int i = 0; i < 3; i++)
			list_for_each(p, lists[i])
				show_lock(&t, ++id, list_entry(p, struct file_lock, fl_list),
					  ctx->flc_inode);
		spin_unlock(&ctx->flc_lock);
	}
	spin_unlock(&all_contexts_lock);
	return t.len;
}
