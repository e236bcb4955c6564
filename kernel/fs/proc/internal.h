/* procfs internals (Linux: fs/proc/internal.h): the tables that name the
 * files of each /proc directory, the per-inode data (which task, which
 * descriptor), a bounded text buffer for show functions, and the helpers
 * that reach another task's mm, files and fs (util.c says how safely).
 *
 * Nothing in /proc is stored: dentries and inodes are made on lookup and
 * freed when unused (d_delete says so), and every inode names its task by
 * pid number, looked up again on each open or read, so a stale entry of an
 * exited task gives -ENOENT/-ESRCH instead of touching freed memory. */
#ifndef KERNEL_FS_PROC_INTERNAL_H
#define KERNEL_FS_PROC_INTERNAL_H
#include "kernel/fs/fs.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/mount.h"
#include "proc/task.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_ROOT_INO 1
#define USER_HZ 100                     /* clock ticks of /proc's times (AT_CLKTCK) */
#define NSEC_PER_TICK (1000000000UL / USER_HZ)
#define PROC_VERSION_RELEASE "6.1.0-vireo"   /* as uname(2) */

/* Text files: show() writes the whole text into buf (n bytes) and returns
 * the length it needed (bytes, NULs allowed); more than n makes the
 * caller (single_open) retry with a buffer at least that big. */
typedef size_t (*proc_show_t)(struct file *f, char *buf, size_t n);

/* One name in a /proc directory. */
struct proc_entry {
	const char *name;
	u32 mode;                            /* S_IF* | permissions */
	const struct inode_operations *iop;  /* lookup (directories), get_link */
	const struct file_operations *fop;   /* NULL: text file made by show */
	proc_show_t show;
	const struct proc_entry *children;   /* static directories (sys/...) */
};
/* Tables of entries end with an entry whose name is NULL. */
#define PROC_DIR_ENTRY(n, kids) { .name = n, .mode = S_IFDIR | 0555, .iop = &proc_table_dir_iops, \
				  .fop = &proc_table_dir_fops, .children = kids }
#define PROC_TEXT(n, fn) { .name = n, .mode = S_IFREG | 0444, .show = fn }

/* The fs-private part of a /proc inode (inode->i_private, freed at evict). */
struct proc_inode {
	int pid;                       /* the task (a thread id) it describes; 0: global */
	int fd;                        /* fd/N: the descriptor, else -1 */
	bool thread;                   /* under task/<tid>/: one thread's figures */
	const struct proc_entry *ent;  /* what it is */
};
static inline struct proc_inode *PROC_I(const struct inode *inode)
{
	return inode->i_private;
}

/* ---- root.c: inodes, dentries and table directories ---- */
extern const struct dentry_operations proc_dentry_ops;
extern const struct inode_operations proc_table_dir_iops;
extern const struct file_operations proc_table_dir_fops;
extern const struct file_operations proc_text_fops;      /* single_open(ent->show) */
/* A new inode for e; ino 0 picks the stable number of a static entry. */
struct inode *proc_make_inode(struct super_block *sb, const struct proc_entry *e, int pid,
			      bool thread, int fd, u64 ino);
/* Lookup / readdir over a table of entries (pid 0: a static directory).
 * Readdir positions: 0 ".", 1 "..", 2 + i entry i. */
struct dentry *proc_lookup_entries(struct inode *dir, struct dentry *d, const struct proc_entry *t,
				   u64 (*ino_of)(struct inode *dir, int i));
int proc_readdir_entries(struct file *f, struct dir_context *ctx, const struct proc_entry *t,
			 u64 (*ino_of)(struct inode *dir, int i));
bool proc_emit_dots(struct file *f, struct dir_context *ctx);
/* Stable inode numbers of per-task files: above 2^32, so never those of
 * static entries (their addresses' low 32 bits): pid, whether under
 * task/, and the entry (1 + table index, fd entries PROC_FD_INO_BASE + fd). */
static inline u64 proc_pid_ino(int pid, bool thread, unsigned int idx)
{
	return (1ULL << 32) | ((u64)pid << 14) | (thread ? 0x2000u : 0) | (idx & 0x1fff);
}
#define PROC_FD_INO_BASE 0x100    /* fd/N is idx 0x100 + N (N < NR_OPEN_MAX) */

/* ---- util.c: text buffers and reaching other tasks ---- */
struct pbuf {
	char *buf;
	size_t size, len;   /* len may pass size: the length needed */
};
void pb_printf(struct pbuf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pb_write(struct pbuf *p, const void *data, size_t n);
void pb_pad_to(struct pbuf *p, size_t col, size_t line_start); /* spaces up to a column */

/* The task with this (thread) id, or NULL; tasklist_lock held. The idle
 * tasks (pid 0) are not in /proc. */
struct task_struct *proc_find_task(int pid);
bool proc_task_exists(int pid);
/* The task's address space with an mm_users reference (mmput when done),
 * NULL if it has none (zombie, kernel thread); ERR_PTR(-ESRCH) if the
 * task is gone. */
struct mm_struct *proc_get_task_mm(int pid);
struct cred;
const struct cred *proc_get_task_cred(int pid); /* put_cred when done */
struct mm_struct *proc_task_mm_locked(struct task_struct *t); /* tasklist_lock held; or NULL */
/* The task's descriptor table while it is in use (no reference taken:
 * valid while tasklist_lock is held, see util.c), or NULL. */
struct files_struct *proc_task_files_locked(struct task_struct *t);
/* Referenced copies: the task's cwd or root (path_put), open file fd (fput). */
int proc_get_task_path(int pid, bool root, struct path *out);
struct file *proc_get_task_file(int pid, int fd);  /* ERR_PTR(-ENOENT/-ESRCH) */
u32 proc_get_task_umask(int pid);
/* Readdir helpers: up to max ids >= from, ascending; -ESRCH if pid is gone.
 * Thread-group ids of /proc; thread ids of pid's group; pid's open fds. */
int proc_next_tgids(int from, int *out, int max);
int proc_task_tids(int pid, int from, int *out, int max);
int proc_task_fds(int pid, int from, int *out, int max);
/* Copy up to len bytes of mm's memory at addr; stops at the first page
 * that cannot be read. Returns the bytes copied. */
size_t proc_read_remote(struct mm_struct *mm, unsigned long addr, void *buf, size_t len);
/* Path of an open file / a path as the reader sees it (relative to its
 * root), or Linux's "pipe:[ino]" names for files without one; kmalloc'd. */
char *proc_file_name(struct file *f);
char *proc_path_name(const struct path *p);
/* A whole /proc symlink body as get_link returns it (kmalloc'd in *tofree). */
const char *proc_link_text(char *text, char **tofree);

/* ---- base.c: /proc/<pid>, task/, fd/ ---- */
extern const struct inode_operations proc_tgid_dir_iops;
extern const struct file_operations proc_tgid_dir_fops;
extern const struct inode_operations proc_self_link_iops, proc_thread_self_link_iops;
/* Readdir of /proc from position pos on: the thread-group ids in order. */
int proc_pid_readdir(struct file *f, struct dir_context *ctx, u64 first_pos);
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *d);

/* ---- array.c: stat, statm, status ---- */
size_t proc_pid_stat_show(struct file *f, char *buf, size_t n);
size_t proc_pid_statm_show(struct file *f, char *buf, size_t n);
size_t proc_pid_status_show(struct file *f, char *buf, size_t n);
/* The state letter stat and status show: R S D T Z or X. */
char proc_task_state_char(const struct task_struct *t);

/* ---- task_mmu.c: maps, pagemap, memory counts ---- */
size_t proc_pid_maps_show(struct file *f, char *buf, size_t n);
extern const struct file_operations proc_pagemap_fops;
extern const struct file_operations proc_kpagecount_fops;
/* Pages, counted from the VMAs and page tables (Linux's definitions). */
struct mm_counts {
	unsigned long total_vm;             /* all VMAs */
	unsigned long locked_vm;            /* mlock'ed (VM_LOCKED) */
	unsigned long exec_vm;              /* executable, not writable, not stack */
	unsigned long stack_vm;             /* growing down */
	unsigned long data_vm;              /* private writable, not stack */
	unsigned long rss_anon, rss_file;   /* resident: private/anonymous, page cache */
	unsigned long pt_pages;             /* page-table pages below the pgd */
	unsigned long start_code, end_code; /* copies of the mm's layout fields */
	unsigned long start_data, end_data, start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
};
void proc_mm_counts(struct mm_struct *mm, struct mm_counts *c); /* takes the mmap lock */

/* ---- stat.c: /proc/stat, uptime, loadavg ---- */
size_t proc_stat_show(struct file *f, char *buf, size_t n);
size_t proc_uptime_show(struct file *f, char *buf, size_t n);
size_t proc_loadavg_show(struct file *f, char *buf, size_t n);
void proc_loadavg_init(void);

/* ---- generic.c: the other files of /proc ---- */
size_t proc_cpuinfo_show(struct file *f, char *buf, size_t n);
size_t proc_meminfo_show(struct file *f, char *buf, size_t n);
size_t proc_version_show(struct file *f, char *buf, size_t n);
size_t proc_schedstat_show(struct file *f, char *buf, size_t n);
size_t proc_mounts_show(struct file *f, char *buf, size_t n);
size_t proc_filesystems_show(struct file *f, char *buf, size_t n);
extern const struct proc_entry proc_sys_entries[];

#endif
