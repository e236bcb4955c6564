/* inotify (Linux: fs/notify/inotify/): an fsnotify group behind an
 * anonymous-inode descriptor. Each watch is a mark with a watch
 * descriptor; events queue as struct inotify_event records that read(2)
 * returns whole, with poll, FIONREAD, IN_Q_OVERFLOW and coalescing. */
#include "kernel/fs/anon_inodes.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/inotify.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/pipe.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"

/* uapi/linux/inotify.h (the event bits are fsnotify's FS_*) */
#define IN_ALL_EVENTS  0x00000fff
#define IN_UNMOUNT     FS_UNMOUNT
#define IN_Q_OVERFLOW  FS_Q_OVERFLOW
#define IN_IGNORED     FS_IN_IGNORED
#define IN_ISDIR       FS_ISDIR
#define IN_ONLYDIR     0x01000000
#define IN_DONT_FOLLOW 0x02000000
#define IN_EXCL_UNLINK 0x04000000
#define IN_MASK_CREATE 0x10000000
#define IN_MASK_ADD    0x20000000
#define IN_ONESHOT     0x80000000
#define IN_CLOEXEC     O_CLOEXEC
#define IN_NONBLOCK    O_NONBLOCK
#define ALL_INOTIFY_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | \
			  IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | \
			  IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)

struct inotify_event {          /* what read(2) returns */
	s32 wd;
	u32 mask;
	u32 cookie;
	u32 len;                /* bytes of name, NUL padded */
};

struct inotify_event_info {
	struct fsnotify_event fse;  /* first: kfree of it frees all */
	u32 mask;
	s32 wd;
	u32 sync_cookie;
	u32 name_len;
	char name[];
};

static const struct file_operations inotify_fops;

/* Per-user counts (Linux: ucounts' UCOUNT_INOTIFY_INSTANCES/WATCHES),
 * charged to the euid that made the instance; freed when both are 0. */
struct inotify_ucounts {
	struct list_head list;
	u32 uid;
	int instances, watches;
};
static LIST_HEAD(inotify_ucounts_list);
static DEFINE_SPINLOCK(inotify_ucounts_lock); /* protects the list and all counts */

/* One more instance for uid: its counts, or NULL past the limit. */
static struct inotify_ucounts *inc_instances(u32 uid, int *err)
{
	struct inotify_ucounts *fresh = kzalloc(sizeof(*fresh)), *uc = NULL;
	struct list_head *p;

	spin_lock(&inotify_ucounts_lock);
	list_for_each(p, &inotify_ucounts_list)
		if (list_entry(p, struct inotify_ucounts, list)->uid == uid)
			uc = list_entry(p, struct inotify_ucounts, list);
	if (!uc && fresh) {
		uc = fresh;
		fresh = NULL;
		uc->uid = uid;
		list_add_tail(&uc->list, &inotify_ucounts_list);
	}
	*err = !uc ? -ENOMEM : uc->instances >= INOTIFY_MAX_USER_INSTANCES ? -EMFILE : 0;
	if (!*err)
		uc->instances++;
	spin_unlock(&inotify_ucounts_lock);
	kfree(fresh);
	return *err ? NULL : uc;
}

static void dec_ucount(struct inotify_ucounts *uc, int *count)
{
	bool free;

	spin_lock(&inotify_ucounts_lock);
	(*count)--;
	free = !uc->instances && !uc->watches;
	if (free)
		list_del(&uc->list);
	spin_unlock(&inotify_ucounts_lock);
	if (free)
		kfree(uc);
}

static bool inc_watches(struct inotify_ucounts *uc)
{
	spin_lock(&inotify_ucounts_lock);
	bool ok = uc->watches < INOTIFY_MAX_USER_WATCHES;
	if (ok)
		uc->watches++;
	spin_unlock(&inotify_ucounts_lock);
	return ok;
}

static struct inotify_event_info *INOTIFY_E(struct fsnotify_event *e)
{
	return container_of(e, struct inotify_event_info, fse);
}

/* Names are NUL terminated and padded to a multiple of the header size,
 * as Linux does, so each record stays aligned. */
static u32 padded_name_len(const struct inotify_event_info *e)
{
	u32 a = sizeof(struct inotify_event);

	return e->name_len ? (e->name_len + 1 + a - 1) / a * a : 0;
}

static size_t event_size(const struct inotify_event_info *e)
{
	return sizeof(struct inotify_event) + padded_name_len(e);
}

/* An event equal to the last queued one adds nothing (Linux: inotify_merge). */
static bool inotify_merge(struct fsnotify_event *last_fse, struct fsnotify_event *fse)
{
	struct inotify_event_info *old = INOTIFY_E(last_fse), *new = INOTIFY_E(fse);

	if (old->mask & IN_IGNORED)
		return false;
	return old->mask == new->mask && old->wd == new->wd && old->sync_cookie == new->sync_cookie &&
	       old->name_len == new->name_len && !memcmp(old->name, new->name, old->name_len);
}

static void inotify_handle_inode_event(struct fsnotify_mark *mark, u32 mask, const char *name,
				       u32 name_len, u32 cookie)
{
	struct inotify_event_info *e = kmalloc(sizeof(*e) + name_len + 1);

	if (!e) {
		fsnotify_add_event(mark->group, NULL, inotify_merge); /* the overflow event */
		return;
	}
	e->mask = mask & (IN_ALL_EVENTS | IN_ISDIR | IN_IGNORED | IN_UNMOUNT);
	e->wd = mark->wd;
	e->sync_cookie = cookie;
	e->name_len = name_len;
	if (name_len)
		memcpy(e->name, name, name_len);
	e->name[name_len] = 0;
	INIT_LIST_HEAD(&e->fse.list);
	if (!fsnotify_add_event(mark->group, &e->fse, inotify_merge))
		kfree(e);
}

/* The watch is gone: its last event says so. */
static void inotify_freeing_mark(struct fsnotify_mark *mark, struct fsnotify_group *group)
{
	struct inotify_ucounts *uc = group->inotify_data.ucounts;

	inotify_handle_inode_event(mark, IN_IGNORED, NULL, 0, 0);
	dec_ucount(uc, &uc->watches);
}

static const struct fsnotify_ops inotify_fsnotify_ops = {
	.handle_inode_event = inotify_handle_inode_event,
	.freeing_mark = inotify_freeing_mark,
};

/* ---- the descriptor --------------------------------------------------------- */

/* Take the first event if it fits in count bytes: NULL and *err -EINVAL
 * if it does not, NULL and *err 0 if the queue is empty. */
static struct inotify_event_info *get_one_event(struct fsnotify_group *g, size_t count, int *err)
{
	struct inotify_event_info *e = NULL;

	*err = 0;
	spin_lock(&g->notification_lock);
	struct fsnotify_event *fse = fsnotify_peek_first_event(g);
	if (fse && event_size(INOTIFY_E(fse)) > count) {
		*err = -EINVAL;
	} else if (fse) {
		list_del_init(&fse->list);
		g->q_len--;
		e = INOTIFY_E(fse);
	}
	spin_unlock(&g->notification_lock);
	return e;
}

static int copy_event_to_user(struct fsnotify_group *g, struct inotify_event_info *e,
			      struct iov_iter *to)
{
	struct inotify_event ue = { e->wd, e->mask, e->sync_cookie, padded_name_len(e) };
	bool ok = copy_to_iter(&ue, sizeof(ue), to) == sizeof(ue);

	if (ok && ue.len) {
		ok = copy_to_iter(e->name, e->name_len, to) == e->name_len;
		ok = ok && iov_iter_zero(ue.len - e->name_len, to) == ue.len - e->name_len;
	}
	if (&e->fse != g->overflow_event)
		kfree(e);
	return ok ? 0 : -EFAULT;
}

static ssize_t inotify_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct fsnotify_group *g = f->private_data;
	ssize_t done = 0;
	int err;

	(void)pos;
	for (;;) {
		struct inotify_event_info *e = get_one_event(g, to->count, &err);
		if (e) {
			size_t n = event_size(e);
			err = copy_event_to_user(g, e, to);
			if (err)
				return err;
			done += (ssize_t)n;
			continue;
		}
		if (done)
			return done;
		if (err)
			return err;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(g->notification_waitq,
					       !list_empty(&g->notification_list));
		if (err)
			return err;
	}
}

static __poll_t inotify_poll(struct file *f, poll_table *pt)
{
	struct fsnotify_group *g = f->private_data;
	__poll_t mask = 0;

	poll_wait(f, &g->notification_waitq, pt);
	spin_lock(&g->notification_lock);
	if (!list_empty(&g->notification_list))
		mask = POLLIN | POLLRDNORM;
	spin_unlock(&g->notification_lock);
	return mask;
}

/* FIONREAD: bytes of all queued events. */
static long inotify_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct fsnotify_group *g = f->private_data;
	struct list_head *p;
	int n = 0;

	if (cmd != FIONREAD)
		return -ENOTTY;
	spin_lock(&g->notification_lock);
	list_for_each(p, &g->notification_list)
		n += (int)event_size(INOTIFY_E(list_entry(p, struct fsnotify_event, list)));
	spin_unlock(&g->notification_lock);
	return put_user(n, (int __user *)arg);
}

static int inotify_release(struct inode *inode, struct file *f)
{
	struct fsnotify_group *g = f->private_data;
	struct inotify_ucounts *uc = g->inotify_data.ucounts;

	(void)inode;
	fsnotify_destroy_group(g);
	dec_ucount(uc, &uc->instances);
	return 0;
}

static const struct file_operations inotify_fops = {
	.read_iter = inotify_read,
	.poll = inotify_poll,
	.ioctl = inotify_ioctl,
	.release = inotify_release,
};

SYSCALL_DEFINE1(inotify_init1, int, flags)
{
	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	int err;
	struct inotify_ucounts *uc = inc_instances(current_euid(), &err);
	if (!uc)
		return err;
	struct fsnotify_group *g = fsnotify_alloc_group(&inotify_fsnotify_ops);
	struct inotify_event_info *ov = g ? kzalloc(sizeof(*ov)) : NULL;
	if (!ov) {
		kfree(g);
		dec_ucount(uc, &uc->instances);
		return -ENOMEM;
	}
	g->inotify_data.ucounts = uc;
	ov->mask = IN_Q_OVERFLOW;
	ov->wd = -1;
	INIT_LIST_HEAD(&ov->fse.list);
	g->overflow_event = &ov->fse;
	g->max_events = INOTIFY_MAX_QUEUED_EVENTS;
	int fd = anon_inode_getfd("inotify", &inotify_fops, g,
				  O_RDONLY | ((unsigned int)flags & (IN_CLOEXEC | IN_NONBLOCK)));
	if (fd < 0) {
		fsnotify_put_group(g);
		dec_ucount(uc, &uc->instances);
	}
	return fd;
}

/* ---- watches ---------------------------------------------------------------- */

/* The group behind descriptor fd, with a reference on the file. */
static struct file *inotify_fget(int fd, long *err)
{
	struct file *f = fget(fd);

	*err = 0;
	if (!f)
		*err = -EBADF;
	else if (f->f_op != &inotify_fops)
		*err = -EINVAL;
	if (*err && f) {
		fput(f);
		f = NULL;
	}
	return f;
}

/* FS_* for a mark: every watch hears of its own removal; a directory
 * hears its children's events only if it asked for one of them. */
static u32 inotify_arg_to_mask(struct inode *inode, u32 arg)
{
	u32 mask = FS_IN_IGNORED | FS_UNMOUNT | (arg & IN_ALL_EVENTS);

	if (S_ISDIR(inode->i_mode) && (arg & FS_EVENTS_POSS_ON_CHILD))
		mask |= FS_EVENT_ON_CHILD;
	return mask;
}

static u32 inotify_arg_to_flags(u32 arg)
{
	return ((arg & IN_ONESHOT) ? FSNOTIFY_MARK_ONESHOT : 0) |
	       ((arg & IN_EXCL_UNLINK) ? FSNOTIFY_MARK_EXCL_UNLINK : 0);
}

static struct fsnotify_mark *find_mark(struct fsnotify_group *g, struct inode *inode, int wd)
{
	struct list_head *p;

	list_for_each(p, &g->marks_list) {
		struct fsnotify_mark *m = list_entry(p, struct fsnotify_mark, g_list);
		if (inode ? m->inode == inode : m->wd == wd)
			return m;
	}
	return NULL;
}

/* group->mark_mutex held. */
static long inotify_update_watch(struct fsnotify_group *g, struct inode *inode, u32 arg)
{
	struct fsnotify_mark *m = find_mark(g, inode, 0);

	if (m) {
		if (arg & IN_MASK_CREATE)
			return -EEXIST;
		u32 mask = inotify_arg_to_mask(inode, arg);
		u32 fl = inotify_arg_to_flags(arg);
		if (arg & IN_MASK_ADD) {
			mask |= m->mask;
			fl |= m->mflags;
		}
		spin_lock(&inode->i_fsnotify_marks->lock);
		m->mflags = fl;
		spin_unlock(&inode->i_fsnotify_marks->lock);
		fsnotify_set_mark_mask(m, mask);
		return m->wd;
	}
	struct inotify_ucounts *uc = g->inotify_data.ucounts;
	if (!inc_watches(uc))
		return -ENOSPC;
	m = kzalloc(sizeof(*m));
	int err = m ? 0 : -ENOMEM;
	if (m) {
		fsnotify_init_mark(m, g);
		m->mflags = inotify_arg_to_flags(arg);
		if (g->inotify_data.last_wd == 0x7fffffff)
			g->inotify_data.last_wd = 0;
		m->wd = ++g->inotify_data.last_wd;
		err = fsnotify_add_inode_mark_locked(m, inode, inotify_arg_to_mask(inode, arg));
		if (err)
			fsnotify_put_mark(m);
	}
	if (err) {
		dec_ucount(uc, &uc->watches);
		return err;
	}
	return m->wd;
}

SYSCALL_DEFINE3(inotify_add_watch, int, fd, const char __user *, pathname, u32, mask)
{
	long err;

	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	struct file *f = inotify_fget(fd, &err);
	if (!f)
		return err;
	struct path p;
	unsigned int lookup = ((mask & IN_DONT_FOLLOW) ? 0 : LOOKUP_FOLLOW) |
			      ((mask & IN_ONLYDIR) ? LOOKUP_DIRECTORY : 0);
	err = user_path_at(AT_FDCWD, pathname, lookup, &p);
	if (!err) {
		struct inode *inode = p.dentry->d_inode;
		err = inode_permission(inode, MAY_READ);
		if (!err) {
			struct fsnotify_group *g = f->private_data;
			mutex_lock(&g->mark_mutex);
			err = inotify_update_watch(g, inode, mask);
			mutex_unlock(&g->mark_mutex);
		}
		path_put(&p);
	}
	fput(f);
	return err;
}

SYSCALL_DEFINE2(inotify_rm_watch, int, fd, int, wd)
{
	long err;
	struct file *f = inotify_fget(fd, &err);

	if (!f)
		return err;
	struct fsnotify_group *g = f->private_data;
	mutex_lock(&g->mark_mutex);
	struct fsnotify_mark *m = find_mark(g, NULL, wd);
	if (m)
		fsnotify_get_mark(m);
	mutex_unlock(&g->mark_mutex);
	if (m) {
		fsnotify_destroy_mark(m);
		fsnotify_put_mark(m);
	}
	fput(f);
	return m ? 0 : -EINVAL;
}
