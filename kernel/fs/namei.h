/* Path name lookup (Linux: fs/namei.c): components walked from the root
 * or a start directory through the dcache, crossing mount points and
 * following symlinks (at most 40), checking search permission. */
#ifndef KERNEL_FS_NAMEI_H
#define KERNEL_FS_NAMEI_H
#include "kernel/fs/mount.h"

/* lookup flags */
#define LOOKUP_FOLLOW    0x0001  /* follow a final symlink */
#define LOOKUP_DIRECTORY 0x0002  /* the result must be a directory */
#define LOOKUP_EMPTY     0x4000  /* "" names the start directory (AT_EMPTY_PATH) */

/* Copy a path from user memory (kmalloc'd, PATH_MAX): ERR_PTR on -EFAULT,
 * -ENAMETOOLONG, or -ENOENT for "" unless empty_ok. Free with putname. */
char *getname(const char __user *name, bool empty_ok);
void putname(char *name);

/* Walk name from dfd (AT_FDCWD: the cwd; ignored for absolute names). */
int filename_lookup(int dfd, const char *name, unsigned int flags, struct path *out);
int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *out);
int kern_path(const char *name, unsigned int flags, struct path *out);

/* For creating name: returns the parent's path (referenced) with its inode's
 * i_rwsem held and the last component's dentry (referenced; negative if the
 * name is free). Release with done_path_create. ERR_PTR on error; -EEXIST
 * when the name exists and must_be_new. A trailing slash is allowed only
 * when is_dir. */
struct dentry *filename_create(int dfd, const char *name, struct path *parent, bool is_dir);
void done_path_create(struct path *parent, struct dentry *d);

/* namei_ops.c's view of a walk: the parent of name's last component
 * (referenced) and that component (pointing into name); *type is 0 for a
 * normal name, 1 ".", 2 "..", 3 none ("/"). */
int kern_path_parent(int dfd, const char *name, struct path *parent, struct qstr *last,
		     int *type, bool *trailing_slash);
/* dir's child called name (maybe negative); dir's i_rwsem held. */
struct dentry *lookup_one_for_change(struct dentry *dir, const struct qstr *name);

/* The open(2) path: O_CREAT/O_EXCL/O_TRUNC/O_DIRECTORY/O_NOFOLLOW/O_PATH... */
struct file *do_filp_open(int dfd, const char *name, int flags, u32 mode);
/* Open an existing path (exec, /proc). */
struct file *dentry_open(const struct path *p, int flags);

/* Namespace changes with Linux's checks (also used by unlinkat & co). */
int vfs_create(struct inode *dir, struct dentry *d, u32 mode);
int vfs_mkdir(struct inode *dir, struct dentry *d, u32 mode);
int vfs_mknod(struct inode *dir, struct dentry *d, u32 mode, u32 dev);
int vfs_symlink(struct inode *dir, struct dentry *d, const char *target);
int vfs_unlink(struct inode *dir, struct dentry *d);
int vfs_rmdir(struct inode *dir, struct dentry *d);
int vfs_truncate(const struct path *p, u64 size);
int do_truncate(struct dentry *d, u64 size);
/* The text of a symlink, for readlink. */
int vfs_readlink(struct dentry *d, char __user *buf, int buflen);

#endif
