/* Descriptor calls (Linux: fs/fcntl.c, fs/ioctl.c, fs/file.c): dup, dup3,
 * fcntl, ioctl's generic commands (then the driver's), flock. */
#include "kernel/fs/file.h"
#include "kernel/fs/locks.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "proc/task.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define FD_CLOEXEC 1
#define FASYNC 020000

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT | FASYNC)

/* Pipe sizes live in kernel/fs/pipe.c. */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg) __attribute__((weak));
#include "kernel/fs/memfd.h"


SYSCALL_DEFINE1(dup, unsigned int, oldfd)
{
	struct file *f = fget((int)oldfd);

	if (!f)
		return -EBADF;
	int fd = fd_install(f);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	struct file *f = fget((int)oldfd);
	if (!f)
		return -EBADF;
	long r = replace_fd((int)newfd, f, (unsigned)flags);
	fput(f);
	return r;
}

static long f_dupfd(struct file *f, unsigned long from, bool cloexec)
{
	if (from >= (unsigned long)current->signal->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	int fd = alloc_fd((int)from, cloexec ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	fd_install_at(fd, get_file(f));
	return fd;
}

static long f_setfl(struct file *f, unsigned long arg)
{
	/* O_APPEND cannot be cleared on an append-only file: none exist here. */
	spin_lock(&f->f_lock);
	f->f_flags = (f->f_flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
	spin_unlock(&f->f_lock);
	return 0;
}

/* F_SETLK/F_SETLKW/F_OFD_SETLK(W). If another thread closed fd while
 * a POSIX lock was being set, that close could not drop it: drop it now,
 * as the close would have (Linux does the same). */
static long f_setlk(int fd, struct file *f, unsigned int cmd, struct flock64 __user *arg)
{
	bool ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	long r = fcntl_setlk(f, ofd, cmd == F_SETLKW || cmd == F_OFD_SETLKW, arg);

	if (!r && !ofd) {
		struct file *now = fget(fd);
		if (now != f)
			locks_remove_posix(f, current->files);
		if (now)
			fput(now);
	}
	return r;
}

/* Only these work on an O_PATH descriptor (Linux: check_fcntl_cmd). */
static bool path_fcntl_cmd(unsigned int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL;
}

static long do_fcntl(int fd, unsigned int cmd, unsigned long arg, struct file *f)
{
	if ((f->f_mode & FMODE_PATH) && !path_fcntl_cmd(cmd))
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
		return f_dupfd(f, arg, false);
	case F_DUPFD_CLOEXEC:
		return f_dupfd(f, arg, true);
	case F_GETFD:
		return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		set_close_on_exec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->f_flags | ((f->f_mode & FMODE_PATH) ? O_PATH : 0);
	case F_SETFL:
		return f_setfl(f, arg);
	case F_GETLK:
	case F_OFD_GETLK:
		return fcntl_getlk(f, cmd == F_OFD_GETLK, (struct flock64 __user *)arg);
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return f_setlk(fd, f, cmd, (struct flock64 __user *)arg);
	case F_GETOWN:
	case F_GETSIG:
		return 0;
	case F_SETOWN:
	case F_SETSIG:
		return 0;
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		return pipe_fcntl ? pipe_fcntl(f, cmd, arg) : -EBADF;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		return memfd_fcntl(f, cmd, arg);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	long r = do_fcntl(fd, cmd, arg, f);
	fput(f);
	return r;
}

#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIONBIO 0x5421
#define FIOASYNC 0x5452

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long r;
	int on;

	if (!f)
		return -EBADF;
	if (f->f_mode & FMODE_PATH) {
		fput(f);
		return -EBADF;
	}
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		set_close_on_exec(fd, cmd == FIOCLEX);
		r = 0;
		break;
	case FIONBIO:
	case FIOASYNC:
		if (get_user(on, (int __user *)arg)) {
			r = -EFAULT;
			break;
		}
		spin_lock(&f->f_lock);
		unsigned int bit = cmd == FIONBIO ? O_NONBLOCK : FASYNC;
		f->f_flags = on ? f->f_flags | bit : f->f_flags & ~bit;
		spin_unlock(&f->f_lock);
		r = 0;
		break;
	default:
		r = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE2(flock, int, fd, unsigned int, cmd)
{
	if (cmd & LOCK_MAND) /* never did anything; Linux ignores it now */
		return 0;
	if ((cmd & ~LOCK_NB) != LOCK_SH && (cmd & ~LOCK_NB) != LOCK_EX && (cmd & ~LOCK_NB) != LOCK_UN)
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r = (f->f_mode & FMODE_PATH) ? -EBADF : do_flock(f, cmd);
	fput(f);
	return r;
}
