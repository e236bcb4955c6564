/* File system change notification (Linux: include/linux/fsnotify*.h): the
 * VFS calls the fsnotify_* hooks below where a file is opened, read,
 * written, closed, changed or (un)named; marks on inodes route the events
 * to groups (an inotify instance is one). With no mark anywhere near, a
 * hook costs two loads and a branch. */
#ifndef KERNEL_FS_FSNOTIFY_H
#define KERNEL_FS_FSNOTIFY_H
#include "kernel/fs/fs.h"
#include "kernel/fs/dcache.h"
#include "proc/wait_queue.h"

/* Event bits, the same values as inotify's IN_* (uapi/linux/inotify.h). */
#define FS_ACCESS        0x00000001
#define FS_MODIFY        0x00000002
#define FS_ATTRIB        0x00000004
#define FS_CLOSE_WRITE   0x00000008
#define FS_CLOSE_NOWRITE 0x00000010
#define FS_OPEN          0x00000020
#define FS_MOVED_FROM    0x00000040
#define FS_MOVED_TO      0x00000080
#define FS_CREATE        0x00000100
#define FS_DELETE        0x00000200
#define FS_DELETE_SELF   0x00000400
#define FS_MOVE_SELF     0x00000800
#define FS_UNMOUNT       0x00002000
#define FS_Q_OVERFLOW    0x00004000
#define FS_IN_IGNORED    0x00008000
#define FS_EVENT_ON_CHILD 0x08000000 /* a directory's mark: also events of its children */
#define FS_ISDIR         0x40000000
#define ALL_FSNOTIFY_EVENTS 0x00000fff
/* Events a watched directory also hears about its children (with a name). */
#define FS_EVENTS_POSS_ON_CHILD (FS_ACCESS | FS_MODIFY | FS_ATTRIB | FS_CLOSE_WRITE | \
				 FS_CLOSE_NOWRITE | FS_OPEN)

struct fsnotify_group;
struct fsnotify_mark;

struct fsnotify_ops {
	/* One event for one mark, called with the inode's mark list locked
	 * (a spinlock: no sleeping). name: the child's, or NULL. */
	void (*handle_inode_event)(struct fsnotify_mark *mark, u32 mask, const char *name,
				   u32 name_len, u32 cookie);
	/* The mark left its inode (rm_watch, the inode died, the group closes). */
	void (*freeing_mark)(struct fsnotify_mark *mark, struct fsnotify_group *group);
};

/* A queued event; the backend embeds it first in a kmalloc'd block
 * (inotify_event_info), so kfree of it frees the whole event. */
struct fsnotify_event {
	struct list_head list;
};

/* One listener (Linux: struct fsnotify_group). */
struct fsnotify_group {
	const struct fsnotify_ops *ops;
	int refcnt;                        /* the file and each mark (atomic) */
	spinlock_t notification_lock;      /* protects notification_list, q_len, shutdown */
	struct list_head notification_list;
	unsigned int q_len, max_events;
	bool shutdown;                     /* closing: queue nothing more */
	wait_queue_head_t notification_waitq; /* readers, pollers, epoll items */
	struct fsnotify_event *overflow_event; /* queued once when the queue is full (kmalloc'd) */
	struct mutex mark_mutex;           /* protects marks_list and each mark's g_list/flags */
	struct list_head marks_list;
	struct inotify_group_private_data {
		int last_wd;               /* last watch descriptor, under mark_mutex */
		struct inotify_ucounts *ucounts; /* the user charged for it and its watches */
	} inotify_data;
};

#define FSNOTIFY_MARK_FLAG_ATTACHED 0x1 /* on its inode and in its group */
/* mark->mflags */
#define FSNOTIFY_MARK_ONESHOT     0x1  /* destroy after the first event */
#define FSNOTIFY_MARK_EXCL_UNLINK 0x2  /* no child events once the child is unlinked */

/* One group's interest in one inode (Linux: struct fsnotify_mark). It
 * pins the inode, as Linux's marks do, until it is destroyed. */
struct fsnotify_mark {
	u32 mask;                    /* FS_* wanted; changed under the inode's list lock */
	u32 mflags;                  /* FSNOTIFY_MARK_ONESHOT...; under the inode's list lock */
	int refcnt;                  /* atomic */
	unsigned int flags;          /* FSNOTIFY_MARK_FLAG_*, under group->mark_mutex */
	bool oneshot_fired;          /* under the inode's list lock */
	struct fsnotify_mark *destroy_next; /* a fired oneshot waiting to be destroyed */
	struct fsnotify_group *group;
	struct inode *inode;
	struct list_head g_list;     /* in group->marks_list */
	struct list_head obj_list;   /* in the inode's connector */
	int wd;                      /* inotify's watch descriptor */
};

/* The marks of one inode; made with the first mark, freed with the inode. */
struct fsnotify_mark_connector {
	spinlock_t lock;             /* protects list and the inode's i_fsnotify_mask */
	struct list_head list;
	struct inode *inode;
	struct list_head conns;      /* in the list of all connectors (unmount walks it) */
};

/* Directory marks that want child events, system wide: when 0, hooks
 * skip looking at the parent at all. */
extern int fsnotify_child_watchers;

/* ---- groups and marks (kernel/fs/fsnotify.c) ---- */
struct fsnotify_group *fsnotify_alloc_group(const struct fsnotify_ops *ops);
void fsnotify_put_group(struct fsnotify_group *group);
/* Destroy every mark, then drop the caller's reference. */
void fsnotify_destroy_group(struct fsnotify_group *group);
/* Queue an event (NULL: memory ran out) unless it repeats the last one
 * (merge says so) or the queue is full (then the overflow event goes in
 * once). true: queued; false: the caller frees it. */
bool fsnotify_add_event(struct fsnotify_group *group, struct fsnotify_event *event,
			bool (*merge)(struct fsnotify_event *last, struct fsnotify_event *event));
/* The first queued event (left queued) or NULL; notification_lock held. */
struct fsnotify_event *fsnotify_peek_first_event(struct fsnotify_group *group);
void fsnotify_init_mark(struct fsnotify_mark *mark, struct fsnotify_group *group);
/* Attach to inode (takes an inode reference); group->mark_mutex held. */
int fsnotify_add_inode_mark_locked(struct fsnotify_mark *mark, struct inode *inode, u32 mask);
void fsnotify_set_mark_mask(struct fsnotify_mark *mark, u32 mask);
void fsnotify_get_mark(struct fsnotify_mark *mark);
void fsnotify_put_mark(struct fsnotify_mark *mark);
/* Detach (queues the backend's IN_IGNORED) and drop the list reference. */
void fsnotify_destroy_mark(struct fsnotify_mark *mark);

/* ---- delivery ---- */
u32 fsnotify_get_cookie(void);
/* mask about inode: to dir's marks with the name, or (dir NULL) to the
 * inode's own marks. */
void fsnotify(u32 mask, struct inode *inode, struct inode *dir, const char *name, u32 name_len,
	      u32 cookie);
void __fsnotify_parent(struct dentry *d, u32 mask);
/* The inode's last name and dentry went: IN_DELETE_SELF, then its marks go. */
void __fsnotify_inoderemove(struct inode *inode);
void fsnotify_inode_free(struct inode *inode);
/* sb is going away: IN_UNMOUNT to every mark on its inodes, then they go
 * (IN_IGNORED), so no watch keeps an inode of a dead super block. */
void fsnotify_sb_delete(struct super_block *sb);

static inline bool fsnotify_watched(const struct inode *inode)
{
	return __atomic_load_n(&inode->i_fsnotify_mask, __ATOMIC_RELAXED) != 0;
}

/* An event about d's inode (reported to a watching parent with d's name). */
static inline void fsnotify_dentry(struct dentry *d, u32 mask)
{
	if (!d || !d->d_inode)
		return;
	if (fsnotify_watched(d->d_inode) || __atomic_load_n(&fsnotify_child_watchers, __ATOMIC_RELAXED))
		__fsnotify_parent(d, mask);
}

static inline void fsnotify_file(struct file *f, u32 mask)
{
	if (!(f->f_mode & FMODE_PATH))
		fsnotify_dentry(f->f_dentry, mask);
}
static inline void fsnotify_open(struct file *f) { fsnotify_file(f, FS_OPEN); }
static inline void fsnotify_access(struct file *f) { fsnotify_file(f, FS_ACCESS); }
static inline void fsnotify_modify(struct file *f) { fsnotify_file(f, FS_MODIFY); }
static inline void fsnotify_close(struct file *f)
{
	fsnotify_file(f, (f->f_mode & FMODE_WRITE) ? FS_CLOSE_WRITE : FS_CLOSE_NOWRITE);
}

/* An event about inode alone (its link count, its move, its death). */
static inline void fsnotify_inode(struct inode *inode, u32 mask)
{
	if (fsnotify_watched(inode))
		fsnotify(mask, inode, NULL, NULL, 0, 0);
}
static inline void fsnotify_link_count(struct inode *inode) { fsnotify_inode(inode, FS_ATTRIB); }

/* A name in dir was made, removed or moved (inode: what it names). */
static inline void fsnotify_name(struct inode *dir, u32 mask, struct inode *inode,
				 const struct qstr *name, u32 cookie)
{
	if (fsnotify_watched(dir))
		fsnotify(mask, inode, dir, name->name, name->len, cookie);
}
static inline void fsnotify_create(struct inode *dir, struct dentry *d)
{
	if (d->d_inode)
		fsnotify_name(dir, FS_CREATE, d->d_inode, &d->d_name, 0);
}
static inline void fsnotify_link(struct inode *dir, struct inode *inode, struct dentry *d)
{
	fsnotify_link_count(inode);
	fsnotify_name(dir, FS_CREATE, inode, &d->d_name, 0);
}
static inline void fsnotify_delete(struct inode *dir, struct inode *inode, struct dentry *d)
{
	fsnotify_name(dir, FS_DELETE, inode, &d->d_name, 0);
}
void fsnotify_move(struct inode *old_dir, struct inode *new_dir, const struct qstr *old_name,
		   const struct qstr *new_name, struct inode *source, struct inode *target);
/* notify_change's attributes as events (Linux: fsnotify_change). */
void fsnotify_change(struct dentry *d, unsigned int ia_valid);

static inline void fsnotify_inoderemove(struct inode *inode)
{
	if (inode->i_fsnotify_marks)
		__fsnotify_inoderemove(inode);
}

#endif
