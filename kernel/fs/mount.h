/* Mounts (Linux: fs/mount.h, include/linux/mount.h). A vfsmount attaches
 * a super block's tree at a dentry of its parent mount; a path is the
 * pair (mount, dentry) that every lookup and open file carries. */
#ifndef KERNEL_FS_MOUNT_H
#define KERNEL_FS_MOUNT_H
#include "kernel/fs/dcache.h"

struct vfsmount {
	struct dentry *mnt_root;       /* root of the mounted tree */
	struct super_block *mnt_sb;
	struct vfsmount *mnt_parent;   /* itself for the root mount */
	struct dentry *mnt_mountpoint; /* in mnt_parent */
	struct list_head mnt_list;     /* all mounts, in mount order (/proc/mounts) */
	int mnt_count;                 /* references (atomic): paths, open files */
	int mnt_flags;                 /* MNT_* / MS_RDONLY... */
	char mnt_devname[32];
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct vfsmount *mntget(struct vfsmount *m);
void mntput(struct vfsmount *m);
void path_get(const struct path *p);
void path_put(const struct path *p);
static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* The mount on top of (mnt, dentry), with a reference; NULL if none. */
struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct dentry *dentry);
/* Mount a new instance of fs type at path. */
int do_mount(const char *dev, const struct path *where, const char *type,
	     unsigned long flags, void *data);
/* An internal mount of sb (pipefs), in no tree: paths of pseudo files. */
struct vfsmount *kern_mount_sb(struct super_block *sb, const char *name);
/* The first time, make *mntp an internal mount of a new pseudo file
 * system of type t (pipefs, sockfs) with a root directory; false if no
 * memory. Later calls return at once. */
bool kern_mount_pseudo_once(struct vfsmount **mntp, struct file_system_type *t, u64 magic);
/* The root file system: called once at boot. */
void mnt_init(void);
void init_mount_root(struct path *root);       /* the "/" every task starts with */
/* /proc/mounts text. */
size_t mounts_show(char *buf, size_t n);
/* Path name of p relative to root (the caller's root), at the end of buf;
 * returns its start, or ERR_PTR(-ENAMETOOLONG). */
char *d_path(const struct path *p, const struct path *root, char *buf, int buflen);

#endif
