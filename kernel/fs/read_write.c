/* File system calls over the descriptor table: open (read-only, from the
 * in-memory root), read/write and their vector forms, lseek, stat. The
 * writable VFS of the files issue extends these. */
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/task.h"

#define O_ACCMODE 3
#define O_RDONLY 0
#define O_CREAT 0100
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_PATH 010000000
#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define IO_CHUNK 4096

static ssize_t ramfs_file_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	ssize_t r = ramfs_read(f->f_inode, buf, n, *pos);
	if (r > 0)
		*pos += r;
	return r;
}

static void fill_stat(struct inode *i, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = i->i_ino;
	st->st_mode = i->i_mode;
	st->st_nlink = i->i_nlink;
	st->st_uid = i->i_uid;
	st->st_gid = i->i_gid;
	st->st_rdev = i->i_rdev;
	st->st_size = (s64)i->i_size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (s64)((i->i_size + 511) / 512);
	st->st_mtime_sec = st->st_atime_sec = st->st_ctime_sec = i->i_mtime;
}

static int ramfs_file_stat(struct file *f, struct kstat *st)
{
	fill_stat(f->f_inode, st);
	return 0;
}

static const struct file_operations ramfs_fops = {
	.read = ramfs_file_read,
	.stat = ramfs_file_stat,
	.seekable = true,
	.mmap_ok = true,
};

/* An open file on a ramfs inode (takes a reference to the inode). */
struct file *ramfs_file_open(struct inode *inode, unsigned int flags)
{
	struct file *f = alloc_file(inode, flags, &ramfs_fops);

	if (f)
		ramfs_get(inode);
	return f;
}

/* Copy a path from user memory: -EFAULT, -ENAMETOOLONG, -ENOENT (empty). */
static char *getname(const char __user *upath, int *err)
{
	char *k = kmalloc(PATH_MAX);
	long n;

	if (!k) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(k, upath, PATH_MAX);
	*err = n < 0 ? (int)n : n == PATH_MAX ? -ENAMETOOLONG : 0;
	if (*err) {
		kfree(k);
		return NULL;
	}
	return k;
}

/* Resolve dirfd + path. Only the root directory exists as a cwd so far,
 * so relative paths start there. */
static int user_path_at(int dfd, const char __user *upath, int flags, struct inode **out)
{
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	if (path[0] != '/' && dfd != AT_FDCWD) {
		kfree(path);
		return -EBADF; /* directory descriptors come with the VFS */
	}
	if (!path[0])
		err = -ENOENT;
	else
		err = ramfs_resolve_at(ramfs_root(), path, flags, out);
	kfree(path);
	return err;
}

/* The few /proc files that exist before the VFS mounts /proc. */
static int open_proc(const char __user *upath, int flags)
{
	char k[32];
	long n = strncpy_from_user(k, upath, sizeof(k));

	if (n < 0 || n >= (long)sizeof(k) || strncmp(k, "/proc/", 6))
		return -ENOENT;
	struct file *f = proc_mm_open(k, (unsigned)flags);
	if (!f)
		return -ENOENT;
	int fd = fd_install(f);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, upath, int, flags, int, mode)
{
	struct inode *ino;
	int err;

	(void)mode;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
		return -EROFS; /* the root is read-only until the VFS issue */
	err = open_proc(upath, flags);
	if (err != -ENOENT)
		return err;
	err = user_path_at(dfd, upath, (flags & O_NOFOLLOW) ? RAMFS_NOFOLLOW : 0, &ino);
	if (err)
		return err;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->i_mode))
		err = -ENOTDIR;
	else if ((flags & O_NOFOLLOW) && S_ISLNK(ino->i_mode) && !(flags & O_PATH))
		err = -ELOOP;
	struct file *f = err ? NULL : alloc_file(ino, (unsigned)flags, &ramfs_fops);
	if (!err && !f)
		err = -ENOMEM;
	if (err) {
		ramfs_put(ino);
		return err;
	}
	int fd = fd_install(f); /* the file owns our inode reference now */
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE1(close, int, fd)
{
	struct files_struct *fs = current->files;
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	spin_lock(&fs->file_lock);
	f = fs->fd[fd];
	fs->fd[fd] = NULL;
	spin_unlock(&fs->file_lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/* Move data between user memory and a file through a kernel bounce buffer. */
static ssize_t do_rw(int fd, char __user *ubuf, size_t n, bool write, u64 *ppos)
{
	struct file *f = fget(fd);
	ssize_t done = 0;

	if (!f)
		return -EBADF;
	if ((write ? !f->f_op->write : !f->f_op->read) ||
	    (write && (f->f_flags & O_ACCMODE) == O_RDONLY)) {
		fput(f);
		return -EBADF;
	}
	if (!access_ok(ubuf, n)) {
		fput(f);
		return -EFAULT;
	}
	char *k = kmalloc(IO_CHUNK);
	if (!k) {
		fput(f);
		return -ENOMEM;
	}
	u64 pos = ppos ? *ppos : f->f_pos;
	while ((size_t)done < n) {
		size_t c = MIN(n - done, IO_CHUNK);
		ssize_t r;
		if (write) {
			if (copy_from_user(k, ubuf + done, c)) {
				r = -EFAULT;
			} else {
				r = f->f_op->write(f, k, c, &pos);
			}
		} else {
			r = f->f_op->read(f, k, c, &pos);
			if (r > 0 && copy_to_user(ubuf + done, k, r))
				r = -EFAULT;
		}
		if (r < 0) {
			if (!done)
				done = r;
			break;
		}
		done += r;
		if ((size_t)r < c)
			break;
	}
	if (!ppos)
		f->f_pos = pos;
	kfree(k);
	fput(f);
	return done;
}

SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, n)
{
	return do_rw(fd, buf, n, false, NULL);
}

SYSCALL_DEFINE3(write, int, fd, const char __user *, buf, size_t, n)
{
	return do_rw(fd, (char __user *)buf, n, true, NULL);
}

SYSCALL_DEFINE4(pread64, int, fd, char __user *, buf, size_t, n, s64, pos)
{
	if (pos < 0)
		return -EINVAL;
	u64 p = (u64)pos;
	return do_rw(fd, buf, n, false, &p);
}

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

static ssize_t do_rwv(int fd, const struct iovec __user *uiov, int cnt, bool write)
{
	ssize_t total = 0;

	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (int i = 0; i < cnt; i++) {
		struct iovec v;
		if (copy_from_user(&v, &uiov[i], sizeof(v)))
			return total ? total : -EFAULT;
		if ((ssize_t)v.iov_len < 0)
			return -EINVAL;
		ssize_t r = do_rw(fd, v.iov_base, v.iov_len, write, NULL);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < v.iov_len)
			break;
	}
	return total;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_rwv(fd, iov, cnt, false);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_rwv(fd, iov, cnt, true);
}

SYSCALL_DEFINE3(lseek, int, fd, s64, off, int, whence)
{
	struct file *f = fget(fd);
	s64 base, ret;

	if (!f)
		return -EBADF;
	if (!f->f_op->seekable) {
		fput(f);
		return -ESPIPE;
	}
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (s64)f->f_pos
	       : whence == SEEK_END && f->f_inode ? (s64)f->f_inode->i_size : -1;
	if (base < 0 || whence > SEEK_END)
		ret = -EINVAL;
	else if (base + off < 0)
		ret = -EINVAL;
	else
		ret = (s64)(f->f_pos = (u64)(base + off));
	fput(f);
	return ret;
}

SYSCALL_DEFINE2(fstat, int, fd, struct kstat __user *, ust)
{
	struct kstat st;
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = f->f_op->stat ? f->f_op->stat(f, &st) : -EINVAL;
	fput(f);
	if (!err && copy_to_user(ust, &st, sizeof(st)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, upath, struct kstat __user *, ust,
		int, flags)
{
	struct inode *ino;
	struct kstat st;
	char c;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (get_user(c, upath))
		return -EFAULT;
	if (!c && (flags & AT_EMPTY_PATH))
		return __do_sys_fstat(dfd, ust);
	err = user_path_at(dfd, upath, (flags & AT_SYMLINK_NOFOLLOW) ? RAMFS_NOFOLLOW : 0, &ino);
	if (err)
		return err;
	fill_stat(ino, &st);
	ramfs_put(ino);
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, upath, char __user *, ubuf, int, n)
{
	struct inode *ino;
	char k[256];
	int err;

	if (n <= 0)
		return -EINVAL;
	err = user_path_at(dfd, upath, RAMFS_NOFOLLOW, &ino);
	if (err)
		return err;
	ssize_t len = S_ISLNK(ino->i_mode) ? ramfs_readlink(ino, k, sizeof(k)) : -EINVAL;
	ramfs_put(ino);
	if (len < 0)
		return (int)len;
	len = MIN(len, (ssize_t)MIN((size_t)n, sizeof(k)));
	return copy_to_user(ubuf, k, len) ? -EFAULT : (long)len;
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);

	(void)cmd, (void)arg;
	if (!f)
		return -EBADF;
	fput(f);
	return -ENOTTY; /* terminal ioctls arrive with the tty (files issue) */
}
