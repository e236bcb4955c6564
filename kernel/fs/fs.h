/* The VFS's core objects (Linux: include/linux/fs.h): super blocks,
 * inodes, open files and the operation tables a file system fills in.
 * Names live in dentries (kernel/fs/dcache.h), mounts in kernel/fs/mount.h,
 * descriptor tables in kernel/fs/file.h. */
#ifndef KERNEL_FS_FS_H
#define KERNEL_FS_FS_H
#include "kernel/types.h"
#include "kernel/percpu_counter.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "kernel/fs/stat.h"
#include "kernel/errno.h"
#include "proc/mutex.h"

#ifndef NAME_MAX
#define NAME_MAX 255            /* bytes in a path component */
#endif
#ifndef PATH_MAX
#define PATH_MAX 4096           /* bytes in a path, including the NUL */
#endif
#define MAXSYMLINKS 40          /* symlinks followed in one lookup */

/* open(2) flags, Linux's generic values (asm-generic/fcntl.h). */
#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DSYNC     00010000
#define O_DIRECT    00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_SYNC      04010000
#define O_PATH      010000000
#define O_TMPFILE   020200000
/* Kernel-internal (never from user space): open to execute, which
 * needs execute permission but not read permission (Linux: __FMODE_EXEC). */
#define __FMODE_EXEC 040000000

#define AT_FDCWD            -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000
#define AT_EACCESS          0x200

#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define SEEK_DATA 3
#define SEEK_HOLE 4

/* poll(2) events (asm-generic/poll.h). */
#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP  0x2000
typedef unsigned int __poll_t;

/* Mount / super block flags (MS_*, uapi/linux/mount.h). */
#define MS_RDONLY      1
#define MS_NOSUID      2
#define MS_NODEV       4
#define MS_NOEXEC      8
#define MS_REMOUNT     32
#define MS_NOATIME     1024
#define MS_BIND        4096
#define MS_MOVE        8192
#define MS_REC         16384
#define MS_SILENT      32768
#define MNT_FORCE      1
#define MNT_DETACH     2
#define UMOUNT_NOFOLLOW 8

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct inode;
struct dentry;
struct file;
struct super_block;
struct vfsmount;
struct kstat;
struct kstatfs;
struct address_space;
struct vm_area_struct;
struct pipe_inode_info;
struct poll_table_struct;
struct dir_context;
struct path;
struct dentry_operations;
struct fsnotify_mark_connector;

/* ---- moving bytes: one buffer, user or kernel ---------------------------
 * f_op->read_iter/write_iter get the buffer as an iov_iter so the same code
 * serves read(2) (user memory) and kernel_read (exec, page cache). */
struct iov_iter {
	char *ptr;              /* next byte (user address unless kernel) */
	size_t count;           /* bytes left */
	bool kernel;            /* ptr is a kernel address */
	bool append;            /* write at the end whatever f_flags say (RWF_APPEND,
				 * Linux's IOCB_APPEND) */
};
void iov_iter_init(struct iov_iter *i, void __user *buf, size_t n);  /* user */
void iov_iter_kvec(struct iov_iter *i, void *buf, size_t n);         /* kernel */
/* Bytes copied; short (possibly 0) when user memory faults. */
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);
size_t iov_iter_zero(size_t n, struct iov_iter *i);

/* ---- super blocks ---------------------------------------------------------- */
struct super_operations {
	/* The last reference to an inode went and it has no links left (or
	 * the fs does not keep unused inodes): free fs-private parts. */
	void (*evict_inode)(struct inode *inode);
	int (*statfs)(struct super_block *sb, struct kstatfs *buf);
};

struct file_system_type {
	const char *name;       /* "ramfs", "tmpfs", "proc", "devtmpfs" */
	/* Make a super block (with s_root) for a new mount. */
	int (*get_sb)(struct file_system_type *t, unsigned long flags, const char *dev,
		      void *data, struct super_block **out);
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
	bool nodev;             /* "nodev" in /proc/filesystems */
};
int register_filesystem(struct file_system_type *t);
struct file_system_type *get_fs_type(const char *name);
size_t filesystems_show(char *buf, size_t n); /* /proc/filesystems text */

struct super_block {
	const struct super_operations *s_op;
	struct file_system_type *s_type;
	struct dentry *s_root;
	u32 s_dev;              /* st_dev of its files: an anonymous MKDEV(0, n) */
	u64 s_magic;            /* statfs f_type */
	unsigned long s_flags;  /* MS_RDONLY... */
	u64 s_next_ino;         /* inode numbers handed out (atomic) */
	int s_active;           /* mounts using it (atomic) */
	void *s_fs_info;
};
/* A super block with an anonymous device number; s_root left to the caller. */
struct super_block *alloc_super(struct file_system_type *t, const struct super_operations *ops,
				u64 magic);
void deactivate_super(struct super_block *sb); /* drop a mount's reference */

/* ---- inodes ---------------------------------------------------------------- */
struct iattr {
	unsigned int ia_valid;  /* ATTR_* */
	u32 ia_mode, ia_uid, ia_gid;
	u64 ia_size;
	struct timespec64 ia_atime, ia_mtime;
};
#define ATTR_MODE  (1 << 0)
#define ATTR_UID   (1 << 1)
#define ATTR_GID   (1 << 2)
#define ATTR_SIZE  (1 << 3)
#define ATTR_ATIME (1 << 4)
#define ATTR_MTIME (1 << 5)
#define ATTR_CTIME (1 << 6)
#define ATTR_ATIME_SET (1 << 7)  /* an explicit time, not "now": owner only */
#define ATTR_MTIME_SET (1 << 8)
#define ATTR_TOUCH (1 << 17)     /* both times to now: owner or write access */

struct inode_operations {
	/* Find dentry->d_name in dir: d_add(dentry, inode or NULL) and return
	 * NULL, or return an ERR_PTR. */
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry);
	/* Namespace changes: dir->i_rwsem is held; the dentry is negative
	 * (create/mkdir/mknod/symlink/link) or positive (unlink/rmdir). On
	 * success they d_instantiate / d_delete themselves. */
	int (*create)(struct inode *dir, struct dentry *dentry, u32 mode);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, u32 mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, u32 mode, u32 dev);
	int (*symlink)(struct inode *dir, struct dentry *dentry, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*rename)(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
		      struct dentry *new, unsigned int flags);
	/* Symlinks: the target text. Either a pointer that lives as long as
	 * the inode, or a kmalloc'd string stored in *tofree for the caller. */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode, char **tofree);
	/* "Magic" links (/proc/<pid>/fd/N, exe, cwd): the walk jumps straight
	 * to this path (referenced) instead of following the text, so even a
	 * pipe or a deleted file is reached (Linux: nd_jump_link). */
	int (*get_link_path)(struct dentry *dentry, struct path *out);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*getattr)(struct dentry *dentry, struct kstat *st); /* optional */
};

struct inode {
	u64 i_ino;
	u32 i_mode;             /* S_IF* | permission bits */
	u32 i_uid, i_gid;
	u32 i_nlink;            /* names (directories: 2 + subdirectories) */
	u32 i_rdev;             /* device nodes: MKDEV(major, minor) */
	u64 i_size;
	struct timespec64 i_atime, i_mtime, i_ctime;
	int i_count;            /* references (atomic); freed at 0 when i_nlink is 0
				 * or the fs has no way to find it again */
	spinlock_t i_lock;      /* protects i_size, i_nlink, i_mode/uid/gid, times */
	struct mutex i_rwsem;   /* directories: namespace changes inside;
				 * regular files: writes and truncation */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop; /* what open() installs */
	struct address_space *i_mapping;     /* page cache, made on first use */
	struct pipe_inode_info *i_pipe;      /* pipes and FIFOs */
	struct file_lock_context *i_flctx;   /* file locks (kernel/fs/locks.c), made on first use */
	char *i_link;           /* ramfs symlinks: the target (owned) */
	const u8 *i_backing;    /* ramfs: read-only initial contents (initramfs) */
	u64 i_backing_size;     /* bytes of i_backing still part of the file */
	void *i_private;        /* the file system's */
	/* fsnotify (kernel/fs/fsnotify.c): FS_* events some mark wants (0: no
	 * watcher, read without a lock on every read/write), and the marks. */
	u32 i_fsnotify_mask;
	struct fsnotify_mark_connector *i_fsnotify_marks;
};

/* A fresh inode of sb (i_count 1, i_nlink 1, times now, a new i_ino). */
struct inode *new_inode(struct super_block *sb);
/* Live struct files and inodes (/proc/sys/fs/file-nr and inode-nr). */
extern struct percpu_counter nr_files, nr_inodes;
/* An inode of no file system (pipes): st_dev of the "pipefs" super block. */
struct inode *new_inode_pseudo(void);
/* A dentry and internal mount for a pseudo inode (takes its reference);
 * dops NULL: named "pipe:[ino]". */
int pseudo_path(struct inode *inode, const struct dentry_operations *dops, struct path *out);
struct inode *ihold(struct inode *inode);   /* take a reference */
void iput(struct inode *inode);             /* drop one; may free */
/* Char/block/fifo/socket inodes: sets i_fop so open() finds the driver. */
void init_special_inode(struct inode *inode, u32 mode, u32 rdev);
void inode_set_ctime_now(struct inode *inode);
struct timespec64 current_time(void);       /* CLOCK_REALTIME, for timestamps */
void inode_inc_link_count(struct inode *inode);
void inode_dec_link_count(struct inode *inode);
/* Permission check for the current task's fsuid/fsgid; mask is MAY_*. */
int inode_permission(struct inode *inode, int mask);
#define MAY_EXEC  0x1
#define MAY_WRITE 0x2
#define MAY_READ  0x4
/* Owner and group of a new inode from current's fs ids and dir; sets i_mode. */
void inode_init_owner(struct inode *inode, const struct inode *dir, u32 mode);
/* chmod/chown/utimes: may current make this change? (kernel/fs/attr.c) */
int setattr_prepare(struct inode *inode, struct iattr *attr);
/* Writes: drop S_ISUID/S_ISGID unless current has CAP_FSETID. */
void file_remove_privs(struct inode *inode);
/* Check, then apply, an attribute change to the file at p. */
int notify_change(const struct path *p, struct iattr *attr);
/* Apply an iattr to the in-core inode (after checks); ATTR_SIZE not handled. */
void setattr_copy(struct inode *inode, const struct iattr *attr);
void generic_fillattr(struct inode *inode, struct kstat *st);

/* ---- open files ------------------------------------------------------------ */
struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, int namelen, u64 ino,
			  unsigned int d_type);
/* getdents: ->iterate calls ctx->actor for each entry from ctx->pos on,
 * advancing ctx->pos after each accepted one; stops when actor says false. */
struct dir_context {
	filldir_t actor;
	u64 pos;
};
static inline bool dir_emit(struct dir_context *ctx, const char *name, int len, u64 ino,
			    unsigned int type)
{
	return ctx->actor(ctx, name, len, ino, type);
}
/* d_type values */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
static inline unsigned int mode_to_dtype(u32 mode) { return (mode >> 12) & 15; }

struct file_operations {
	s64 (*llseek)(struct file *f, s64 off, int whence);   /* NULL: -ESPIPE */
	ssize_t (*read_iter)(struct file *f, struct iov_iter *to, u64 *pos);
	ssize_t (*write_iter)(struct file *f, struct iov_iter *from, u64 *pos);
	int (*iterate)(struct file *f, struct dir_context *ctx);
	/* Current readiness (POLL*); calls poll_wait() on each wait queue that
	 * a change of readiness is announced on. */
	__poll_t (*poll)(struct file *f, struct poll_table_struct *pt);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *f);      /* may replace f->f_op */
	int (*release)(struct inode *inode, struct file *f);   /* last fput */
	int (*fsync)(struct file *f);
	int (*flush)(struct file *f);                          /* each close() */
};

/* struct file: one open of an inode. f_path holds references to the
 * mount and dentry (NULL dentry for pipes), f_inode one to the inode. */
struct file {
	const struct file_operations *f_op;
	struct vfsmount *f_vfsmnt;   /* f_path: where it was opened */
	struct dentry *f_dentry;
	struct inode *f_inode;
	u64 f_pos;
	unsigned int f_flags;        /* O_* as given to open, less O_CREAT/EXCL/TRUNC */
	unsigned int f_mode;         /* FMODE_* */
	int f_count;                 /* references (atomic) */
	spinlock_t f_lock;           /* protects f_flags changes (fcntl F_SETFL), f_ep_links */
	struct list_head f_ep_links; /* epoll items watching this file (kernel/fs/eventpoll.c) */
	struct mutex f_pos_lock;     /* serializes read/write/lseek on f_pos */
	void *private_data;          /* the driver's (tty, pipe end, /proc text) */
};
#define FMODE_READ   0x1
#define FMODE_WRITE  0x2
#define FMODE_LSEEK  0x4
#define FMODE_PREAD  0x8
#define FMODE_PWRITE 0x10
#define FMODE_PATH   0x4000      /* O_PATH: no I/O */
#define FMODE_MMAP_ANON 0x8000   /* mmap gives anonymous memory (/dev/zero) */

/* A file with f_flags/f_mode from the open flags and nothing else. */
struct file *alloc_empty_file(unsigned int flags);
/* A file on an inode with no dentry (pipes, anonymous files): takes over
 * the caller's inode reference. f_op from fops, f_mode from flags. */
struct file *alloc_file_pseudo(struct inode *inode, unsigned int flags,
			       const struct file_operations *fops);
/* The same with a dentry of its own kind (memfd: "/memfd:NAME (deleted)"). */
struct file *alloc_file_pseudo_ops(struct inode *inode, unsigned int flags,
				   const struct file_operations *fops,
				   const struct dentry_operations *dops);
struct file *fget(int fd);                 /* descriptor -> file, with a reference */
void fput(struct file *f);                 /* last one: ->release, drop path/inode */
static inline struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}
/* open(2) by kernel code: absolute path or relative to the caller's cwd. */
struct file *filp_open(const char *path, int flags, u32 mode);
struct files_struct;
/* close(): flush, drop the record locks owner id holds on it, fput. */
int filp_close(struct file *f, struct files_struct *id);
ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 *pos);
/* Read without a struct file (page cache misses, exec headers). */
ssize_t inode_read(struct inode *inode, void *buf, size_t n, u64 pos);

/* Generic helpers file systems plug in. */
s64 generic_file_llseek(struct file *f, s64 off, int whence);
s64 no_seek_end_llseek(struct file *f, s64 off, int whence); /* /proc files of unknown size */
ssize_t generic_file_read_iter(struct file *f, struct iov_iter *to, u64 *pos); /* page cache */
ssize_t generic_file_write_iter(struct file *f, struct iov_iter *from, u64 *pos);
int generic_file_mmap(struct file *f, struct vm_area_struct *vma);
extern const struct file_operations simple_dir_operations; /* dcache-only dirs (ramfs) */
/* Open files that produce text once at open (most of /proc): the text is
 * made by show(), kept in private_data, read with offsets, freed at close. */
int single_open(struct file *f, size_t (*show)(struct file *f, char *buf, size_t n));
ssize_t single_read(struct file *f, struct iov_iter *to, u64 *pos);
int single_release(struct inode *inode, struct file *f);

/* i_fop of special inodes (init_special_inode): char devices look up
 * their driver at open; FIFOs are pipes (kernel/fs/pipe.c); sockets and
 * block devices have none (-ENXIO). */
extern const struct file_operations def_chr_fops;
extern const struct file_operations pipefifo_fops;
extern const struct file_operations bad_sock_fops;

/* ---- character devices ---------------------------------------------------- */
/* Opening an S_IFCHR inode runs the fops registered for its major (and
 * minor range); their ->open may pick per-minor fops. -ENXIO if none. */
int register_chrdev(unsigned int major, unsigned int minor_base, unsigned int count,
		    const char *name, const struct file_operations *fops);

/* ---- poll (kernel/fs/select.c) ----------------------------------------- */
struct wait_queue_head;
typedef struct poll_table_struct poll_table;
struct poll_table_struct {
	void (*qproc)(struct file *f, struct wait_queue_head *wq, poll_table *pt);
	__poll_t key;           /* events the poller wants */
};
static inline void poll_wait(struct file *f, struct wait_queue_head *wq, poll_table *pt)
{
	if (pt && pt->qproc && wq)
		pt->qproc(f, wq, pt);
}
/* Readiness of f without waiting (files without ->poll are always ready). */
__poll_t vfs_poll(struct file *f, poll_table *pt);
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

#endif
