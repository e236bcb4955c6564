/* The fsnotify core (Linux: fs/notify/fsnotify.c, mark.c, group.c,
 * notification.c): groups with their event queues, marks tying a group
 * to an inode, and delivery of the VFS hooks' events to the marks of the
 * inode concerned and of its parent directory. */
#include "kernel/fs/fsnotify.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "proc/wait.h"

int fsnotify_child_watchers;
static LIST_HEAD(fsnotify_conns);
static DEFINE_SPINLOCK(fsnotify_conns_lock); /* protects fsnotify_conns (each connector's conns) */
static u32 fsnotify_cookie; /* rename cookies handed out (atomic) */

u32 fsnotify_get_cookie(void)
{
	return __atomic_add_fetch(&fsnotify_cookie, 1, __ATOMIC_RELAXED);
}

/* ---- groups and their queue ---------------------------------------------- */

struct fsnotify_group *fsnotify_alloc_group(const struct fsnotify_ops *ops)
{
	struct fsnotify_group *g = kzalloc(sizeof(*g));

	if (!g)
		return NULL;
	g->ops = ops;
	g->refcnt = 1;
	spin_lock_init(&g->notification_lock);
	INIT_LIST_HEAD(&g->notification_list);
	init_waitqueue_head(&g->notification_waitq);
	mutex_init(&g->mark_mutex);
	INIT_LIST_HEAD(&g->marks_list);
	return g;
}

void fsnotify_put_group(struct fsnotify_group *g)
{
	if (__atomic_sub_fetch(&g->refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	kfree(g->overflow_event);
	kfree(g);
}

void fsnotify_destroy_group(struct fsnotify_group *g)
{
	spin_lock(&g->notification_lock);
	g->shutdown = true;
	spin_unlock(&g->notification_lock);
	mutex_lock(&g->mark_mutex);
	while (!list_empty(&g->marks_list)) {
		struct fsnotify_mark *m = list_first_entry(&g->marks_list, struct fsnotify_mark, g_list);
		fsnotify_get_mark(m);
		mutex_unlock(&g->mark_mutex);
		fsnotify_destroy_mark(m);
		fsnotify_put_mark(m);
		mutex_lock(&g->mark_mutex);
	}
	mutex_unlock(&g->mark_mutex);
	spin_lock(&g->notification_lock);
	while (!list_empty(&g->notification_list)) {
		struct fsnotify_event *e = list_first_entry(&g->notification_list,
							    struct fsnotify_event, list);
		list_del_init(&e->list);
		if (e != g->overflow_event)
			kfree(e);
	}
	g->q_len = 0;
	spin_unlock(&g->notification_lock);
	fsnotify_put_group(g);
}

bool fsnotify_add_event(struct fsnotify_group *g, struct fsnotify_event *event,
			bool (*merge)(struct fsnotify_event *last, struct fsnotify_event *event))
{
	bool queued = false;

	spin_lock(&g->notification_lock);
	if (g->shutdown) {
		spin_unlock(&g->notification_lock);
		return false;
	}
	if (!event || g->q_len >= g->max_events) {
		/* Lost events are reported once, by the overflow event. */
		struct fsnotify_event *ov = g->overflow_event;
		if (ov && list_empty(&ov->list)) {
			list_add_tail(&ov->list, &g->notification_list);
			g->q_len++;
			queued = true;
		}
		spin_unlock(&g->notification_lock);
		if (queued)
			wake_up_poll(&g->notification_waitq, POLLIN | POLLRDNORM);
		return false;
	}
	if (!list_empty(&g->notification_list) &&
	    merge(list_entry(g->notification_list.prev, struct fsnotify_event, list), event)) {
		spin_unlock(&g->notification_lock);
		return false;
	}
	list_add_tail(&event->list, &g->notification_list);
	g->q_len++;
	spin_unlock(&g->notification_lock);
	wake_up_poll(&g->notification_waitq, POLLIN | POLLRDNORM);
	return true;
}

struct fsnotify_event *fsnotify_peek_first_event(struct fsnotify_group *g)
{
	if (list_empty(&g->notification_list))
		return NULL;
	return list_first_entry(&g->notification_list, struct fsnotify_event, list);
}

/* ---- marks ---------------------------------------------------------------- */

void fsnotify_init_mark(struct fsnotify_mark *mark, struct fsnotify_group *g)
{
	mark->refcnt = 1; /* the attachment's, dropped by fsnotify_destroy_mark */
	mark->group = g;
	__atomic_add_fetch(&g->refcnt, 1, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&mark->g_list);
	INIT_LIST_HEAD(&mark->obj_list);
}

void fsnotify_get_mark(struct fsnotify_mark *mark)
{
	__atomic_add_fetch(&mark->refcnt, 1, __ATOMIC_RELAXED);
}

void fsnotify_put_mark(struct fsnotify_mark *mark)
{
	if (__atomic_sub_fetch(&mark->refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fsnotify_put_group(mark->group);
	kfree(mark);
}

/* The inode's mask is the union of its marks' (connector lock held). */
static void recalc_mask(struct inode *inode, struct fsnotify_mark_connector *conn)
{
	u32 mask = 0;
	struct list_head *p;

	list_for_each(p, &conn->list)
		mask |= list_entry(p, struct fsnotify_mark, obj_list)->mask;
	__atomic_store_n(&inode->i_fsnotify_mask, mask, __ATOMIC_RELEASE);
}

static void count_child_watch(u32 old_mask, u32 new_mask)
{
	int d = !!(new_mask & FS_EVENT_ON_CHILD) - !!(old_mask & FS_EVENT_ON_CHILD);

	if (d)
		__atomic_add_fetch(&fsnotify_child_watchers, d, __ATOMIC_RELAXED);
}

/* The connector stays until the inode is freed, so delivery may lock it
 * after reading the pointer without further references. */
static struct fsnotify_mark_connector *get_connector(struct inode *inode)
{
	struct fsnotify_mark_connector *c = __atomic_load_n(&inode->i_fsnotify_marks,
							     __ATOMIC_ACQUIRE);
	if (c)
		return c;
	c = kzalloc(sizeof(*c));
	if (!c)
		return NULL;
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->list);
	c->inode = inode;
	struct fsnotify_mark_connector *old = NULL;
	if (!__atomic_compare_exchange_n(&inode->i_fsnotify_marks, &old, c, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		kfree(c);
		return old;
	}
	spin_lock(&fsnotify_conns_lock);
	list_add_tail(&c->conns, &fsnotify_conns);
	spin_unlock(&fsnotify_conns_lock);
	return c;
}

int fsnotify_add_inode_mark_locked(struct fsnotify_mark *mark, struct inode *inode, u32 mask)
{
	struct fsnotify_mark_connector *conn = get_connector(inode);

	if (!conn)
		return -ENOMEM;
	mark->inode = ihold(inode);
	spin_lock(&conn->lock);
	mark->mask = mask;
	list_add_tail(&mark->obj_list, &conn->list);
	count_child_watch(0, mask);
	recalc_mask(inode, conn);
	spin_unlock(&conn->lock);
	mark->flags |= FSNOTIFY_MARK_FLAG_ATTACHED;
	list_add_tail(&mark->g_list, &mark->group->marks_list);
	return 0;
}

void fsnotify_set_mark_mask(struct fsnotify_mark *mark, u32 mask)
{
	struct fsnotify_mark_connector *conn = mark->inode->i_fsnotify_marks;

	spin_lock(&conn->lock);
	count_child_watch(mark->mask, mask);
	mark->mask = mask;
	recalc_mask(mark->inode, conn);
	spin_unlock(&conn->lock);
}

void fsnotify_destroy_mark(struct fsnotify_mark *mark)
{
	struct fsnotify_group *g = mark->group;

	mutex_lock(&g->mark_mutex);
	if (!(mark->flags & FSNOTIFY_MARK_FLAG_ATTACHED)) {
		mutex_unlock(&g->mark_mutex); /* someone else is destroying it */
		return;
	}
	mark->flags &= ~FSNOTIFY_MARK_FLAG_ATTACHED;
	list_del_init(&mark->g_list);
	mutex_unlock(&g->mark_mutex);

	struct inode *inode = mark->inode;
	struct fsnotify_mark_connector *conn = inode->i_fsnotify_marks;
	spin_lock(&conn->lock);
	list_del_init(&mark->obj_list);
	count_child_watch(mark->mask, 0);
	recalc_mask(inode, conn);
	spin_unlock(&conn->lock);
	g->ops->freeing_mark(mark, g);
	iput(inode);
	fsnotify_put_mark(mark);
}

/* ---- delivery ------------------------------------------------------------- */

/* mask to the marks of inode "to". on_child: the event is about a child
 * of "to" (named by name); unlinked: that child has no name any more. */
static void send_to_marks(struct inode *to, u32 mask, const char *name, u32 len, u32 cookie,
			  bool on_child, bool unlinked)
{
	struct fsnotify_mark_connector *conn = __atomic_load_n(&to->i_fsnotify_marks,
								__ATOMIC_ACQUIRE);
	struct fsnotify_mark *fired = NULL;
	u32 ev = mask & (ALL_FSNOTIFY_EVENTS | FS_UNMOUNT);
	struct list_head *p;

	if (!conn)
		return;
	spin_lock(&conn->lock);
	list_for_each(p, &conn->list) {
		struct fsnotify_mark *m = list_entry(p, struct fsnotify_mark, obj_list);
		if (!(m->mask & ev) || m->oneshot_fired)
			continue;
		if (on_child && (!(m->mask & FS_EVENT_ON_CHILD) ||
				 (unlinked && (m->mflags & FSNOTIFY_MARK_EXCL_UNLINK))))
			continue;
		m->group->ops->handle_inode_event(m, mask, name, len, cookie);
		if (m->mflags & FSNOTIFY_MARK_ONESHOT) {
			m->oneshot_fired = true;
			fsnotify_get_mark(m);
			m->destroy_next = fired;
			fired = m;
		}
	}
	spin_unlock(&conn->lock);
	while (fired) { /* destroying takes the group's mutex: not under the spinlock */
		struct fsnotify_mark *m = fired;
		fired = m->destroy_next;
		fsnotify_destroy_mark(m);
		fsnotify_put_mark(m);
	}
}

void fsnotify(u32 mask, struct inode *inode, struct inode *dir, const char *name, u32 name_len,
	      u32 cookie)
{
	if (inode && S_ISDIR(inode->i_mode))
		mask |= FS_ISDIR;
	send_to_marks(dir ? dir : inode, mask, name, name_len, cookie, false, false);
}

/* d_move changes d_parent and the name under d->d_lock, so both are read
 * consistently there; the parent's reference keeps it while we report. */
void __fsnotify_parent(struct dentry *d, u32 mask)
{
	struct inode *inode = d->d_inode;
	char name[NAME_MAX + 1];

	if (S_ISDIR(inode->i_mode))
		mask |= FS_ISDIR;
	if ((mask & FS_EVENTS_POSS_ON_CHILD) &&
	    __atomic_load_n(&fsnotify_child_watchers, __ATOMIC_RELAXED)) {
		spin_lock(&d->d_lock);
		struct dentry *parent = d->d_parent;
		u32 len = d->d_name.len;
		bool unlinked = !(d->d_flags & DCACHE_HASHED);
		if (parent != d) {
			dget(parent);
			memcpy(name, d->d_name.name, len);
			name[len] = 0;
		}
		spin_unlock(&d->d_lock);
		if (parent != d) {
			struct inode *dir = parent->d_inode;
			if (dir && fsnotify_watched(dir))
				send_to_marks(dir, mask, name, len, 0, true, unlinked);
			dput(parent);
		}
	}
	if (fsnotify_watched(inode))
		send_to_marks(inode, mask, NULL, 0, 0, false, false);
}

void fsnotify_move(struct inode *old_dir, struct inode *new_dir, const struct qstr *old_name,
		   const struct qstr *new_name, struct inode *source, struct inode *target)
{
	if (fsnotify_watched(old_dir) || fsnotify_watched(new_dir)) {
		u32 cookie = fsnotify_get_cookie();
		fsnotify_name(old_dir, FS_MOVED_FROM, source, old_name, cookie);
		fsnotify_name(new_dir, FS_MOVED_TO, source, new_name, cookie);
	}
	if (target)
		fsnotify_link_count(target);
	fsnotify_inode(source, FS_MOVE_SELF);
}

void fsnotify_change(struct dentry *d, unsigned int ia_valid)
{
	u32 mask = 0;

	if (ia_valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= FS_ATTRIB;
	if (ia_valid & ATTR_SIZE)
		mask |= FS_MODIFY;
	/* Both times: a utimes call; one alone: an access or a change. */
	if ((ia_valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= FS_ATTRIB;
	else if (ia_valid & ATTR_ATIME)
		mask |= FS_ACCESS;
	else if (ia_valid & ATTR_MTIME)
		mask |= FS_MODIFY;
	if (mask)
		fsnotify_dentry(d, mask);
}

/* Destroy every mark of inode (each queues its IN_IGNORED). */
static void destroy_inode_marks(struct inode *inode)
{
	struct fsnotify_mark_connector *conn = inode->i_fsnotify_marks;

	for (;;) {
		spin_lock(&conn->lock);
		if (list_empty(&conn->list)) {
			spin_unlock(&conn->lock);
			return;
		}
		struct fsnotify_mark *m = list_first_entry(&conn->list, struct fsnotify_mark,
							   obj_list);
		fsnotify_get_mark(m);
		spin_unlock(&conn->lock);
		fsnotify_destroy_mark(m);
		fsnotify_put_mark(m);
	}
}

void __fsnotify_inoderemove(struct inode *inode)
{
	fsnotify_inode(inode, FS_DELETE_SELF);
	destroy_inode_marks(inode);
}

void fsnotify_inode_free(struct inode *inode)
{
	struct fsnotify_mark_connector *c = inode->i_fsnotify_marks;

	if (!c)
		return;
	spin_lock(&fsnotify_conns_lock);
	list_del(&c->conns);
	spin_unlock(&fsnotify_conns_lock);
	kfree(c);
}

/* A watched inode of sb, with a reference, or NULL. */
static struct inode *next_watched_inode(struct super_block *sb)
{
	struct inode *found = NULL;
	struct list_head *p;

	spin_lock(&fsnotify_conns_lock);
	list_for_each(p, &fsnotify_conns) {
		struct fsnotify_mark_connector *c = list_entry(p, struct fsnotify_mark_connector, conns);
		if (c->inode->i_sb == sb && fsnotify_watched(c->inode)) {
			found = ihold(c->inode); /* its marks pin it: not being freed */
			break;
		}
	}
	spin_unlock(&fsnotify_conns_lock);
	return found;
}

void fsnotify_sb_delete(struct super_block *sb)
{
	struct inode *inode;

	while ((inode = next_watched_inode(sb))) {
		fsnotify(FS_UNMOUNT, inode, NULL, NULL, 0, 0);
		destroy_inode_marks(inode);
		iput(inode);
	}
}
