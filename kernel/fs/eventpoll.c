/* epoll (Linux: fs/eventpoll.c). An eventpoll keeps the watched files in a
 * red-black tree of epitems keyed by (file, fd). Each epitem hooks the
 * file's wait queues through its ->poll: a wake-up there runs
 * ep_poll_callback, which puts the item on the ready list and wakes
 * epoll_wait. epoll_wait then asks each ready item's ->poll again and
 * reports what is really ready; level-triggered items go back on the list,
 * edge-triggered ones wait for the next wake-up, one-shot ones are disabled.
 * The system calls' argument checks are in kernel/fs/eventpoll_syscalls.c. */
#include "kernel/fs/eventpoll.h"
#include "kernel/fs/eventpoll_internal.h"
#include "kernel/fs/anon_inodes.h"
#include "kernel/fs/file.h"
#include "kernel/fs/select.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/rbtree.h"
#include "mm/slab.h"
#include "proc/signal.h"
#include "proc/wait.h"

struct eventpoll {
	struct mutex mtx;             /* serializes epoll_ctl, event transfer and
				       * removal: protects rbr and the epitems' lives */
	spinlock_t lock;              /* protects rdllist and each epi->rdllink */
	struct list_head rdllist;     /* ready (or possibly ready) items */
	wait_queue_head_t wq;         /* epoll_wait sleepers */
	wait_queue_head_t poll_wait;  /* poll/select/outer epolls watching this one */
	struct rb_root rbr;           /* epitems by (file, fd) */
	struct file *file;
	int refcount;                 /* the file, and eventpoll_release_file at work */
};

struct epitem {
	struct rb_node rbn;           /* in ep->rbr */
	struct list_head rdllink;     /* in ep->rdllist or a scan's list; empty if neither */
	struct file *file;            /* not referenced: the file's release removes us */
	int fd;
	struct eventpoll *ep;
	struct list_head pwqlist;     /* eppoll_entry: the wait queues hooked */
	struct list_head fllink;      /* in file->f_ep_links */
	struct epoll_event event;     /* events (with EPOLLERR|EPOLLHUP) and data */
	int nwait;                    /* wait queues hooked; -1 if one could not be */
};

/* One hooked wait queue of an item. */
struct eppoll_entry {
	struct list_head llink;       /* in epi->pwqlist */
	struct epitem *base;
	struct wait_queue_entry wait; /* func = ep_poll_callback */
	wait_queue_head_t *whead;
};

static const struct file_operations eventpoll_fops;

bool is_file_epoll(struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

static void ep_get(struct eventpoll *ep)
{
	__atomic_add_fetch(&ep->refcount, 1, __ATOMIC_RELAXED);
}

static void ep_put(struct eventpoll *ep)
{
	if (__atomic_sub_fetch(&ep->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(ep);
}

static bool ep_events_available(struct eventpoll *ep)
{
	return READ_ONCE(ep->rdllist.next) != &ep->rdllist;
}

/* Put epi on the ready list unless it is already on one (ep->lock held). */
static void ep_link_ready(struct eventpoll *ep, struct epitem *epi)
{
	if (list_empty(&epi->rdllink))
		list_add_tail(&epi->rdllink, &ep->rdllist);
}

/* Tell epoll_wait sleepers and the pollers of this epoll file. */
static void ep_wake(struct eventpoll *ep)
{
	wake_up(&ep->wq);
	wake_up_poll(&ep->poll_wait, POLLIN);
}

/* ---- the wait-queue side ------------------------------------------------- */

/* A watched file announced a change (its wait queue's lock is held). */
static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int mode, int sync, void *key)
{
	struct eppoll_entry *pwq = container_of(wait, struct eppoll_entry, wait);
	struct epitem *epi = pwq->base;
	struct eventpoll *ep = epi->ep;
	__poll_t pollflags = (__poll_t)(unsigned long)key;
	u32 events = READ_ONCE(epi->event.events);

	(void)mode, (void)sync;
	if (!(events & ~EP_PRIVATE_BITS))
		return 0; /* a one-shot item already reported: disabled until MOD */
	if (pollflags && !(pollflags & events))
		return 0; /* not an event it waits for */
	unsigned long f = spin_lock_irqsave(&ep->lock);
	ep_link_ready(ep, epi);
	spin_unlock_irqrestore(&ep->lock, f);
	ep_wake(ep);
	/* EPOLLEXCLUSIVE: counts as the one exclusive wake-up only if it
	 * is something this item waits for. */
	if (!(events & EPOLLEXCLUSIVE))
		return 1;
	return !pollflags || (pollflags & events & (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP));
}

struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

/* poll_wait() from the watched file's ->poll, when the item is added. */
static void ep_ptable_queue_proc(struct file *f, wait_queue_head_t *whead, poll_table *pt)
{
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;
	struct eppoll_entry *pwq;

	(void)f;
	if (epi->nwait < 0)
		return;
	pwq = kzalloc(sizeof(*pwq));
	if (!pwq) {
		epi->nwait = -1;
		return;
	}
	pwq->base = epi;
	pwq->whead = whead;
	pwq->wait.func = ep_poll_callback;
	if (epi->event.events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(whead, &pwq->wait);
	else
		add_wait_queue(whead, &pwq->wait);
	list_add_tail(&pwq->llink, &epi->pwqlist);
	epi->nwait++;
}

static void ep_unregister_pollwait(struct epitem *epi)
{
	while (!list_empty(&epi->pwqlist)) {
		struct eppoll_entry *pwq = list_first_entry(&epi->pwqlist, struct eppoll_entry, llink);
		list_del(&pwq->llink);
		remove_wait_queue(pwq->whead, &pwq->wait);
		kfree(pwq);
	}
}

/* ---- readiness ----------------------------------------------------------- */

/* What the item's file says now, of the events it waits for. An epoll
 * file inside answers from its own ready list (ep_eventpoll_poll); the
 * loop check keeps that recursion finite. */
static __poll_t ep_item_poll(struct epitem *epi, poll_table *pt)
{
	u32 events = READ_ONCE(epi->event.events);

	if (pt)
		pt->key = events;
	return vfs_poll(epi->file, pt) & events;
}

/* Scans take the ready list (ep->mtx held): callbacks meanwhile see the
 * items taken as still queued, or queue them anew on ep->rdllist. */
static void ep_start_scan(struct eventpoll *ep, struct list_head *txlist)
{
	unsigned long f = spin_lock_irqsave(&ep->lock);

	INIT_LIST_HEAD(txlist);
	if (!list_empty(&ep->rdllist)) {
		*txlist = ep->rdllist;
		txlist->next->prev = txlist;
		txlist->prev->next = txlist;
		INIT_LIST_HEAD(&ep->rdllist);
	}
	spin_unlock_irqrestore(&ep->lock, f);
}

/* The next item of the scan, off every list; NULL at the end. */
static struct epitem *ep_scan_next(struct eventpoll *ep, struct list_head *txlist)
{
	unsigned long f = spin_lock_irqsave(&ep->lock);
	struct epitem *epi = NULL;

	if (!list_empty(txlist)) {
		epi = list_first_entry(txlist, struct epitem, rdllink);
		list_del_init(&epi->rdllink);
	}
	spin_unlock_irqrestore(&ep->lock, f);
	return epi;
}

/* Items not looked at go back in front; epoll_wait sleepers hear of what
 * is left (another thread may take it). */
static void ep_done_scan(struct eventpoll *ep, struct list_head *txlist)
{
	unsigned long f = spin_lock_irqsave(&ep->lock);
	struct epitem *epi;

	while (!list_empty(txlist)) {
		epi = list_entry(txlist->prev, struct epitem, rdllink);
		list_del_init(&epi->rdllink);
		list_add(&epi->rdllink, &ep->rdllist);
	}
	bool more = !list_empty(&ep->rdllist);
	spin_unlock_irqrestore(&ep->lock, f);
	if (more)
		wake_up(&ep->wq);
}

static void ep_requeue(struct eventpoll *ep, struct epitem *epi)
{
	unsigned long f = spin_lock_irqsave(&ep->lock);
	ep_link_ready(ep, epi);
	spin_unlock_irqrestore(&ep->lock, f);
}

/* Is anything on the ready list really ready? Items that are not are
 * dropped from it (their next wake-up queues them again). */
static bool ep_scan_has_ready(struct eventpoll *ep)
{
	struct list_head txlist;
	struct epitem *epi;
	bool ready = false;

	mutex_lock(&ep->mtx);
	ep_start_scan(ep, &txlist);
	while (!ready && (epi = ep_scan_next(ep, &txlist))) {
		if (ep_item_poll(epi, NULL)) {
			ep_requeue(ep, epi);
			ready = true;
		}
	}
	ep_done_scan(ep, &txlist);
	mutex_unlock(&ep->mtx);
	return ready;
}

/* Copy up to maxevents ready events out: their number, or -EFAULT if
 * not even the first could be stored. */
static int ep_send_events(struct eventpoll *ep, struct epoll_event __user *events, int maxevents)
{
	struct list_head txlist;
	struct epitem *epi;
	int res = 0;

	mutex_lock(&ep->mtx);
	ep_start_scan(ep, &txlist);
	while (res < maxevents && (epi = ep_scan_next(ep, &txlist))) {
		__poll_t revents = ep_item_poll(epi, NULL);
		if (!revents)
			continue;
		struct epoll_event ev = { revents, epi->event.data };
		if (copy_to_user(&events[res], &ev, sizeof(ev))) {
			unsigned long f = spin_lock_irqsave(&ep->lock);
			if (list_empty(&epi->rdllink))
				list_add(&epi->rdllink, &txlist);
			spin_unlock_irqrestore(&ep->lock, f);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->event.events & EPOLLONESHOT)
			__atomic_and_fetch(&epi->event.events, EP_PRIVATE_BITS, __ATOMIC_RELAXED);
		else if (!(epi->event.events & EPOLLET))
			ep_requeue(ep, epi); /* level-triggered: asked again next time */
	}
	ep_done_scan(ep, &txlist);
	mutex_unlock(&ep->mtx);
	return res;
}

/* epoll_wait's loop: events, 0 at the deadline, -EINTR on a signal
 * (never restarted, as in Linux). */
int ep_poll(struct eventpoll *ep, struct epoll_event __user *events, int maxevents,
		   u64 deadline)
{
	struct wait_queue_entry w = { .task = current };
	bool timed_out = deadline == POLL_NO_WAIT;

	for (;;) {
		if (ep_events_available(ep)) {
			int res = ep_send_events(ep, events, maxevents);
			if (res)
				return res;
		}
		if (timed_out)
			return 0;
		if (signal_pending(current))
			return -EINTR;
		prepare_to_wait_exclusive(&ep->wq, &w, TASK_INTERRUPTIBLE);
		if (!ep_events_available(ep) && !signal_pending(current))
			timed_out = !poll_schedule_timeout(deadline);
		finish_wait(&ep->wq, &w);
	}
}

/* ---- the set: insert, modify, remove ------------------------------------- */

/* (file, fd) order of the tree. */
static int ep_cmp(struct file *f1, int fd1, struct file *f2, int fd2)
{
	if (f1 != f2)
		return f1 < f2 ? -1 : 1;
	return fd1 < fd2 ? -1 : fd1 > fd2;
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct rb_node *n = ep->rbr.rb_node;

	while (n) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		int c = ep_cmp(f, fd, epi->file, epi->fd);
		if (!c)
			return epi;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static void ep_rbtree_insert(struct eventpoll *ep, struct epitem *epi)
{
	struct rb_node **p = &ep->rbr.rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		struct epitem *e = rb_entry(parent, struct epitem, rbn);
		p = ep_cmp(epi->file, epi->fd, e->file, e->fd) < 0 ? &parent->rb_left
								   : &parent->rb_right;
	}
	rb_link_node(&epi->rbn, parent, p);
	rb_insert_color(&epi->rbn, &ep->rbr);
}

/* Unhook and free an item (ep->mtx held). The wait queues go first, while
 * the file (and what its queues live in) surely still exists; after that
 * no callback can run for it. */
static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	ep_unregister_pollwait(epi);
	spin_lock(&epi->file->f_lock);
	list_del(&epi->fllink);
	spin_unlock(&epi->file->f_lock);
	rb_erase(&epi->rbn, &ep->rbr);
	unsigned long f = spin_lock_irqsave(&ep->lock);
	if (!list_empty(&epi->rdllink))
		list_del_init(&epi->rdllink);
	spin_unlock_irqrestore(&ep->lock, f);
	kfree(epi);
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct file *tf, int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi));
	struct ep_pqueue epq;

	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	INIT_LIST_HEAD(&epi->pwqlist);
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->event = *event;
	spin_lock(&tf->f_lock);
	list_add_tail(&epi->fllink, &tf->f_ep_links);
	spin_unlock(&tf->f_lock);
	ep_rbtree_insert(ep, epi);
	/* Hook the file's wait queues and see whether it is ready already. */
	epq.epi = epi;
	epq.pt.qproc = ep_ptable_queue_proc;
	__poll_t revents = ep_item_poll(epi, &epq.pt);
	if (epi->nwait < 0) {
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	if (revents) {
		ep_requeue(ep, epi);
		ep_wake(ep);
	}
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	epi->event.data = event->data;
	__atomic_store_n(&epi->event.events, event->events, __ATOMIC_SEQ_CST);
	/* A wake-up before the store saw the old events: look now. */
	if (ep_item_poll(epi, NULL)) {
		ep_requeue(ep, epi);
		ep_wake(ep);
	}
	return 0;
}

/* Levels of epoll sets inside `to` (0: none), or -1 if `ep` is among
 * them: adding `to` to `ep` would make a loop. */
static int ep_depth_below(struct eventpoll *ep, struct eventpoll *to)
{
	int depth = 0;

	if (to == ep)
		return -1;
	mutex_lock(&to->mtx);
	for (struct rb_node *n = rb_first(&to->rbr); n && depth >= 0; n = rb_next(n)) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		if (!is_file_epoll(epi->file))
			continue;
		int d = ep_depth_below(ep, epi->file->private_data);
		depth = d < 0 || depth > EP_MAX_NESTS ? -1 : MAX(depth, d + 1);
	}
	mutex_unlock(&to->mtx);
	return depth;
}

/* Levels of epoll sets `ep` is inside (its file's items are the parents'). */
static int ep_depth_above(struct eventpoll *ep)
{
	struct file *f = ep->file;
	struct list_head *p;
	int depth = 0;

	spin_lock(&f->f_lock);
	list_for_each(p, &f->f_ep_links) {
		int d = ep_depth_above(list_entry(p, struct epitem, fllink)->ep) + 1;
		depth = MAX(depth, d);
		if (depth > EP_MAX_NESTS)
			break;
	}
	spin_unlock(&f->f_lock);
	return depth;
}

/* Would adding `to` into `ep` make a loop, or a chain of sets deeper
 * than EP_MAX_NESTS (which bounds the recursion of poll and wake-ups)?
 * epnested_mutex held: no other nesting changes meanwhile, and a parent
 * cannot go while its item is on the child file's list we hold. */
bool ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	int below = ep_depth_below(ep, to);

	return below < 0 || below + 1 + ep_depth_above(ep) > EP_MAX_NESTS;
}

/* A watched file's last reference is going: out of every set (Linux's
 * eventpoll_release_file). The set may be closing at the same time; its
 * reference keeps the eventpoll while we wait for its mutex. */
void eventpoll_release_file(struct file *f)
{
	for (;;) {
		spin_lock(&f->f_lock);
		if (list_empty(&f->f_ep_links)) {
			spin_unlock(&f->f_lock);
			return;
		}
		struct eventpoll *ep = list_first_entry(&f->f_ep_links, struct epitem, fllink)->ep;
		ep_get(ep);
		spin_unlock(&f->f_lock);
		mutex_lock(&ep->mtx);
		for (;;) { /* every item of this set on f (one per fd it was added with) */
			struct epitem *epi = NULL;
			struct list_head *p;
			spin_lock(&f->f_lock);
			list_for_each(p, &f->f_ep_links) {
				struct epitem *e = list_entry(p, struct epitem, fllink);
				if (e->ep == ep) {
					epi = e;
					break;
				}
			}
			spin_unlock(&f->f_lock);
			if (!epi)
				break;
			ep_remove(ep, epi);
		}
		mutex_unlock(&ep->mtx);
		ep_put(ep);
	}
}

/* ---- the epoll file ------------------------------------------------------ */

static __poll_t ep_eventpoll_poll(struct file *f, poll_table *pt)
{
	struct eventpoll *ep = f->private_data;

	poll_wait(f, &ep->poll_wait, pt);
	return ep_scan_has_ready(ep) ? POLLIN | POLLRDNORM : 0;
}

static int ep_eventpoll_release(struct inode *inode, struct file *f)
{
	struct eventpoll *ep = f->private_data;
	struct rb_node *n;

	(void)inode;
	mutex_lock(&ep->mtx);
	while ((n = rb_first(&ep->rbr)))
		ep_remove(ep, rb_entry(n, struct epitem, rbn));
	mutex_unlock(&ep->mtx);
	ep_put(ep);
	return 0;
}

static const struct file_operations eventpoll_fops = {
	.poll = ep_eventpoll_poll,
	.release = ep_eventpoll_release,
};

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->mtx);
	spin_lock_init(&ep->lock);
	INIT_LIST_HEAD(&ep->rdllist);
	init_waitqueue_head(&ep->wq);
	init_waitqueue_head(&ep->poll_wait);
	ep->rbr = RB_ROOT;
	ep->refcount = 1;
	int fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0) {
		kfree(ep);
		return fd;
	}
	struct file *f = anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep,
					    O_RDWR | ((unsigned int)flags & O_CLOEXEC));
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		kfree(ep);
		return (int)PTR_ERR(f);
	}
	ep->file = f;
	fd_install_at(fd, f);
	return fd;
}

/* ---- epoll_ctl's work (the checks are in eventpoll_syscalls.c) ---------- */

static int do_epoll_ctl(struct eventpoll *ep, int op, struct file *tf, int fd,
			struct epoll_event *ev)
{
	struct epitem *epi = ep_find(ep, tf, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, ev, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(ep, epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->event.events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_modify(ep, epi, ev);
	}
	return -EINVAL;
}

int ep_ctl(struct eventpoll *ep, int op, struct file *tf, int fd, struct epoll_event *ev)
{
	mutex_lock(&ep->mtx);
	int err = do_epoll_ctl(ep, op, tf, fd, ev);
	mutex_unlock(&ep->mtx);
	return err;
}
