/* Open files and per-process descriptor tables: the interface that the
 * VFS (files issue) takes over. A file is an inode or a device plus an
 * offset and the open flags; descriptors index a files_struct. */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H
#include "kernel/types.h"
#include "kernel/spinlock.h"

struct file;
struct inode;
struct kstat;
struct task_struct;

struct file_operations {
	ssize_t (*read)(struct file *f, void *kbuf, size_t n, u64 *pos);
	ssize_t (*write)(struct file *f, const void *kbuf, size_t n, u64 *pos);
	int (*stat)(struct file *f, struct kstat *st);
	bool seekable;
	bool mmap_ok;   /* the file's pages can be mapped (page cache) */
};

struct file {
	const struct file_operations *f_op;
	struct inode *f_inode; /* NULL for devices without one yet */
	u64 f_pos;
	unsigned int f_flags;  /* O_* as given to open */
	int f_count;           /* references (descriptors sharing it) */
	spinlock_t f_lock;     /* protects f_pos */
};

#define NR_OPEN_DEFAULT 256
struct files_struct {
	int count;            /* tasks sharing the table (CLONE_FILES) */
	spinlock_t file_lock; /* protects fd[] and close_on_exec */
	struct file *fd[NR_OPEN_DEFAULT];
	unsigned long close_on_exec[NR_OPEN_DEFAULT / 64];
};

/* struct stat of the Linux riscv64 ABI (asm-generic/stat.h). */
struct kstat {
	u64 st_dev, st_ino;
	u32 st_mode, st_nlink, st_uid, st_gid;
	u64 st_rdev, __pad1;
	s64 st_size;
	s32 st_blksize, __pad2;
	s64 st_blocks;
	s64 st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec, st_ctime_sec, st_ctime_nsec;
	u32 __unused4, __unused5;
};

struct files_struct *files_alloc_console(void);
void exit_files(struct task_struct *t);
/* fork without CLONE_FILES: a copy of the table sharing the open files. */
struct files_struct *dup_fd(struct files_struct *old);
void do_close_on_exec(struct files_struct *fs);
struct file *fget(int fd);
void fput(struct file *f);
static inline struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}
struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fops);
int fd_install(struct file *f); /* lowest free descriptor, or -EMFILE */
struct file *ramfs_file_open(struct inode *inode, unsigned int flags);
struct file *proc_mm_open(const char *path, unsigned int flags);

#endif
