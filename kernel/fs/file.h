/* Per-process descriptor tables (Linux: include/linux/fdtable.h): a
 * files_struct maps descriptor numbers to open files (struct file, in
 * kernel/fs/fs.h), shared with CLONE_FILES and copied by fork otherwise. */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H
#include "kernel/fs/fs.h"

struct task_struct;

#define NR_OPEN_DEFAULT 64             /* slots a table starts with (Linux: BITS_PER_LONG) */
#define NR_OPEN_MAX 4096               /* the largest table (RLIMIT_NOFILE's hard limit) */

/* The table grows by doubling when a descriptor past max_fds is wanted;
 * small tables live inside the files_struct, so fork copies little. */
struct files_struct {
	int count;                     /* tasks sharing the table (CLONE_FILES) */
	spinlock_t file_lock;          /* protects everything below */
	int next_fd;                   /* no free descriptor below this */
	unsigned int max_fds;          /* slots in fd[] */
	struct file **fd;
	unsigned long *open_fds;       /* slots in use (or reserved) */
	unsigned long *close_on_exec;
	struct file *fd_array[NR_OPEN_DEFAULT];
	unsigned long open_fds_init[1], close_on_exec_init[1];
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

/* struct statfs of the riscv64 ABI (asm-generic/statfs.h, 64-bit). */
struct kstatfs {
	s64 f_type, f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	s32 f_fsid[2];
	s64 f_namelen, f_frsize, f_flags, f_spare[4];
};

/* The first process's table: 0, 1 and 2 open on /dev/console. */
struct files_struct *files_alloc_console(void);
void exit_files(struct task_struct *t);
/* fork without CLONE_FILES: a copy of the table sharing the open files. */
struct files_struct *dup_fd(struct files_struct *old);
void do_close_on_exec(struct files_struct *fs);
/* Lowest free descriptor >= 0 (or >= start), marked used; -EMFILE. */
int get_unused_fd_flags(unsigned int o_flags);
int alloc_fd(int start, unsigned int o_flags);
void put_unused_fd(int fd);
void fd_install_at(int fd, struct file *f);  /* fills a reserved slot */
/* get_unused_fd + fd_install_at; on failure the caller still owns f. */
int fd_install(struct file *f);
int fd_install_flags(struct file *f, unsigned int o_flags);
int close_fd(int fd);
/* dup2/dup3: file in slot fd, closing what was there. */
int replace_fd(int fd, struct file *f, unsigned int o_flags);
void set_close_on_exec(int fd, bool on);
bool get_close_on_exec(int fd);
/* For /proc/<pid>/fd and select: another task's table, read safely. */
struct file *files_lookup_fd(struct files_struct *files, int fd); /* referenced, or NULL */
int files_next_fd(struct files_struct *files, int from);          /* next open fd >= from, or -1 */

#endif
