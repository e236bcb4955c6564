/* procfs helpers: the bounded text buffer show functions print into, and
 * the one place that reaches into another task (its mm, files, fs), so the
 * locking rules for that live together.
 *
 * A task found in the pid table under tasklist_lock keeps its signal,
 * sighand and thread-group links until we unlock (release_task unhashes
 * it under that lock first). Its mm, files and fs pointers are not covered
 * by that lock: exit and exec replace them without a lock a reader could
 * take (Linux's task_lock). So we use them only while their use count is
 * not zero, and take an mm reference with an increment that fails on
 * zero. That leaves one window: the owner's whole teardown running
 * between our load of the pointer and our use of it, a few instructions
 * later; with a task_lock around those stores (exit_mm, begin_new_exec,
 * exit_files, exit_fs) it closes. */
#include "kernel/fs/proc/internal.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/pid.h"
#include "proc/cred.h"

/* ---- text buffers ---- */

void pb_printf(struct pbuf *p, const char *fmt, ...)
{
	size_t off = MIN(p->len, p->size);
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(p->buf + off, p->size - off, fmt, ap);
	va_end(ap);
	p->len += (size_t)n;
}

void pb_write(struct pbuf *p, const void *data, size_t n)
{
	if (p->len < p->size)
		memcpy(p->buf + p->len, data, MIN(n, p->size - p->len));
	p->len += n;
}

void pb_pad_to(struct pbuf *p, size_t col, size_t line_start)
{
	while (p->len - line_start < col)
		pb_write(p, " ", 1);
}

/* ---- tasks ---- */

struct task_struct *proc_find_task(int pid)
{
	struct task_struct *t = find_task_by_pid(pid);

	if (!t || t->pid != pid || (t->flags & PF_IDLE))
		return NULL;
	return t;
}

bool proc_task_exists(int pid)
{
	spin_lock(&tasklist_lock);
	bool there = proc_find_task(pid) != NULL;
	spin_unlock(&tasklist_lock);
	return there;
}

/* Increment *count unless it is zero (the object is being torn down). */
static bool get_unless_zero(int *count)
{
	int n = __atomic_load_n(count, __ATOMIC_ACQUIRE);

	while (n > 0)
		if (__atomic_compare_exchange_n(count, &n, n + 1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
	return false;
}

/* task_lock keeps t->mm from being dropped while we take a reference. */
struct mm_struct *proc_task_mm_locked(struct task_struct *t)
{
	task_lock(t);
	struct mm_struct *mm = t->mm;
	if (mm && !get_unless_zero(&mm->mm_users))
		mm = NULL;
	task_unlock(t);
	return mm;
}

struct mm_struct *proc_get_task_mm(int pid)
{
	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	struct mm_struct *mm = t ? proc_task_mm_locked(t) : ERR_PTR(-ESRCH);
	spin_unlock(&tasklist_lock);
	return mm;
}

/* The task's objective creds with a reference (NULL: no such task). */
const struct cred *proc_get_task_cred(int pid)
{
	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	const struct cred *c = t ? get_task_cred(t) : NULL;
	spin_unlock(&tasklist_lock);
	return c;
}

/* The task's fs_struct while task_lock(t) is held (exit_fs clears the
 * pointer under it before dropping its reference). */
static struct fs_struct *task_fs(struct task_struct *t)
{
	return t->fs;
}

int proc_get_task_path(int pid, bool root, struct path *out)
{
	int err = -ENOENT;

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (!t) {
		err = -ESRCH;
	} else {
		task_lock(t);
		struct fs_struct *fs = task_fs(t);
		if (fs) {
			if (root)
				get_fs_root(fs, out);
			else
				get_fs_pwd(fs, out);
			err = 0;
		}
		task_unlock(t);
	}
	spin_unlock(&tasklist_lock);
	return err;
}

u32 proc_get_task_umask(int pid)
{
	u32 umask = 022;

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (t) {
		task_lock(t);
		if (task_fs(t))
			umask = READ_ONCE(t->fs->umask);
		task_unlock(t);
	}
	spin_unlock(&tasklist_lock);
	return umask;
}

/* The task's descriptor table; the caller holds task_lock(t) while it
 * uses it (exit_files clears the pointer under that lock first). */
struct files_struct *proc_task_files_locked(struct task_struct *t)
{
	return t->files;
}

struct file *proc_get_task_file(int pid, int fd)
{
	struct file *f = ERR_PTR(-ENOENT);

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (!t) {
		f = ERR_PTR(-ESRCH);
	} else {
		task_lock(t);
		struct files_struct *files = proc_task_files_locked(t);
		if (files && (f = files_lookup_fd(files, fd)) == NULL)
			f = ERR_PTR(-ENOENT);
		task_unlock(t);
	}
	spin_unlock(&tasklist_lock);
	return f;
}

/* ---- listings (readdir): small sorted batches copied out under the lock ---- */

int proc_next_tgids(int from, int *out, int max)
{
	int n = 0;

	spin_lock(&tasklist_lock);
	for (int pid = MAX(from, 1); pid < PID_MAX_DEFAULT && n < max; pid++) {
		struct task_struct *t = proc_find_task(pid);
		if (t && thread_group_leader(t))
			out[n++] = pid;
	}
	spin_unlock(&tasklist_lock);
	return n;
}

/* Keep out[] the (at most max) smallest ids >= from seen so far, sorted. */
static void keep_smallest(int *out, int *n, int max, int id, int from)
{
	int i;

	if (id < from || (*n == max && id >= out[max - 1]))
		return;
	if (*n < max)
		(*n)++;
	for (i = *n - 1; i > 0 && out[i - 1] > id; i--)
		out[i] = out[i - 1];
	out[i] = id;
}

int proc_task_tids(int pid, int from, int *out, int max)
{
	int n = 0;

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (!t) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	struct task_struct *leader = t->group_leader;
	struct list_head *p;
	keep_smallest(out, &n, max, leader->pid, from);
	list_for_each(p, &leader->thread_group)
		keep_smallest(out, &n, max, list_entry(p, struct task_struct, thread_group)->pid, from);
	spin_unlock(&tasklist_lock);
	return n;
}

int proc_task_fds(int pid, int from, int *out, int max)
{
	int n = 0;

	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (!t) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	task_lock(t);
	struct files_struct *files = proc_task_files_locked(t);
	for (int fd = from; files && n < max && (fd = files_next_fd(files, fd)) >= 0; fd++)
		out[n++] = fd;
	task_unlock(t);
	spin_unlock(&tasklist_lock);
	return n;
}

size_t proc_read_remote(struct mm_struct *mm, unsigned long addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t c = MIN(len - done, PAGE_SIZE - ((addr + done) & ~PAGE_MASK));
		if (access_remote_vm(mm, addr + done, (char *)buf + done, c, false))
			break;
		done += c;
	}
	return done;
}

/* ---- names ---- */

char *proc_path_name(const struct path *p)
{
	struct path root;
	char *buf = kmalloc(PATH_MAX);

	if (!buf)
		return NULL;
	if (current->fs) {
		get_fs_root(current->fs, &root);
	} else {
		root.mnt = p->mnt, root.dentry = p->mnt->mnt_root;
		path_get(&root);
	}
	char *s = d_path(p, &root, buf, PATH_MAX);
	path_put(&root);
	if (IS_ERR(s)) {
		kfree(buf);
		return NULL;
	}
	memmove(buf, s, strlen(s) + 1);
	return buf;
}

char *proc_file_name(struct file *f)
{
	if (f->f_dentry && f->f_vfsmnt) {
		struct path p = { f->f_vfsmnt, f->f_dentry };
		return proc_path_name(&p);
	}
	char *buf = kmalloc(64);
	if (!buf)
		return NULL;
	u32 mode = f->f_inode ? f->f_inode->i_mode : 0;
	unsigned long ino = f->f_inode ? (unsigned long)f->f_inode->i_ino : 0;
	snprintf(buf, 64, "%s:[%lu]", S_ISFIFO(mode) ? "pipe" : S_ISSOCK(mode) ? "socket" : "anon_inode",
		 ino);
	return buf;
}

const char *proc_link_text(char *text, char **tofree)
{
	size_t len = strlen(text);
	char *s = kmalloc(len + 1);

	if (!s)
		return ERR_PTR(-ENOMEM);
	memcpy(s, text, len + 1);
	*tofree = s;
	return s;
}
