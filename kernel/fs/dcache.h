/* Dentries: the name cache (Linux: include/linux/dcache.h). A dentry
 * names one inode (or none: a negative dentry) inside its parent; dentries
 * are found by (parent, name) in a hash table with a lock per bucket, so
 * path walks on different harts do not contend. ramfs keeps its whole
 * tree as pinned dentries; /proc makes them on lookup and drops them when
 * unused. */
#ifndef KERNEL_FS_DCACHE_H
#define KERNEL_FS_DCACHE_H
#include "kernel/fs/fs.h"

struct qstr {
	const char *name;
	u32 len;
	u32 hash;
};
u32 full_name_hash(const char *name, u32 len);

/* Serializes renames (d_move) against walks up the tree (d_path, ".."). */
extern spinlock_t rename_lock;

#define DNAME_INLINE_LEN 40

struct dentry_operations {
	/* true: free the dentry as soon as it is unused (procfs). */
	bool (*d_delete)(const struct dentry *d);
	void (*d_release)(struct dentry *d);
	/* Names of dentries outside any tree (pipes): "pipe:[ino]" into buf. */
	void (*d_dname)(struct dentry *d, char *buf, int buflen);
};

/* d_flags */
#define DCACHE_MOUNTED  0x1      /* a file system is mounted here */
#define DCACHE_HASHED   0x2      /* findable by d_lookup */
#define DCACHE_PINNED   0x4      /* ramfs: the tree holds a reference */

struct dentry {
	int d_count;                 /* references (atomic) */
	unsigned int d_flags;        /* DCACHE_*; changed under d_lock */
	spinlock_t d_lock;           /* protects d_subdirs, d_inode, d_flags */
	struct inode *d_inode;       /* NULL: negative */
	struct dentry *d_parent;     /* holds a reference; a root: itself */
	struct qstr d_name;
	struct list_head d_child;    /* in d_parent->d_subdirs, oldest first */
	struct list_head d_subdirs;  /* children (positive and negative) */
	struct list_head d_hash;     /* in its hash bucket */
	u64 d_seq;                   /* order among siblings: readdir position */
	u64 d_next_seq;              /* directories: next child's d_seq */
	struct super_block *d_sb;
	const struct dentry_operations *d_op;
	void *d_fsdata;
	char d_iname[DNAME_INLINE_LEN]; /* short names live here */
};

/* A new unhashed negative child of parent (takes a parent reference). */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
struct dentry *d_alloc_name(struct dentry *parent, const char *name);
struct dentry *d_make_root(struct inode *root_inode); /* takes the inode ref */
/* A dentry in no directory for an inode of a pseudo file system (a pipe):
 * takes the inode reference; never hashed. */
struct dentry *d_alloc_pseudo(struct inode *inode, const struct dentry_operations *ops);
/* Attach inode (its reference passes to the dentry) and make it findable. */
void d_add(struct dentry *d, struct inode *inode);
void d_instantiate(struct dentry *d, struct inode *inode);  /* already hashed */
/* The name is gone (unlink/rmdir): the dentry turns negative, unhashed. */
void d_delete(struct dentry *d);
void d_drop(struct dentry *d);   /* unhash only */
/* rename: move d under new_parent with new name (target must be unhashed). */
void d_move(struct dentry *d, struct dentry *new_parent, const struct qstr *name);
/* Hashed child of parent by name, with a reference; NULL if not cached. */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* Pin a dentry for a dcache-only fs (ramfs): the tree keeps it alive. */
void d_pin(struct dentry *d);
void d_unpin(struct dentry *d);
void d_set_mounted(struct dentry *d, bool on);
static inline bool d_mountpoint(const struct dentry *d)
{
	return __atomic_load_n(&d->d_flags, __ATOMIC_ACQUIRE) & DCACHE_MOUNTED;
}
static inline bool IS_ROOT(const struct dentry *d) { return d->d_parent == d; }
/* Directory has positive children? (rmdir's -ENOTEMPTY) */
bool simple_empty(struct dentry *d);
/* dcache readdir for ramfs-like dirs ("." and ".." included). */
int dcache_readdir(struct file *f, struct dir_context *ctx);

#endif
