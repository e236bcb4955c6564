/* Moving bytes through open files (Linux: fs/read_write.c): read, write,
 * their positioned and vector forms, lseek, sendfile, copy_file_range,
 * and kernel_read/kernel_write for the kernel's own use. */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/file.h"
#include "kernel/fs/namei.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/signal.h"
#include "proc/task.h"

#define MAX_RW_COUNT (0x7ffff000UL) /* INT_MAX rounded down to a page, as Linux */
#define UIO_MAXIOV 1024
#define SSIZE_MAX ((ssize_t)(~0UL >> 1))

/* Only files with a position serialize on it: a tty or pipe read may
 * block, and must not hold up a writer sharing the same open file. */
static bool pos_locked(struct file *f)
{
	return f->f_mode & FMODE_LSEEK;
}

static ssize_t vfs_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (!f->f_op->read_iter)
		return f->f_inode && S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -EINVAL;
	if (!to->count)
		return 0;
	if (!to->kernel && !access_ok(to->ptr, to->count))
		return -EFAULT;
	to->count = MIN(to->count, MAX_RW_COUNT);
	ssize_t r = f->f_op->read_iter(f, to, pos);
	if (r > 0)
		fsnotify_access(f);
	return r;
}

/* RLIMIT_FSIZE (Linux's generic_write_check_limits): a regular file
 * never grows past it; a write starting there gets SIGXFSZ and -EFBIG,
 * one crossing it is cut short. */
static int write_check_limits(struct file *f, struct iov_iter *from, u64 pos)
{
	u64 limit = task_rlimit(current, RLIMIT_FSIZE);

	if (limit == RLIM_INFINITY || !f->f_inode || !S_ISREG(f->f_inode->i_mode))
		return 0;
	if ((f->f_flags & O_APPEND) || from->append)
		pos = (u64)f->f_inode->i_size;
	if (pos >= limit) {
		send_sig(SIGXFSZ, current, 0);
		return -EFBIG;
	}
	from->count = MIN(from->count, limit - pos);
	return 0;
}

static ssize_t vfs_write(struct file *f, struct iov_iter *from, u64 *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op->write_iter)
		return -EINVAL;
	if (!from->count)
		return 0;
	if (!from->kernel && !access_ok(from->ptr, from->count))
		return -EFAULT;
	from->count = MIN(from->count, MAX_RW_COUNT);
	int err = write_check_limits(f, from, *pos);
	if (err)
		return err;
	ssize_t r = f->f_op->write_iter(f, from, pos);
	if (r > 0)
		fsnotify_modify(f);
	return r;
}

/* read/write at the file position (ppos NULL) or at *ppos. */
static ssize_t rw_file(struct file *f, struct iov_iter *it, u64 *ppos, bool write)
{
	ssize_t r;

	if (ppos)
		return write ? vfs_write(f, it, ppos) : vfs_read(f, it, ppos);
	bool lock = pos_locked(f);
	if (lock)
		mutex_lock(&f->f_pos_lock);
	u64 pos = f->f_pos;
	r = write ? vfs_write(f, it, &pos) : vfs_read(f, it, &pos);
	if (r >= 0)
		f->f_pos = pos;
	if (lock)
		mutex_unlock(&f->f_pos_lock);
	return r;
}

ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 *pos)
{
	struct iov_iter it;

	iov_iter_kvec(&it, buf, n);
	return vfs_read(f, &it, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 *pos)
{
	struct iov_iter it;

	iov_iter_kvec(&it, (void *)buf, n);
	return vfs_write(f, &it, pos);
}

static ssize_t do_rw(int fd, void __user *buf, size_t n, u64 *ppos, bool write)
{
	struct file *f = fget(fd);
	struct iov_iter it;

	if (!f)
		return -EBADF;
	if (ppos && !(f->f_mode & (write ? FMODE_PWRITE : FMODE_PREAD))) {
		fput(f);
		return -ESPIPE;
	}
	iov_iter_init(&it, buf, n);
	ssize_t r = rw_file(f, &it, ppos, write);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, n)
{
	return do_rw(fd, buf, n, NULL, false);
}

SYSCALL_DEFINE3(write, int, fd, const char __user *, buf, size_t, n)
{
	return do_rw(fd, (void __user *)buf, n, NULL, true);
}

SYSCALL_DEFINE4(pread64, int, fd, char __user *, buf, size_t, n, s64, pos)
{
	if (pos < 0)
		return -EINVAL;
	u64 p = (u64)pos;
	return do_rw(fd, buf, n, &p, false);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char __user *, buf, size_t, n, s64, pos)
{
	if (pos < 0)
		return -EINVAL;
	u64 p = (u64)pos;
	return do_rw(fd, (void __user *)buf, n, &p, true);
}

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

#define RWF_HIPRI 0x01
#define RWF_DSYNC 0x02
#define RWF_SYNC 0x04
#define RWF_NOWAIT 0x08
#define RWF_APPEND 0x10
#define RWF_SUPPORTED (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

/* preadv2/pwritev2 flags for f (Linux's kiocb_set_rw_flags): unknown ones
 * are -EOPNOTSUPP. Files here are in memory, so HIPRI (polled I/O) and the
 * sync flags ask for nothing more than a plain write does; NOWAIT is kept
 * by regular files, which never wait for I/O, and refused by the others
 * (pipes, terminals), which would have to sleep. */
static int rw_flags_check(struct file *f, int rwf)
{
	if (rwf & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	if ((rwf & RWF_NOWAIT) && !(f->f_inode && S_ISREG(f->f_inode->i_mode)))
		return -EOPNOTSUPP;
	return 0;
}

/* Vector I/O: segment by segment, stopping at the first short transfer. */
static ssize_t do_rwv(int fd, const struct iovec __user *uiov, int cnt, s64 offset, bool write,
		      int rwf)
{
	struct file *f;
	ssize_t total = 0;
	u64 pos = (u64)offset;

	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (offset >= 0 && !(f->f_mode & (write ? FMODE_PWRITE : FMODE_PREAD))) {
		fput(f);
		return -ESPIPE;
	}
	int err = rw_flags_check(f, rwf);
	if (err) {
		fput(f);
		return err;
	}
	/* Validate the whole vector first, as Linux does. */
	size_t sum = 0;
	for (int i = 0; i < cnt; i++) {
		struct iovec v;
		if (copy_from_user(&v, &uiov[i], sizeof(v))) {
			fput(f);
			return -EFAULT;
		}
		if ((ssize_t)v.iov_len < 0 || (sum += v.iov_len) > (size_t)SSIZE_MAX) {
			fput(f);
			return -EINVAL;
		}
	}
	if (!cnt || !sum) {
		fput(f);
		return (f->f_mode & (write ? FMODE_WRITE : FMODE_READ)) ? 0 : -EBADF;
	}
	for (int i = 0; i < cnt; i++) {
		struct iovec v;
		struct iov_iter it;
		if (copy_from_user(&v, &uiov[i], sizeof(v)))
			break;
		if (!v.iov_len)
			continue;
		iov_iter_init(&it, v.iov_base, v.iov_len);
		it.append = write && (rwf & RWF_APPEND);
		ssize_t r = rw_file(f, &it, offset >= 0 ? &pos : NULL, write);
		if (r < 0) {
			if (!total)
				total = r;
			break;
		}
		total += r;
		if ((size_t)r < v.iov_len)
			break;
	}
	fput(f);
	return total;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_rwv(fd, iov, cnt, -1, false, 0);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_rwv(fd, iov, cnt, -1, true, 0);
}

SYSCALL_DEFINE4(preadv, int, fd, const struct iovec __user *, iov, int, cnt, s64, pos)
{
	return pos < 0 ? -EINVAL : do_rwv(fd, iov, cnt, pos, false, 0);
}

SYSCALL_DEFINE4(pwritev, int, fd, const struct iovec __user *, iov, int, cnt, s64, pos)
{
	return pos < 0 ? -EINVAL : do_rwv(fd, iov, cnt, pos, true, 0);
}

/* pos -1: at (and moving) the file position, as readv/writev. */
SYSCALL_DEFINE6(preadv2, int, fd, const struct iovec __user *, iov, int, cnt, s64, pos,
		unsigned long, pos_h, int, rwf)
{
	(void)pos_h; /* 64-bit: pos_l holds the whole offset */
	return pos < -1 ? -EINVAL : do_rwv(fd, iov, cnt, pos, false, rwf);
}

SYSCALL_DEFINE6(pwritev2, int, fd, const struct iovec __user *, iov, int, cnt, s64, pos,
		unsigned long, pos_h, int, rwf)
{
	(void)pos_h;
	return pos < -1 ? -EINVAL : do_rwv(fd, iov, cnt, pos, true, rwf);
}

SYSCALL_DEFINE3(lseek, int, fd, s64, off, int, whence)
{
	struct file *f = fget(fd);
	s64 ret;

	if (!f)
		return -EBADF;
	if ((unsigned int)whence > SEEK_HOLE) {
		ret = -EINVAL;
	} else if (!f->f_op->llseek || !(f->f_mode & FMODE_LSEEK)) {
		ret = -ESPIPE;
	} else {
		mutex_lock(&f->f_pos_lock);
		ret = f->f_op->llseek(f, off, whence);
		mutex_unlock(&f->f_pos_lock);
	}
	fput(f);
	return ret;
}

/* Copy count bytes from in (at *ipos, or its file position) to out,
 * through a kernel page. */
static ssize_t copy_between(struct file *in, u64 *ipos, struct file *out, u64 *opos, size_t count)
{
	char *buf = kmalloc(PAGE_SIZE);
	ssize_t done = 0;

	if (!buf)
		return -ENOMEM;
	while ((size_t)done < count) {
		struct iov_iter it;
		size_t c = MIN(count - done, PAGE_SIZE);
		iov_iter_kvec(&it, buf, c);
		ssize_t r = rw_file(in, &it, ipos, false);
		if (r <= 0) {
			if (r < 0 && !done)
				done = r;
			break;
		}
		iov_iter_kvec(&it, buf, (size_t)r);
		ssize_t w = rw_file(out, &it, opos, true);
		if (w <= 0) {
			if (w < 0 && !done)
				done = w;
			break;
		}
		done += w;
		if (w < r)
			break; /* the reader's extra bytes are lost, as with a short write */
		if (fatal_signal_pending(current))
			break;
	}
	kfree(buf);
	return done;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, s64 __user *, uoff, size_t, count)
{
	struct file *in = fget(in_fd), *out = fget(out_fd);
	ssize_t r;
	s64 off = 0;

	if (!in || !out) {
		r = -EBADF;
		goto out;
	}
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE)) {
		r = -EBADF;
		goto out;
	}
	if (uoff) {
		if (get_user(off, uoff)) {
			r = -EFAULT;
			goto out;
		}
		if (off < 0 || !(in->f_mode & FMODE_PREAD)) {
			r = off < 0 ? -EINVAL : -ESPIPE;
			goto out;
		}
		u64 pos = (u64)off;
		r = copy_between(in, &pos, out, NULL, count);
		if (r >= 0 && put_user((s64)pos, uoff))
			r = -EFAULT;
	} else {
		r = copy_between(in, NULL, out, NULL, count);
	}
out:
	if (in)
		fput(in);
	if (out)
		fput(out);
	return r;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, s64 __user *, uoff_in, int, fd_out,
		s64 __user *, uoff_out, size_t, len, unsigned int, flags)
{
	struct file *in, *out;
	s64 oin = 0, oout = 0;
	ssize_t r;

	if (flags)
		return -EINVAL;
	if ((uoff_in && get_user(oin, uoff_in)) || (uoff_out && get_user(oout, uoff_out)))
		return -EFAULT;
	if (oin < 0 || oout < 0)
		return -EINVAL;
	in = fget(fd_in);
	out = fget(fd_out);
	if (!in || !out || !(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		r = -EBADF;
	else if (!in->f_inode || !out->f_inode || !S_ISREG(in->f_inode->i_mode) ||
		 !S_ISREG(out->f_inode->i_mode))
		r = -EINVAL;
	else if (out->f_flags & O_APPEND)
		r = -EBADF;
	else {
		u64 pin = (u64)oin, pout = (u64)oout;
		r = copy_between(in, uoff_in ? &pin : NULL, out, uoff_out ? &pout : NULL, len);
		if (r > 0 && ((uoff_in && put_user((s64)pin, uoff_in)) ||
			      (uoff_out && put_user((s64)pout, uoff_out))))
			r = -EFAULT;
	}
	if (in)
		fput(in);
	if (out)
		fput(out);
	return r;
}
