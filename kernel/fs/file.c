/* Descriptor tables, open files, and the console device file that
 * descriptors 0, 1 and 2 of the first process refer to. */
#include "kernel/fs/file.h"
#include "kernel/fs/stat.h"
#include "kernel/fs/ramfs.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "arch/riscv/csr.h"
#include "mm/slab.h"
#include "proc/task.h"
#include "proc/wait.h"
#include "proc/sched.h"

static ssize_t console_file_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	int got = 0;

	(void)f, (void)pos;
	if (!n)
		return 0;
	/* Sleep until the UART interrupt brings input (or a signal comes). */
	int err = wait_event_interruptible(console_wait, (got = console_read_nonblock(buf, n)) > 0);
	return err ? err : got;
}

static ssize_t console_file_write(struct file *f, const void *buf, size_t n, u64 *pos)
{
	(void)f, (void)pos;
	console_write(buf, n);
	return (ssize_t)n;
}

static int console_file_stat(struct file *f, struct kstat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0600;
	st->st_rdev = (5 << 8) | 1; /* /dev/console is 5:1 */
	st->st_nlink = 1;
	st->st_blksize = 1024;
	return 0;
}

static const struct file_operations console_fops = {
	.read = console_file_read,
	.write = console_file_write,
	.stat = console_file_stat,
};

struct files_struct *files_alloc_console(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));
	struct file *con = kzalloc(sizeof(*con));

	if (!fs || !con) {
		kfree(fs);
		kfree(con);
		return NULL;
	}
	spin_lock_init(&fs->file_lock);
	fs->count = 1;
	con->f_op = &console_fops;
	con->f_flags = 2; /* O_RDWR */
	con->f_count = 3;
	spin_lock_init(&con->f_lock);
	fs->fd[0] = fs->fd[1] = fs->fd[2] = con;
	return fs;
}

struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fops)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->f_op = fops;
	f->f_inode = inode;
	f->f_flags = flags;
	f->f_count = 1;
	spin_lock_init(&f->f_lock);
	return f;
}

struct file *fget(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f = NULL;

	if (!fs || fd < 0 || fd >= NR_OPEN_DEFAULT)
		return NULL;
	spin_lock(&fs->file_lock);
	f = fs->fd[fd];
	if (f)
		__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	spin_unlock(&fs->file_lock);
	return f;
}

void fput(struct file *f)
{
	if (__atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL) == 0) {
		if (f->f_inode)
			ramfs_put(f->f_inode);
		kfree(f);
	}
}

int fd_install(struct file *f)
{
	struct files_struct *fs = current->files;
	int ret = -EMFILE;

	spin_lock(&fs->file_lock);
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		if (!fs->fd[fd]) {
			fs->fd[fd] = f;
			ret = fd;
			break;
		}
	}
	spin_unlock(&fs->file_lock);
	return ret;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	spin_lock_init(&fs->file_lock);
	fs->count = 1;
	spin_lock(&old->file_lock);
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if ((fs->fd[fd] = old->fd[fd]))
			get_file(fs->fd[fd]);
	memcpy(fs->close_on_exec, old->close_on_exec, sizeof(fs->close_on_exec));
	spin_unlock(&old->file_lock);
	return fs;
}

void do_close_on_exec(struct files_struct *fs)
{
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		spin_lock(&fs->file_lock);
		struct file *f = NULL;
		if (fs->close_on_exec[fd / 64] & (1UL << (fd % 64))) {
			f = fs->fd[fd];
			fs->fd[fd] = NULL;
			fs->close_on_exec[fd / 64] &= ~(1UL << (fd % 64));
		}
		spin_unlock(&fs->file_lock);
		if (f)
			fput(f);
	}
}

void exit_files(struct task_struct *t)
{
	struct files_struct *fs = t->files;

	if (!fs)
		return;
	t->files = NULL;
	if (__atomic_sub_fetch(&fs->count, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		if (fs->fd[fd])
			fput(fs->fd[fd]);
	kfree(fs);
}
