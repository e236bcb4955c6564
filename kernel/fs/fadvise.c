/* Page-cache hints (Linux: mm/fadvise.c, mm/readahead.c, fs/sync.c):
 * fadvise64, readahead and sync_file_range. Every file here lives in
 * memory (ramfs keeps its data in the page cache, with no backing store),
 * so there is nothing to read ahead, drop or write back: these calls check
 * their arguments as Linux does and succeed, like Linux on tmpfs. */
#include "kernel/fs/file.h"
#include "kernel/fs/stat.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"

#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_NOREUSE 5

#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE 2
#define SYNC_FILE_RANGE_WAIT_AFTER 4
#define VALID_SYNC_FLAGS (SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | \
			  SYNC_FILE_RANGE_WAIT_AFTER)

static u32 file_mode(struct file *f)
{
	return f->f_inode ? f->f_inode->i_mode : 0;
}

SYSCALL_DEFINE4(fadvise64, int, fd, s64, offset, s64, len, int, advice)
{
	struct file *f = fget(fd);
	long ret = 0;

	(void)offset;
	if (!f)
		return -EBADF;
	if (S_ISFIFO(file_mode(f)))
		ret = -ESPIPE; /* a pipe has no page cache to advise about */
	else if (len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE)
		ret = -EINVAL;
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(readahead, int, fd, s64, offset, size_t, count)
{
	struct file *f = fget(fd);
	long ret = 0;

	(void)offset, (void)count;
	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_READ))
		ret = -EBADF;
	else if (!S_ISREG(file_mode(f)))
		ret = -EINVAL;
	fput(f);
	return ret;
}

SYSCALL_DEFINE4(sync_file_range, int, fd, s64, offset, s64, nbytes, unsigned int, flags)
{
	if (flags & ~VALID_SYNC_FLAGS)
		return -EINVAL;
	if (offset < 0 || nbytes < 0 || (u64)offset + (u64)nbytes < (u64)offset ||
	    (s64)((u64)offset + (u64)nbytes) < 0)
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	u32 m = file_mode(f);
	long ret = S_ISREG(m) || S_ISDIR(m) || S_ISBLK(m) || S_ISLNK(m) ? 0 : -ESPIPE;
	fput(f);
	return ret;
}
