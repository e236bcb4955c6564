/* /proc/<pid>/ and /proc/<pid>/task/<tid>/ (Linux: fs/proc/base.c, fd.c):
 * the per-process table of files, the thread and descriptor directories,
 * the exe/cwd/root/fd symlinks, cmdline and environ read from the
 * process's memory, comm, sched and schedstat. */
#include "kernel/fs/proc/internal.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "proc/pid.h"
#include "proc/sched.h"

#define READDIR_BATCH 32

/* A decimal id without sign or leading zeros, or -1. */
static int name_to_id(const struct dentry *d)
{
	const char *s = d->d_name.name;
	int v = 0;

	if (d->d_name.len == 0 || d->d_name.len > 9 || (s[0] == '0' && d->d_name.len > 1))
		return -1;
	for (u32 i = 0; i < d->d_name.len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A task's directory is never found in the dcache: each path walk asks
 * proc_pid_lookup again, which checks the task still exists. (Linux
 * unhashes them when the task is released, proc_flush_pid, or on
 * d_revalidate.) Whoever holds one (an open directory, a cwd) keeps using
 * it, and every lookup inside it checks the task again. */
static void add_unhashed(struct dentry *d, struct inode *inode)
{
	d_add(d, inode);
	d_drop(d);
}

static int proc_pid_check_open(struct inode *inode, struct file *f)
{
	(void)f;
	return proc_task_exists(PROC_I(inode)->pid) ? 0 : -ESRCH;
}

/* ---- symlinks: exe, cwd, root, fd/N ---- */

static const char *name_or_enoent(char *name, char **tofree)
{
	if (!name)
		return ERR_PTR(-ENOENT);
	*tofree = name;
	return name;
}

/* The executable: the file mapped at the start of the program's text. */
static const char *proc_exe_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	struct mm_struct *mm = proc_get_task_mm(PROC_I(inode)->pid);
	struct file *exe = NULL;

	(void)d;
	if (IS_ERR(mm) || !mm)
		return ERR_PTR(-ENOENT);
	mmap_read_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, mm->start_code);
	if (!vma || vma->vm_start > mm->start_code || !vma->vm_file) {
		vma = mm->mmap; /* no text mapping there: the first file mapping */
		while (vma && !vma->vm_file)
			vma = vma->vm_next;
	}
	if (vma)
		exe = get_file(vma->vm_file);
	mmap_read_unlock(mm);
	mmput(mm);
	if (!exe)
		return ERR_PTR(-ENOENT);
	char *name = proc_file_name(exe);
	fput(exe);
	return name_or_enoent(name, tofree);
}

static const char *path_link(struct inode *inode, bool root, char **tofree)
{
	struct path p;

	if (proc_get_task_path(PROC_I(inode)->pid, root, &p))
		return ERR_PTR(-ENOENT);
	char *name = proc_path_name(&p);
	path_put(&p);
	return name_or_enoent(name, tofree);
}

static const char *proc_cwd_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	(void)d;
	return path_link(inode, false, tofree);
}

static const char *proc_root_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	(void)d;
	return path_link(inode, true, tofree);
}

static const char *proc_fd_get_link(struct dentry *d, struct inode *inode, char **tofree)
{
	struct file *f = proc_get_task_file(PROC_I(inode)->pid, PROC_I(inode)->fd);

	(void)d;
	if (IS_ERR(f))
		return ERR_PTR(-ENOENT);
	char *name = proc_file_name(f);
	fput(f);
	return name_or_enoent(name, tofree);
}

/* Following these links jumps to the file itself (Linux's nd_jump_link):
 * /proc/self/fd/0 reopens a pipe, exe and cwd work after renames. */
static int file_path(struct file *f, struct path *out)
{
	if (!f->f_dentry || !f->f_vfsmnt)
		return -ENOENT;
	out->mnt = mntget(f->f_vfsmnt);
	out->dentry = dget(f->f_dentry);
	return 0;
}

static int proc_fd_get_link_path(struct dentry *d, struct path *out)
{
	struct file *f = proc_get_task_file(PROC_I(d->d_inode)->pid, PROC_I(d->d_inode)->fd);

	if (IS_ERR(f))
		return -ENOENT;
	int err = file_path(f, out);
	fput(f);
	return err;
}

static int proc_exe_get_link_path(struct dentry *d, struct path *out)
{
	struct mm_struct *mm = proc_get_task_mm(PROC_I(d->d_inode)->pid);
	struct file *exe = NULL;

	if (IS_ERR(mm) || !mm)
		return -ENOENT;
	mmap_read_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, mm->start_code);
	if (vma && vma->vm_start <= mm->start_code && vma->vm_file)
		exe = get_file(vma->vm_file);
	mmap_read_unlock(mm);
	mmput(mm);
	if (!exe)
		return -ENOENT;
	int err = file_path(exe, out);
	fput(exe);
	return err;
}

static int proc_cwd_get_link_path(struct dentry *d, struct path *out)
{
	return proc_get_task_path(PROC_I(d->d_inode)->pid, false, out) ? -ENOENT : 0;
}

static int proc_root_get_link_path(struct dentry *d, struct path *out)
{
	return proc_get_task_path(PROC_I(d->d_inode)->pid, true, out) ? -ENOENT : 0;
}

static const struct inode_operations proc_exe_link_iops = {
	.get_link = proc_exe_get_link, .get_link_path = proc_exe_get_link_path,
};
static const struct inode_operations proc_cwd_link_iops = {
	.get_link = proc_cwd_get_link, .get_link_path = proc_cwd_get_link_path,
};
static const struct inode_operations proc_root_link_iops = {
	.get_link = proc_root_get_link, .get_link_path = proc_root_get_link_path,
};
static const struct inode_operations proc_fd_link_iops = {
	.get_link = proc_fd_get_link, .get_link_path = proc_fd_get_link_path,
};

/* ---- cmdline, environ: straight from the process's memory ---- */

static ssize_t read_mm_area(struct file *f, struct iov_iter *to, u64 *pos, bool env)
{
	struct mm_struct *mm = proc_get_task_mm(PROC_I(f->f_inode)->pid);
	ssize_t done = 0;

	if (IS_ERR(mm))
		return PTR_ERR(mm);
	if (!mm)
		return 0; /* a zombie or kernel thread: empty, as on Linux */
	unsigned long start = env ? mm->env_start : mm->arg_start;
	unsigned long end = env ? mm->env_end : mm->arg_end;
	char *page = kmalloc(PAGE_SIZE);
	if (!page) {
		mmput(mm);
		return -ENOMEM;
	}
	while (to->count && *pos < end - start && start < end) {
		size_t want = MIN(MIN(to->count, PAGE_SIZE), end - start - *pos);
		size_t got = proc_read_remote(mm, start + *pos, page, want);
		size_t put = got ? copy_to_iter(page, got, to) : 0;
		*pos += put;
		done += (ssize_t)put;
		if (put < want) {
			if (put < got && !done)
				done = -EFAULT;
			break;
		}
	}
	kfree(page);
	mmput(mm);
	return done;
}

static ssize_t proc_cmdline_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	return read_mm_area(f, to, pos, false);
}

static ssize_t proc_environ_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	return read_mm_area(f, to, pos, true);
}

static const struct file_operations proc_cmdline_fops = {
	.open = proc_pid_check_open, .read_iter = proc_cmdline_read, .llseek = no_seek_end_llseek,
};
static const struct file_operations proc_environ_fops = {
	.open = proc_pid_check_open, .read_iter = proc_environ_read, .llseek = no_seek_end_llseek,
};

/* ---- comm, sched, schedstat ---- */

static size_t proc_comm_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	char comm[sizeof(current->comm)];

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(PROC_I(f->f_inode)->pid);
	if (t) {
		memcpy(comm, t->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = 0;
	}
	spin_unlock(&tasklist_lock);
	if (t)
		pb_printf(&p, "%s\n", comm);
	return p.len;
}

/* The task with a reference (put_task_struct), or NULL. */
static struct task_struct *get_proc_task(struct file *f)
{
	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(PROC_I(f->f_inode)->pid);
	if (t)
		get_task_struct(t);
	spin_unlock(&tasklist_lock);
	return t;
}

static void sched_line(struct pbuf *p, const char *name, long v)
{
	pb_printf(p, "%-45s:%21ld\n", name, v);
}

static void sched_line_ns(struct pbuf *p, const char *name, u64 ns)
{
	pb_printf(p, "%-45s:%14lu.%06lu\n", name, (unsigned long)(ns / 1000000),
		  (unsigned long)(ns % 1000000));
}

/* Linux's /proc/<pid>/sched (kernel/sched/debug.c's layout): times in ms. */
static size_t proc_pid_sched_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct task_struct *t = get_proc_task(f);

	if (!t)
		return 0;
	u64 runtime = task_sched_runtime(t);
	int threads = 1;
	spin_lock(&tasklist_lock);
	if (proc_find_task(t->pid) == t && t->signal)
		threads = t->signal->nr_threads;
	spin_unlock(&tasklist_lock);
	pb_printf(&p, "%s (%d, #threads: %d)\n", t->comm, t->pid, threads);
	pb_printf(&p, "-------------------------------------------------------------------\n");
	sched_line_ns(&p, "se.exec_start", t->se.exec_start);
	sched_line_ns(&p, "se.vruntime", t->se.vruntime);
	sched_line_ns(&p, "se.sum_exec_runtime", runtime);
	sched_line_ns(&p, "se.wait_sum", t->se.wait_sum);
	sched_line(&p, "se.nr_migrations", (long)t->se.nr_migrations);
	sched_line(&p, "nr_switches", (long)(t->nvcsw + t->nivcsw));
	sched_line(&p, "nr_voluntary_switches", (long)t->nvcsw);
	sched_line(&p, "nr_involuntary_switches", (long)t->nivcsw);
	sched_line(&p, "se.load.weight", (long)t->se.load.weight);
	sched_line(&p, "se.avg.load_sum", (long)t->se.load_sum);
	sched_line(&p, "se.avg.util_sum", (long)t->se.util_sum);
	sched_line(&p, "se.avg.load_avg", (long)t->se.load_avg);
	sched_line(&p, "se.avg.util_avg", (long)t->se.util_avg);
	sched_line(&p, "se.avg.last_update_time", (long)t->se.last_update_time);
	sched_line(&p, "policy", (long)t->policy);
	sched_line(&p, "prio", (long)t->prio);
	put_task_struct(t);
	return p.len;
}

/* run time on a cpu (ns), time waiting on a run queue (ns), time slices. */
static size_t proc_pid_schedstat_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct task_struct *t = get_proc_task(f);

	if (!t)
		return 0;
	pb_printf(&p, "%lu %lu %lu\n", (unsigned long)task_sched_runtime(t),
		  (unsigned long)t->se.wait_sum, t->nvcsw + t->nivcsw);
	put_task_struct(t);
	return p.len;
}

/* ---- fd/ ---- */

static const struct proc_entry fd_link_entry = { .name = "fd", .mode = S_IFLNK, .iop = &proc_fd_link_iops };

static struct dentry *proc_fd_lookup(struct inode *dir, struct dentry *d)
{
	struct proc_inode *pd = PROC_I(dir);
	int fd = name_to_id(d);

	if (fd < 0 || fd >= NR_OPEN_MAX)
		return ERR_PTR(-ENOENT);
	struct file *f = proc_get_task_file(pd->pid, fd);
	if (IS_ERR(f))
		return ERR_PTR(-ENOENT);
	/* Like Linux, the link's permissions say how the file is open. */
	u32 mode = S_IFLNK | ((f->f_mode & FMODE_READ) ? 0500 : 0) | ((f->f_mode & FMODE_WRITE) ? 0300 : 0);
	fput(f);
	struct inode *inode = proc_make_inode(dir->i_sb, &fd_link_entry, pd->pid, pd->thread, fd,
					      proc_pid_ino(pd->pid, pd->thread, PROC_FD_INO_BASE + fd));
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_mode = mode;
	d_add(d, inode);
	return NULL;
}

/* Positions: 2 + fd. */
static int proc_fd_readdir(struct file *f, struct dir_context *ctx)
{
	struct proc_inode *pd = PROC_I(f->f_inode);
	int fds[READDIR_BATCH];

	if (!proc_emit_dots(f, ctx))
		return 0;
	for (;;) {
		int n = proc_task_fds(pd->pid, (int)(ctx->pos - 2), fds, READDIR_BATCH);
		if (n < 0)
			return -ENOENT;
		for (int i = 0; i < n; i++) {
			char name[12];
			int len = snprintf(name, sizeof(name), "%d", fds[i]);
			if (!dir_emit(ctx, name, len, proc_pid_ino(pd->pid, pd->thread, PROC_FD_INO_BASE + fds[i]),
				      DT_LNK))
				return 0;
			ctx->pos = (u64)fds[i] + 3;
		}
		if (n < READDIR_BATCH)
			return 0;
	}
}

static const struct inode_operations proc_fd_dir_iops = { .lookup = proc_fd_lookup };
static const struct file_operations proc_fd_dir_fops = {
	.open = proc_pid_check_open, .iterate = proc_fd_readdir, .llseek = no_seek_end_llseek,
};

/* ---- the per-process table ---- */

static const struct inode_operations proc_task_dir_iops;
static const struct file_operations proc_task_dir_fops;

/* "task" comes first: a thread's directory is the same table without it. */
static const struct proc_entry tgid_base[] = {
	{ .name = "task", .mode = S_IFDIR | 0555, .iop = &proc_task_dir_iops, .fop = &proc_task_dir_fops },
	{ .name = "fd", .mode = S_IFDIR | 0500, .iop = &proc_fd_dir_iops, .fop = &proc_fd_dir_fops },
	{ .name = "exe", .mode = S_IFLNK | 0777, .iop = &proc_exe_link_iops },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .iop = &proc_cwd_link_iops },
	{ .name = "root", .mode = S_IFLNK | 0777, .iop = &proc_root_link_iops },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .fop = &proc_cmdline_fops },
	{ .name = "environ", .mode = S_IFREG | 0400, .fop = &proc_environ_fops },
	PROC_TEXT("comm", proc_comm_show),
	PROC_TEXT("stat", proc_pid_stat_show),
	PROC_TEXT("statm", proc_pid_statm_show),
	PROC_TEXT("status", proc_pid_status_show),
	PROC_TEXT("maps", proc_pid_maps_show),
	{ .name = "pagemap", .mode = S_IFREG | 0400, .fop = &proc_pagemap_fops },
	PROC_TEXT("sched", proc_pid_sched_show),
	PROC_TEXT("schedstat", proc_pid_schedstat_show),
	PROC_TEXT("mounts", proc_mounts_show),
	{ 0 }
};

static const struct proc_entry *pid_table(const struct proc_inode *pi)
{
	return pi->thread ? tgid_base + 1 : tgid_base;
}

static u64 pid_entry_ino(struct inode *dir, int i)
{
	struct proc_inode *pi = PROC_I(dir);

	return proc_pid_ino(pi->pid, pi->thread, (unsigned int)i + 1);
}

static struct dentry *proc_tgid_lookup(struct inode *dir, struct dentry *d)
{
	return proc_lookup_entries(dir, d, pid_table(PROC_I(dir)), pid_entry_ino);
}

static int proc_tgid_readdir(struct file *f, struct dir_context *ctx)
{
	struct proc_inode *pi = PROC_I(f->f_inode);

	if (!proc_task_exists(pi->pid))
		return -ENOENT;
	return proc_readdir_entries(f, ctx, pid_table(pi), pid_entry_ino);
}

const struct inode_operations proc_tgid_dir_iops = { .lookup = proc_tgid_lookup };
const struct file_operations proc_tgid_dir_fops = {
	.iterate = proc_tgid_readdir, .llseek = no_seek_end_llseek,
};
static const struct proc_entry pid_dir_entry = {
	.name = "pid", .mode = S_IFDIR | 0555, .iop = &proc_tgid_dir_iops, .fop = &proc_tgid_dir_fops,
};

/* /proc/<id>: any thread id is found (as on Linux), only group ids listed. */
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *d)
{
	int pid = name_to_id(d);

	if (pid <= 0 || pid >= PID_MAX_DEFAULT || !proc_task_exists(pid))
		return ERR_PTR(-ENOENT);
	struct inode *inode = proc_make_inode(dir->i_sb, &pid_dir_entry, pid, false, -1,
					      proc_pid_ino(pid, false, 0));
	if (!inode)
		return ERR_PTR(-ENOMEM);
	add_unhashed(d, inode);
	return NULL;
}

int proc_pid_readdir(struct file *f, struct dir_context *ctx, u64 first_pos)
{
	int pids[READDIR_BATCH];

	(void)f;
	for (;;) {
		int n = proc_next_tgids((int)(ctx->pos - first_pos), pids, READDIR_BATCH);
		for (int i = 0; i < n; i++) {
			char name[12];
			int len = snprintf(name, sizeof(name), "%d", pids[i]);
			if (!dir_emit(ctx, name, len, proc_pid_ino(pids[i], false, 0), DT_DIR))
				return 0;
			ctx->pos = first_pos + (u64)pids[i] + 1;
		}
		if (n < READDIR_BATCH)
			return 0;
	}
}

/* ---- task/ ---- */

static const struct proc_entry tid_dir_entry = {
	.name = "tid", .mode = S_IFDIR | 0555, .iop = &proc_tgid_dir_iops, .fop = &proc_tgid_dir_fops,
};

static bool same_group(int pid, int tid)
{
	spin_lock(&tasklist_lock);
	struct task_struct *a = proc_find_task(pid), *b = proc_find_task(tid);
	bool same = a && b && a->tgid == b->tgid;
	spin_unlock(&tasklist_lock);
	return same;
}

static struct dentry *proc_task_lookup(struct inode *dir, struct dentry *d)
{
	int tid = name_to_id(d);

	if (tid <= 0 || tid >= PID_MAX_DEFAULT || !same_group(PROC_I(dir)->pid, tid))
		return ERR_PTR(-ENOENT);
	struct inode *inode = proc_make_inode(dir->i_sb, &tid_dir_entry, tid, true, -1,
					      proc_pid_ino(tid, true, 0));
	if (!inode)
		return ERR_PTR(-ENOMEM);
	add_unhashed(d, inode);
	return NULL;
}

/* Positions: 2 + tid. */
static int proc_task_readdir(struct file *f, struct dir_context *ctx)
{
	int pid = PROC_I(f->f_inode)->pid, tids[READDIR_BATCH];

	if (!proc_emit_dots(f, ctx))
		return 0;
	for (;;) {
		int n = proc_task_tids(pid, (int)(ctx->pos - 2), tids, READDIR_BATCH);
		if (n < 0)
			return -ENOENT;
		for (int i = 0; i < n; i++) {
			char name[12];
			int len = snprintf(name, sizeof(name), "%d", tids[i]);
			if (!dir_emit(ctx, name, len, proc_pid_ino(tids[i], true, 0), DT_DIR))
				return 0;
			ctx->pos = (u64)tids[i] + 3;
		}
		if (n < READDIR_BATCH)
			return 0;
	}
}

static const struct inode_operations proc_task_dir_iops = { .lookup = proc_task_lookup };
static const struct file_operations proc_task_dir_fops = {
	.open = proc_pid_check_open, .iterate = proc_task_readdir, .llseek = no_seek_end_llseek,
};
