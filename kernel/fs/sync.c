/* sync, fsync, fdatasync, syncfs: every file system here lives in memory,
 * so there is nothing to write back; the calls check their arguments and
 * succeed, as they would on Linux's ramfs/tmpfs. */
#include "kernel/fs/file.h"
#include "kernel/syscall.h"

SYSCALL_DEFINE0(sync)
{
	return 0;
}

static long fsync_fd(int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	/* Files without storage behind them (pipes, ttys) cannot be synced. */
	bool stored = f->f_inode && (S_ISREG(f->f_inode->i_mode) || S_ISDIR(f->f_inode->i_mode));
	long r = (f->f_mode & FMODE_PATH) ? -EBADF : f->f_op->fsync ? f->f_op->fsync(f) :
		 stored ? 0 : -EINVAL;
	fput(f);
	return r;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return fsync_fd(fd);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return fsync_fd(fd);
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}
