/* Open files and descriptor tables (Linux: fs/file.c, fs/file_table.c).
 * A descriptor slot is reserved first (get_unused_fd_flags) and filled
 * last (fd_install_at), so a half-made file is never visible. */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/file.h"
#include "kernel/fs/eventpoll.h"
#include "kernel/fs/locks.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "proc/task.h"

/* Index of the lowest set bit of x (x != 0); no Zbb, no libgcc. */
static int lowest_bit(unsigned long x)
{
	int n = 0;

	while (!(x & 0xff)) {
		x >>= 8;
		n += 8;
	}
	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
}

/* A reserved but not yet filled slot. */
#define FD_RESERVED ((struct file *)1)

static unsigned int open_fmode(unsigned int flags)
{
	unsigned int acc = flags & O_ACCMODE;

	if (flags & O_PATH)
		return FMODE_PATH;
	return (acc == O_RDONLY || acc == O_RDWR ? FMODE_READ : 0) |
	       (acc == O_WRONLY || acc == O_RDWR ? FMODE_WRITE : 0) |
	       FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
}

struct percpu_counter nr_files;

static void file_free(struct file *f)
{
	kfree(f);
	percpu_counter_add(&nr_files, -1);
}

struct file *alloc_empty_file(unsigned int flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	percpu_counter_add(&nr_files, 1);
	/* O_NOCTTY stays for the open (a tty's ->open reads it): dentry_open drops it. */
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	f->f_mode = open_fmode(flags);
	f->f_count = 1;
	spin_lock_init(&f->f_lock);
	INIT_LIST_HEAD(&f->f_ep_links);
	mutex_init(&f->f_pos_lock);
	return f;
}

struct file *alloc_file_pseudo(struct inode *inode, unsigned int flags,
			       const struct file_operations *fops)
{
	return alloc_file_pseudo_ops(inode, flags, fops, NULL);
}

struct file *alloc_file_pseudo_ops(struct inode *inode, unsigned int flags,
				   const struct file_operations *fops,
				   const struct dentry_operations *dops)
{
	struct file *f = alloc_empty_file(flags);
	struct path p;

	if (!f)
		return NULL;
	if (pseudo_path(inode, dops, &p)) { /* the dentry takes the inode reference */
		file_free(f);
		return NULL;
	}
	f->f_vfsmnt = p.mnt;
	f->f_dentry = p.dentry;
	f->f_inode = inode;
	f->f_op = fops;
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return f;
}

void fput(struct file *f)
{
	if (__atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	fsnotify_close(f);
	eventpoll_release(f); /* out of epoll sets while its wait queues still exist */
	if (f->f_inode)
		locks_remove_file(f); /* its flock and OFD locks */
	if (f->f_op && f->f_op->release && !(f->f_mode & FMODE_PATH))
		f->f_op->release(f->f_inode, f);
	if (f->f_dentry) {
		struct path p = { f->f_vfsmnt, f->f_dentry };
		path_put(&p);  /* the dentry holds the inode */
	} else if (f->f_inode) {
		iput(f->f_inode);
	}
	file_free(f);
}

struct file *files_lookup_fd(struct files_struct *fs, int fd)
{
	struct file *f = NULL;

	if (!fs || fd < 0)
		return NULL;
	spin_lock(&fs->file_lock);
	if ((unsigned int)fd < fs->max_fds) {
		f = fs->fd[fd];
		if (f == FD_RESERVED)
			f = NULL;
		if (f)
			get_file(f);
	}
	spin_unlock(&fs->file_lock);
	return f;
}

struct file *fget(int fd)
{
	return files_lookup_fd(current->files, fd);
}

int files_next_fd(struct files_struct *fs, int from)
{
	int found = -1;

	spin_lock(&fs->file_lock);
	for (unsigned int fd = (unsigned int)MAX(from, 0); fd < fs->max_fds; fd++)
		if (fs->fd[fd] && fs->fd[fd] != FD_RESERVED) {
			found = (int)fd;
			break;
		}
	spin_unlock(&fs->file_lock);
	return found;
}

/* Make room for descriptor nr (file_lock held; kmalloc does not sleep). */
static int expand_files(struct files_struct *fs, unsigned int nr)
{
	unsigned int n = fs->max_fds;

	if (nr < n)
		return 0;
	if (nr >= NR_OPEN_MAX)
		return -EMFILE;
	while (n <= nr)
		n *= 2;
	struct file **fd = kzalloc(n * sizeof(*fd));
	unsigned long *bits = kzalloc(2 * (n / 64) * sizeof(long));
	if (!fd || !bits) {
		kfree(fd);
		kfree(bits);
		return -ENOMEM;
	}
	memcpy(fd, fs->fd, fs->max_fds * sizeof(*fd));
	memcpy(bits, fs->open_fds, fs->max_fds / 64 * sizeof(long));
	memcpy(bits + n / 64, fs->close_on_exec, fs->max_fds / 64 * sizeof(long));
	if (fs->fd != fs->fd_array) {
		kfree(fs->fd);
		kfree(fs->open_fds);
	}
	fs->fd = fd;
	fs->open_fds = bits;
	fs->close_on_exec = bits + n / 64;
	fs->max_fds = n;
	return 0;
}

static unsigned long nofile_limit(void)
{
	unsigned long lim = current->signal->rlim[RLIMIT_NOFILE].rlim_cur;
	return MIN(lim, (unsigned long)NR_OPEN_MAX);
}

static void __set_cloexec(struct files_struct *fs, int fd, bool on)
{
	if ((unsigned int)fd >= fs->max_fds)
		return;
	if (on)
		fs->close_on_exec[fd / 64] |= 1UL << (fd % 64);
	else
		fs->close_on_exec[fd / 64] &= ~(1UL << (fd % 64));
}

int alloc_fd(int start, unsigned int o_flags)
{
	struct files_struct *fs = current->files;
	int limit = (int)nofile_limit(), ret = -EMFILE;

	if (start < 0)
		return -EINVAL;
	spin_lock(&fs->file_lock);
	int fd = MAX(start, fs->next_fd);
	for (; fd < limit; fd++) {
		if ((unsigned int)fd >= fs->max_fds && (ret = expand_files(fs, (unsigned int)fd)))
			break;
		ret = -EMFILE;
		if (!fs->fd[fd]) {
			fs->fd[fd] = FD_RESERVED;
			fs->open_fds[fd / 64] |= 1UL << (fd % 64);
			__set_cloexec(fs, fd, o_flags & O_CLOEXEC);
			if (start <= fs->next_fd)
				fs->next_fd = fd + 1;
			ret = fd;
			break;
		}
	}
	spin_unlock(&fs->file_lock);
	return ret;
}

int get_unused_fd_flags(unsigned int o_flags)
{
	return alloc_fd(0, o_flags);
}

static void __put_fd(struct files_struct *fs, int fd)
{
	fs->fd[fd] = NULL;
	fs->open_fds[fd / 64] &= ~(1UL << (fd % 64));
	if (fd < fs->next_fd)
		fs->next_fd = fd;
}

void put_unused_fd(int fd)
{
	struct files_struct *fs = current->files;

	spin_lock(&fs->file_lock);
	__put_fd(fs, fd);
	spin_unlock(&fs->file_lock);
}

void fd_install_at(int fd, struct file *f)
{
	struct files_struct *fs = current->files;

	spin_lock(&fs->file_lock);
	fs->fd[fd] = f;
	spin_unlock(&fs->file_lock);
}

int fd_install_flags(struct file *f, unsigned int o_flags)
{
	int fd = get_unused_fd_flags(o_flags);

	if (fd >= 0)
		fd_install_at(fd, f);
	return fd;
}

int fd_install(struct file *f)
{
	return fd_install_flags(f, 0);
}

int close_fd(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f;

	if (fd < 0)
		return -EBADF;
	spin_lock(&fs->file_lock);
	f = (unsigned int)fd < fs->max_fds ? fs->fd[fd] : NULL;
	if (f == FD_RESERVED)
		f = NULL;
	if (f) {
		__put_fd(fs, fd);
		__set_cloexec(fs, fd, false);
	}
	spin_unlock(&fs->file_lock);
	if (!f)
		return -EBADF;
	return filp_close(f, fs);
}

int filp_close(struct file *f, struct files_struct *id)
{
	int err = 0;

	if (f->f_op && f->f_op->flush && !(f->f_mode & FMODE_PATH))
		err = f->f_op->flush(f);
	if (f->f_inode) /* any close drops the process's POSIX locks on the file */
		locks_remove_posix(f, id);
	fput(f);
	return err;
}

int replace_fd(int fd, struct file *f, unsigned int o_flags)
{
	struct files_struct *fs = current->files;
	struct file *old;

	if (fd < 0 || (unsigned long)fd >= nofile_limit())
		return -EBADF;
	spin_lock(&fs->file_lock);
	int err = expand_files(fs, (unsigned int)fd);
	if (err) {
		spin_unlock(&fs->file_lock);
		return err;
	}
	old = fs->fd[fd];
	if (old == FD_RESERVED) { /* being opened by another thread */
		spin_unlock(&fs->file_lock);
		return -EBUSY;
	}
	fs->fd[fd] = get_file(f);
	fs->open_fds[fd / 64] |= 1UL << (fd % 64);
	__set_cloexec(fs, fd, o_flags & O_CLOEXEC);
	spin_unlock(&fs->file_lock);
	if (old)
		filp_close(old, fs);
	return fd;
}

void set_close_on_exec(int fd, bool on)
{
	struct files_struct *fs = current->files;

	spin_lock(&fs->file_lock);
	__set_cloexec(fs, fd, on);
	spin_unlock(&fs->file_lock);
}

bool get_close_on_exec(int fd)
{
	struct files_struct *fs = current->files;

	spin_lock(&fs->file_lock);
	bool on = (unsigned int)fd < fs->max_fds && (fs->close_on_exec[fd / 64] & (1UL << (fd % 64)));
	spin_unlock(&fs->file_lock);
	return on;
}

static struct files_struct *files_alloc(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	spin_lock_init(&fs->file_lock);
	fs->count = 1;
	fs->max_fds = NR_OPEN_DEFAULT;
	fs->fd = fs->fd_array;
	fs->open_fds = fs->open_fds_init;
	fs->close_on_exec = fs->close_on_exec_init;
	return fs;
}

static void files_free(struct files_struct *fs)
{
	if (fs->fd != fs->fd_array) {
		kfree(fs->fd);
		kfree(fs->open_fds);
	}
	kfree(fs);
}

struct files_struct *files_alloc_console(void)
{
	struct files_struct *fs = files_alloc();
	struct file *con;

	if (!fs)
		return NULL;
	con = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(con)) /* no console: the first process starts with none */
		return fs;
	fs->fd[0] = con;
	fs->fd[1] = get_file(con);
	fs->fd[2] = get_file(con);
	fs->open_fds[0] = 7;
	fs->next_fd = 3;
	return fs;
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *fs = files_alloc();

	if (!fs)
		return NULL;
	spin_lock(&old->file_lock);
	if (expand_files(fs, old->max_fds - 1)) {
		spin_unlock(&old->file_lock);
		files_free(fs);
		return NULL;
	}
	for (unsigned int w = 0; w < old->max_fds / 64; w++) {
		for (unsigned long bits = old->open_fds[w]; bits; bits &= bits - 1) {
			int fd = w * 64 + lowest_bit(bits);
			struct file *f = old->fd[fd];
			if (f != FD_RESERVED) {
				fs->fd[fd] = get_file(f);
				fs->open_fds[w] |= 1UL << (fd % 64);
			}
		}
	}
	memcpy(fs->close_on_exec, old->close_on_exec, old->max_fds / 64 * sizeof(long));
	fs->next_fd = old->next_fd;
	spin_unlock(&old->file_lock);
	return fs;
}

void do_close_on_exec(struct files_struct *fs)
{
	for (unsigned int w = 0; w < fs->max_fds / 64; w++) {
		if (!__atomic_load_n(&fs->close_on_exec[w], __ATOMIC_RELAXED))
			continue;
		for (int fd = (int)w * 64; fd < (int)w * 64 + 64; fd++) {
			struct file *f = NULL;
			spin_lock(&fs->file_lock);
			if ((fs->close_on_exec[w] & (1UL << (fd % 64))) && fs->fd[fd] != FD_RESERVED) {
				f = fs->fd[fd];
				__put_fd(fs, fd);
				__set_cloexec(fs, fd, false);
			}
			spin_unlock(&fs->file_lock);
			if (f)
				filp_close(f, fs);
		}
	}
}

void exit_files(struct task_struct *t)
{
	struct files_struct *fs = t->files;

	if (!fs)
		return;
	task_lock(t);
	t->files = NULL;
	task_unlock(t);
	if (__atomic_sub_fetch(&fs->count, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (unsigned int w = 0; w < fs->max_fds / 64; w++)
		for (unsigned long bits = fs->open_fds[w]; bits; bits &= bits - 1) {
			struct file *f = fs->fd[w * 64 + lowest_bit(bits)];
			if (f != FD_RESERVED)
				filp_close(f, fs);
		}
	files_free(fs);
}
