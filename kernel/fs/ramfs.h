/* ramfs: the in-memory file tree the kernel unpacks the initramfs into,
 * the start of the root file system. Inodes (files, directories, symlinks,
 * device nodes) are linked into directories by name; a later VFS layer
 * builds open files on top of struct inode and these functions. */
#ifndef KERNEL_FS_RAMFS_H
#define KERNEL_FS_RAMFS_H
#include "kernel/types.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "kernel/fs/stat.h"

#ifndef NAME_MAX
#define NAME_MAX 255            /* bytes in a path component */
#endif
#ifndef PATH_MAX
#define PATH_MAX 4096           /* bytes in a path, including the NUL */
#endif
#define MAXSYMLINKS 40          /* symlinks followed in one lookup */

struct address_space;

/*
 * Lifetime: refcount counts in-memory references (callers holding the
 * pointer, and each subdirectory's parent pointer); i_nlink counts names
 * (for a directory: 2 + number of subdirectories while it is linked, 0 once
 * removed). An inode is freed when both reach 0. The root never is.
 *
 * i_lock protects children, the data fields, i_size, i_nlink and refcount.
 * Lock order: a directory before its children.
 */
struct inode {
	u64 i_ino;
	u32 i_mode;             /* S_IF* | permission bits */
	u32 i_uid, i_gid;
	u32 i_nlink;
	u32 i_rdev;             /* device nodes: MKDEV(major, minor) */
	u64 i_size;             /* file bytes, or symlink target length */
	s64 i_mtime;            /* seconds since the epoch */
	int refcount;
	spinlock_t i_lock;

	/* Directories */
	struct inode *parent;   /* ".." (holds a reference); root: itself */
	struct list_head children; /* of struct ramfs_dentry, by d_child */

	/* Regular files: contents are i_data[0..i_size). They live either in
	 * memory the caller keeps alive (ramfs_set_data, e.g. the initrd) or
	 * in a buffer ramfs owns (i_data_owned; after ramfs_write/truncate). */
	const u8 *i_data;
	bool i_data_owned;
	size_t i_data_cap;      /* allocated bytes when owned */

	/* Symlinks: NUL-terminated target, owned; length is i_size. */
	char *i_link;

	void *i_private;        /* free for the VFS layer */
	struct address_space *i_mapping; /* page cache, made on first mmap/exec */
};

/* Called just before an inode is freed (the page cache drops its pages). */
extern void (*ramfs_release_hook)(struct inode *inode);

/* A name in a directory. */
struct ramfs_dentry {
	struct list_head d_child;
	struct inode *d_inode;  /* holds a link (i_nlink), not a refcount */
	size_t d_namelen;
	char d_name[];          /* NUL-terminated */
};

/* What ramfs_readdir returns for one directory entry. */
struct ramfs_dirent {
	u64 ino;
	u32 mode;
	size_t namelen;
	char name[NAME_MAX + 1];
};

#define RAMFS_NOFOLLOW 1        /* ramfs_resolve_at: don't follow a final symlink */

int ramfs_init(void);
struct inode *ramfs_root(void);         /* no reference taken: root is permanent */

/* References. Every function below that hands out an inode pointer
 * (lookup, resolve, create, ...) gives the caller a reference to drop. */
struct inode *ramfs_get(struct inode *inode);
void ramfs_put(struct inode *inode);

/* One name in dir; "." and ".." work. NULL if absent or dir is no directory. */
struct inode *ramfs_lookup(struct inode *dir, const char *name, size_t len);

/* Path lookup. ramfs_resolve takes absolute paths only and follows
 * symlinks everywhere; ramfs_resolve_at starts relative paths at dir.
 * Errors: -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP, -EINVAL (relative path
 * to ramfs_resolve), -ENOMEM. */
int ramfs_resolve(const char *path, struct inode **out);
int ramfs_resolve_at(struct inode *dir, const char *path, int flags, struct inode **out);

/* New inode called name in dir; mode is S_IF* | perm (no S_IF* = regular).
 * Errors: -EEXIST, -ENOTDIR, -ENOENT (dir removed), -ENAMETOOLONG, -EINVAL
 * (empty name or one containing '/'), -ENOMEM. out may be NULL. */
int ramfs_create(struct inode *dir, const char *name, size_t len, u32 mode,
		 struct inode **out);
int ramfs_symlink(struct inode *dir, const char *name, size_t len,
		  const char *target, size_t tlen, struct inode **out);
int ramfs_link(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ramfs_unlink(struct inode *dir, const char *name, size_t len);  /* not dirs */
int ramfs_rmdir(struct inode *dir, const char *name, size_t len);   /* empty dirs */

/* mkdir -p: creates the missing directories of an absolute path (0755). */
int ramfs_mkdir_p(const char *path);

/* File contents. ramfs_read copies into a kernel buffer and returns the
 * bytes read (0 at or past the end). ramfs_set_data makes the file show
 * data[0..size) without copying: the caller keeps that memory alive.
 * ramfs_write and ramfs_truncate move the contents into an owned buffer. */
ssize_t ramfs_read(struct inode *inode, void *buf, size_t n, u64 off);
int ramfs_set_data(struct inode *inode, const u8 *data, size_t size);
ssize_t ramfs_write(struct inode *inode, const void *buf, size_t n, u64 off);
int ramfs_truncate(struct inode *inode, u64 size);

/* Copies a symlink's target (not NUL-terminated, truncated to n); returns its length. */
ssize_t ramfs_readlink(struct inode *inode, char *buf, size_t n);

/* The pos-th entry of dir ("." and ".." not included): 1 and *d filled,
 * 0 past the last one, -ENOTDIR. */
int ramfs_readdir(struct inode *dir, u64 pos, struct ramfs_dirent *d);

/* Unpack a newc archive (or several concatenated) into the tree. Missing
 * parent directories are created; an existing name is replaced, except
 * that a directory entry over an existing directory only updates its
 * attributes (so an overlay archive merges into the base tree). Regular
 * files point into buf, which must stay alive. Hard links are kept.
 * Returns the number of entries unpacked, or -errno. */
int ramfs_unpack_cpio(const u8 *buf, size_t len);

#endif
