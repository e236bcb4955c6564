/* Bad arguments to the file, pipe, poll, tty and mount calls: unmapped,
 * NULL and kernel-half pointers, bad descriptors, flags and lengths give
 * Linux's -errno (or a signal), never a kernel oops or a hang. Raw
 * syscall() so glibc's own checks do not hide the kernel's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define BAD ((void *)0x10)                   /* unmapped, low */
#define KERN ((void *)0xffffffff80000000UL)  /* the kernel half */

/* Six arguments always: a call's unused ones are 0, not stale registers. */
static long raw(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e, 0L);
	return r < 0 ? -errno : r;
}

#define ERR(call, e, name) CHECK((call) == -(e), name)

int main(void)
{
	KTAP_START("fsargs");
	int fd = open("/proc/self/stat", O_RDONLY);
	char buf[64];

	ERR(raw(SYS_openat, AT_FDCWD, (long)BAD, O_RDONLY, 0, 0), EFAULT, "openat: bad path pointer");
	ERR(raw(SYS_openat, AT_FDCWD, (long)KERN, O_RDONLY, 0, 0), EFAULT, "openat: kernel-half path");
	ERR(raw(SYS_openat, 9999, (long)"x", O_RDONLY, 0, 0), EBADF, "openat: bad dirfd");
	long ufd = raw(SYS_openat, AT_FDCWD, (long)"/", O_RDONLY | 0x80000000L, 0, 0);
	CHECK(ufd >= 0, "openat ignores unknown flag bits, as Linux (only openat2 checks)");
	if (ufd >= 0)
		close((int)ufd);
	ERR(raw(SYS_read, fd, (long)KERN, 10, 0, 0), EFAULT, "read into the kernel half");
	ERR(raw(SYS_read, -1, (long)buf, 10, 0, 0), EBADF, "read: fd -1");
	ERR(raw(SYS_write, 1, (long)BAD, 10, 0, 0), EFAULT, "write from an unmapped page");
	ERR(raw(SYS_readv, fd, (long)BAD, 2, 0, 0), EFAULT, "readv: bad iovec array");
	ERR(raw(SYS_readv, fd, (long)buf, -1, 0, 0), EINVAL, "readv: negative count");
	ERR(raw(SYS_getdents64, open("/", O_RDONLY | O_DIRECTORY), (long)BAD, 4096, 0, 0), EFAULT,
	    "getdents64 into an unmapped page");
	ERR(raw(SYS_getdents64, fd, (long)buf, sizeof(buf), 0, 0), ENOTDIR, "getdents64 on a file");
	ERR(raw(SYS_newfstatat, AT_FDCWD, (long)"/", (long)KERN, 0, 0), EFAULT, "newfstatat: kernel-half buffer");
	ERR(raw(SYS_statx, AT_FDCWD, (long)"/", 0, 0x7ff, (long)BAD), EFAULT, "statx: bad buffer");
	ERR(raw(SYS_readlinkat, AT_FDCWD, (long)"/proc/self", (long)BAD, 64, 0), EFAULT, "readlinkat: bad buffer");
	ERR(raw(SYS_readlinkat, AT_FDCWD, (long)"/proc/self", (long)buf, 0, 0), EINVAL, "readlinkat: size 0");
	ERR(raw(SYS_getcwd, (long)BAD, 4096, 0, 0, 0), EFAULT, "getcwd: bad buffer");
	ERR(raw(SYS_getcwd, (long)buf, 1, 0, 0, 0), ERANGE, "getcwd: buffer too small");
	ERR(raw(SYS_pipe2, (long)BAD, 0, 0, 0, 0), EFAULT, "pipe2: bad array");
	ERR(raw(SYS_pipe2, (long)buf, 0x12345, 0, 0, 0), EINVAL, "pipe2: bad flags");
	ERR(raw(SYS_ppoll, (long)BAD, 1, 0, 0, 8), EFAULT, "ppoll: bad pollfd array");
	ERR(raw(SYS_ppoll, (long)buf, 1L << 30, 0, 0, 8), EINVAL, "ppoll: nfds over the limit");
	ERR(raw(SYS_pselect6, -1, 0, 0, 0, 0), EINVAL, "pselect6: negative n");
	ERR(raw(SYS_pselect6, 4, (long)BAD, 0, 0, 0), EFAULT, "pselect6: bad fd_set");
	ERR(raw(SYS_ioctl, 0, TCGETS, (long)BAD, 0, 0), isatty(0) ? EFAULT : ENOTTY, "ioctl TCGETS: bad pointer");
	ERR(raw(SYS_ioctl, fd, TCGETS, (long)buf, 0, 0), ENOTTY, "ioctl TCGETS on a file");
	ERR(raw(SYS_fcntl, fd, F_SETLK, (long)BAD, 0, 0), EFAULT, "fcntl F_SETLK: bad flock pointer");
	ERR(raw(SYS_fcntl, fd, 12345, 0, 0, 0), EINVAL, "fcntl: unknown command");
	ERR(raw(SYS_dup3, fd, fd, 0, 0, 0), EINVAL, "dup3 onto itself");
	ERR(raw(SYS_dup3, fd, 100000, 0, 0, 0), EBADF, "dup3 past the descriptor limit");
	ERR(raw(SYS_mount, (long)"none", (long)BAD, (long)"tmpfs", 0, 0), EFAULT, "mount: bad target");
	ERR(raw(SYS_mount, (long)"none", (long)"/tmp", (long)"nosuchfs", 0, 0), ENODEV,
	    "mount: unknown file system type");
	ERR(raw(SYS_umount2, (long)"/tmp", 0x100, 0, 0, 0), EINVAL, "umount2: bad flags");
	ERR(raw(SYS_renameat2, AT_FDCWD, (long)BAD, AT_FDCWD, (long)"x", 0), EFAULT, "renameat2: bad old name");
	ERR(raw(SYS_renameat2, AT_FDCWD, (long)"a", AT_FDCWD, (long)"b", 7), EINVAL, "renameat2: bad flags");
	ERR(raw(SYS_utimensat, AT_FDCWD, (long)"/", (long)BAD, 0, 0), EFAULT, "utimensat: bad times");
	ERR(raw(SYS_lseek, fd, 0, 42, 0, 0), EINVAL, "lseek: bad whence");
	ERR(raw(SYS_truncate, (long)"/", -1, 0, 0, 0), EINVAL, "truncate: negative length");
	ERR(raw(SYS_sendfile, 1, fd, (long)BAD, 10, 0), EFAULT, "sendfile: bad offset pointer");
	ERR(raw(SYS_statfs, (long)"/", (long)KERN, 0, 0, 0), EFAULT, "statfs: kernel-half buffer");
	return ktap_done();
}
