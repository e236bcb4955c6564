/* Boot test: the file system through its system calls, with Linux's exact
 * errnos: open flags, read/write/seek, holes and truncation, stat/statx,
 * directories and getdents64, rename/unlink/link/symlink, permissions,
 * descriptors across dup/fork/exec, file-backed mmap, FIFOs and mounts.
 * Usage: fs [WORKDIR] (default /tmp/fstest-PID); every test works in its own
 * subdirectory, all removed at the end. Exec tests re-run this program
 * (argv[0]) with a --child-* mode. Passes on Linux: natively, and under
 * qemu-riscv64 except the exec tests (qemu-user cannot exec a guest binary). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define PG 4096L
#define TMPFS_MAGIC_ 0x01021994L
#define ECHO_MSG "hello from an exec'd child\n"

static char self[PATH_MAX];	/* absolute path of this program, for exec */
static char work[PATH_MAX];	/* the work directory */

/* ---- assertions that say what went wrong -------------------------------- */

static const char *errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "0";
	return s ? s : "?";
}

/* The call must fail with errno `want`. */
#define EXPECT_ERR(call, want, name)                                                    \
	do {                                                                            \
		errno = 0;                                                              \
		long r_ = (long)(call);                                                 \
		int e_ = errno, ok_ = r_ == -1 && e_ == (want);                         \
		CHECK(ok_, name);                                                       \
		if (!ok_)                                                               \
			printf("# %s: expected -1 errno %s, got %ld errno %s\n", #call, \
			       errname(want), r_, errname(e_));                         \
		fflush(stdout);                                                         \
	} while (0)

/* The call must not return -1. */
#define EXPECT_OK(call, name)                                                           \
	do {                                                                            \
		errno = 0;                                                              \
		long r_ = (long)(call);                                                 \
		int e_ = errno;                                                         \
		CHECK(r_ != -1, name);                                                  \
		if (r_ == -1)                                                           \
			printf("# %s: expected success, got -1 errno %s\n", #call,      \
			       errname(e_));                                            \
		fflush(stdout);                                                         \
	} while (0)

#define EXPECT_EQ(got, want, name)                                                      \
	do {                                                                            \
		int e_ = errno;                                                         \
		long g_ = (long)(got), w_ = (long)(want);                               \
		CHECK(g_ == w_, name);                                                  \
		if (g_ != w_)                                                           \
			printf("# %s: expected %ld (%#lo), got %ld (%#lo), errno %s\n",   \
			       #got, w_, w_, g_, g_, errname(e_));                      \
		fflush(stdout);                                                         \
	} while (0)

#define EXPECT_STR(got, want, name)                                                     \
	do {                                                                            \
		const char *g_ = (got), *w_ = (want);                                   \
		int ok_ = g_ && !strcmp(g_, w_);                                        \
		CHECK(ok_, name);                                                       \
		if (!ok_)                                                               \
			printf("# %s: expected \"%s\", got \"%s\"\n", #got, w_,          \
			       g_ ? g_ : "(null)");                                     \
		fflush(stdout);                                                         \
	} while (0)

static void skip(const char *name, const char *why)
{
	ktap_n++;
	printf("ok %d %s # SKIP %s\n", ktap_n, name, why);
	fflush(stdout);
}

/* ---- small helpers ------------------------------------------------------ */

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The file's contents as a string (static buffer), or NULL. */
static const char *get(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

static const char *fd_get(int fd, off_t off)
{
	static char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, off);

	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

static long ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_ino;
}

static long nlink_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? -1 : (long)st.st_nlink;
}

static long mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? -1 : (long)st.st_mode;
}

static long size_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? -1 : (long)st.st_size;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int wait_status(pid_t pid)
{
	int st = -1;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* Remove a tree (unmounting anything a failed test left mounted). */
static int rm_rf(const char *path)
{
	struct stat st;
	struct dirent *d;
	char sub[PATH_MAX];
	DIR *dir;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	umount2(path, MNT_DETACH);
	chmod(path, 0755);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		rm_rf(sub);
	}
	closedir(dir);
	return rmdir(path);
}

/* ---- open and creat ----------------------------------------------------- */

static void test_open_creat(void)
{
	int fd = open("f", O_CREAT | O_WRONLY, 0777);

	EXPECT_OK(fd, "O_CREAT creates a missing file");
	close(fd);
	EXPECT_EQ(mode_of("f"), S_IFREG | 0755, "O_CREAT mode 0777 under umask 022 gives 0755");
	umask(027);
	fd = open("g", O_CREAT | O_RDWR, 0666);
	umask(022);
	close(fd);
	EXPECT_EQ(mode_of("g"), S_IFREG | 0640, "O_CREAT mode 0666 under umask 027 gives 0640");
	EXPECT_ERR(open("f", O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST,
		   "O_CREAT|O_EXCL on an existing file gives EEXIST");
	fd = open("f", O_CREAT | O_WRONLY, 0600);
	EXPECT_OK(fd, "O_CREAT without O_EXCL opens an existing file");
	close(fd);
	EXPECT_EQ(mode_of("f"), S_IFREG | 0755, "O_CREAT on an existing file keeps its mode");
	fd = creat("c", 0644);
	EXPECT_OK(fd, "creat creates a file");
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY, "creat opens write-only");
	close(fd);
	EXPECT_ERR(open("missing", O_RDONLY), ENOENT, "open of a missing file gives ENOENT");
	EXPECT_ERR(open("", O_RDONLY), ENOENT, "open of an empty path gives ENOENT");
}

static void test_open_trunc_append(void)
{
	struct stat st;
	int fd;

	put("t", "hello world");
	fd = open("t", O_WRONLY | O_TRUNC);
	EXPECT_EQ(fstat(fd, &st) ? -1 : st.st_size, 0, "O_TRUNC empties the file");
	close(fd);

	put("a", "abc");
	fd = open("a", O_RDWR | O_APPEND);
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0, "lseek on an O_APPEND fd");
	EXPECT_EQ(write(fd, "de", 2), 2, "write on an O_APPEND fd");
	EXPECT_STR(get("a"), "abcde", "O_APPEND write lands at the end despite lseek(0)");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5, "offset is at the end after an O_APPEND write");
	EXPECT_EQ(pwrite(fd, "fg", 2, 0), 2, "pwrite on an O_APPEND fd");
	EXPECT_STR(get("a"), "abcdefg", "pwrite on an O_APPEND fd appends (Linux ignores the offset)");
	EXPECT_STR(fd_get(fd, 1), "bcdefg", "O_RDWR|O_APPEND can still read from anywhere");
	close(fd);
}

static void test_open_errors(void)
{
	char name[300];
	char *longpath = malloc(PATH_MAX + 16);
	int fd;

	put("file", "x");
	mkdir("dir", 0755);
	symlink("file", "link");
	EXPECT_ERR(open("file", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file gives ENOTDIR");
	fd = open("dir", O_RDONLY | O_DIRECTORY);
	EXPECT_OK(fd, "O_DIRECTORY on a directory opens it");
	close(fd);
	EXPECT_ERR(open("link", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a symlink gives ELOOP");
	fd = open("file", O_RDONLY | O_NOFOLLOW);
	EXPECT_OK(fd, "O_NOFOLLOW on a regular file opens it");
	close(fd);
	EXPECT_ERR(open("dir", O_WRONLY), EISDIR, "opening a directory O_WRONLY gives EISDIR");
	EXPECT_ERR(open("dir", O_RDWR), EISDIR, "opening a directory O_RDWR gives EISDIR");
	EXPECT_ERR(open("dir", O_RDONLY | O_CREAT, 0644), EISDIR,
		   "O_CREAT on an existing directory gives EISDIR");
	fd = open("dir", O_RDONLY);
	EXPECT_ERR(read(fd, name, 1), EISDIR, "read on a directory fd gives EISDIR");
	close(fd);
	EXPECT_ERR(open("nodir/f", O_WRONLY | O_CREAT, 0644), ENOENT,
		   "O_CREAT with a missing parent gives ENOENT");
	EXPECT_ERR(open("file/x", O_RDONLY), ENOTDIR, "a file as a path component gives ENOTDIR");
	EXPECT_ERR(open("file/x", O_WRONLY | O_CREAT, 0644), ENOTDIR,
		   "O_CREAT under a file gives ENOTDIR");
	memset(name, 'n', 255);
	name[255] = 0;
	fd = open(name, O_WRONLY | O_CREAT, 0644);
	EXPECT_OK(fd, "a 255-byte name can be created");
	close(fd);
	EXPECT_OK(unlink(name), "a 255-byte name can be unlinked");
	memset(name, 'n', 256);
	name[256] = 0;
	EXPECT_ERR(open(name, O_RDONLY), ENAMETOOLONG, "a 256-byte component gives ENAMETOOLONG");
	EXPECT_ERR(open(name, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG,
		   "O_CREAT of a 256-byte name gives ENAMETOOLONG");
	EXPECT_ERR(mkdir(name, 0755), ENAMETOOLONG, "mkdir of a 256-byte name gives ENAMETOOLONG");
	for (int i = 0; i < PATH_MAX + 8; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[PATH_MAX + 8] = 0;
	EXPECT_ERR(open(longpath, O_RDONLY), ENAMETOOLONG, "a path of PATH_MAX bytes gives ENAMETOOLONG");
	free(longpath);
	EXPECT_ERR(syscall(SYS_openat, AT_FDCWD, 1L, O_RDONLY), EFAULT,
		   "a bad path pointer gives EFAULT");
}

static void test_o_path(void)
{
	struct stat st;
	char c;
	int fd, dfd, f2;

	put("f", "hello");
	mkdir("d", 0755);
	put("d/in", "inner");
	fd = open("f", O_PATH);
	EXPECT_OK(fd, "O_PATH opens a file");
	EXPECT_ERR(read(fd, &c, 1), EBADF, "read on an O_PATH fd gives EBADF");
	EXPECT_ERR(write(fd, "x", 1), EBADF, "write on an O_PATH fd gives EBADF");
	EXPECT_EQ(fstat(fd, &st) ? -1 : (long)(st.st_size == 5 && S_ISREG(st.st_mode)), 1,
		  "fstat on an O_PATH fd works");
	EXPECT_ERR(fchmod(fd, 0600), EBADF, "fchmod on an O_PATH fd gives EBADF");
	close(fd);
	dfd = open("d", O_PATH | O_DIRECTORY);
	f2 = openat(dfd, "in", O_RDONLY);
	EXPECT_STR(f2 >= 0 ? fd_get(f2, 0) : NULL, "inner", "an O_PATH directory fd works as an openat dirfd");
	close(f2);
	close(dfd);
}

static void test_o_cloexec(void)
{
	int a = open("f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	int b = open("f", O_RDONLY);

	EXPECT_EQ(fcntl(a, F_GETFD), FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	EXPECT_EQ(fcntl(b, F_GETFD), 0, "without O_CLOEXEC FD_CLOEXEC is clear");
	close(a);
	close(b);
}

/* ---- read, write, seek -------------------------------------------------- */

static void test_read_write(void)
{
	char buf[64], b1[3], b2[5], b3[16];
	struct iovec wv[3] = { { "one", 3 }, { "", 0 }, { "twothree", 8 } };
	struct iovec rv[3] = { { b1, 3 }, { b2, 5 }, { b3, 16 } };
	int ro, wo, fd;

	put("f", "0123456789");
	ro = open("f", O_RDONLY);
	wo = open("f", O_WRONLY);
	EXPECT_ERR(write(ro, "x", 1), EBADF, "write to an O_RDONLY fd gives EBADF");
	EXPECT_ERR(read(wo, buf, 1), EBADF, "read from an O_WRONLY fd gives EBADF");
	EXPECT_EQ(read(ro, buf, 4), 4, "read returns the count asked");
	EXPECT_EQ(pread(ro, buf, 3, 7), 3, "pread returns its count");
	EXPECT_EQ(memcmp(buf, "789", 3), 0, "pread reads at its offset");
	EXPECT_EQ(lseek(ro, 0, SEEK_CUR), 4, "pread does not move the offset");
	EXPECT_EQ(pwrite(wo, "AB", 2, 2), 2, "pwrite returns its count");
	EXPECT_EQ(lseek(wo, 0, SEEK_CUR), 0, "pwrite does not move the offset");
	EXPECT_STR(get("f"), "01AB456789", "pwrite writes at its offset");
	EXPECT_EQ(read(ro, buf, 64), 6, "read stops at end of file");
	EXPECT_EQ(read(ro, buf, 64), 0, "read at end of file returns 0");
	EXPECT_ERR(pread(ro, buf, 1, -1), EINVAL, "pread at a negative offset gives EINVAL");
	close(ro);
	close(wo);

	fd = open("v", O_RDWR | O_CREAT | O_TRUNC, 0644);
	EXPECT_EQ(writev(fd, wv, 3), 11, "writev writes all its vectors");
	lseek(fd, 0, SEEK_SET);
	memset(b3, 0, sizeof(b3));
	EXPECT_EQ(readv(fd, rv, 3), 11, "readv reads across its vectors");
	EXPECT_EQ(!memcmp(b1, "one", 3) && !memcmp(b2, "twoth", 5) && !memcmp(b3, "ree", 3), 1,
		  "readv fills the vectors in order");
	EXPECT_EQ(pwritev(fd, wv, 3, 20), 11, "pwritev at an offset");
	EXPECT_EQ(lseek(fd, 0, SEEK_END), 31, "pwritev extends the file");
	close(fd);
}

static void test_lseek(void)
{
	int fd, p[2];

	put("f", "0123456789");
	fd = open("f", O_RDONLY);
	EXPECT_EQ(lseek(fd, 3, SEEK_SET), 3, "SEEK_SET");
	EXPECT_EQ(lseek(fd, 2, SEEK_CUR), 5, "SEEK_CUR forward");
	EXPECT_EQ(lseek(fd, -4, SEEK_CUR), 1, "SEEK_CUR backward");
	EXPECT_EQ(lseek(fd, -2, SEEK_END), 8, "SEEK_END backward");
	EXPECT_EQ(lseek(fd, 100, SEEK_END), 110, "SEEK_END past the end");
	EXPECT_ERR(lseek(fd, -1, SEEK_SET), EINVAL, "a negative SEEK_SET gives EINVAL");
	lseek(fd, 5, SEEK_SET);
	EXPECT_ERR(lseek(fd, -6, SEEK_CUR), EINVAL, "a negative SEEK_CUR result gives EINVAL");
	EXPECT_ERR(lseek(fd, -11, SEEK_END), EINVAL, "a negative SEEK_END result gives EINVAL");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5, "a failed lseek leaves the offset alone");
	EXPECT_ERR(lseek(fd, 0, 42), EINVAL, "a bad whence gives EINVAL");
	close(fd);
	EXPECT_ERR(lseek(fd, 0, SEEK_SET), EBADF, "lseek on a closed fd gives EBADF");
	if (pipe(p) == 0) {
		EXPECT_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek on a pipe gives ESPIPE");
		close(p[0]);
		close(p[1]);
	}
}

static void test_holes(void)
{
	static char buf[3 * PG + 100];
	struct stat st;
	int fd = open("h", O_RDWR | O_CREAT | O_TRUNC, 0644), zero = 1;
	long end = 3 * PG + 5;

	EXPECT_EQ(lseek(fd, end, SEEK_SET), end, "lseek past the end of an empty file");
	EXPECT_EQ(fstat(fd, &st) ? -1 : st.st_size, 0, "lseek alone does not grow the file");
	EXPECT_EQ(write(fd, "x", 1), 1, "write after the hole");
	EXPECT_EQ(fstat(fd, &st) ? -1 : st.st_size, end + 1, "st_size counts the hole");
	memset(buf, 'q', sizeof(buf));
	EXPECT_EQ(pread(fd, buf, sizeof(buf), 0), end + 1, "the whole file reads back");
	for (long i = 0; i < end; i++)
		zero &= buf[i] == 0;
	EXPECT_EQ(zero && buf[end] == 'x', 1, "the hole reads back as zeros, then the data");
	close(fd);
}

static void test_truncate(void)
{
	static char buf[9000];
	struct stat st;
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644), ok = 1, ro;

	memset(buf, 'a', 5000);
	write(fd, buf, 5000);
	EXPECT_OK(ftruncate(fd, 100), "ftruncate shrinks");
	EXPECT_EQ(fstat(fd, &st) ? -1 : st.st_size, 100, "st_size after shrinking");
	EXPECT_OK(ftruncate(fd, 9000), "ftruncate grows");
	EXPECT_EQ(size_of("f"), 9000, "st_size after growing");
	memset(buf, 'q', sizeof(buf));
	EXPECT_EQ(pread(fd, buf, sizeof(buf), 0), 9000, "the grown file reads back whole");
	for (int i = 0; i < 9000; i++)
		ok &= buf[i] == (i < 100 ? 'a' : 0);
	EXPECT_EQ(ok, 1, "old data past a shrink does not come back after growing");
	EXPECT_OK(truncate("f", 50), "truncate by path");
	EXPECT_EQ(size_of("f"), 50, "st_size after truncate by path");
	EXPECT_ERR(truncate("f", -1), EINVAL, "truncate to a negative length gives EINVAL");
	ro = open("f", O_RDONLY);
	EXPECT_ERR(ftruncate(ro, 0), EINVAL, "ftruncate on an O_RDONLY fd gives EINVAL");
	close(ro);
	mkdir("d", 0755);
	EXPECT_ERR(truncate("d", 0), EISDIR, "truncate of a directory gives EISDIR");
	close(fd);
}

static unsigned char pat(long i)
{
	return (unsigned char)(i * 131 + (i >> 12) * 7 + 1);
}

static void test_big_file(void)
{
	const long size = 1 << 20;
	static unsigned char buf[65536];
	long off = 0, bad = -1;
	ssize_t n;
	int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (long i = 0; i < size; i += sizeof(buf)) {
		for (long j = 0; j < (long)sizeof(buf); j++)
			buf[j] = pat(i + j);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	}
	EXPECT_EQ(size_of("big"), size, "a 1 MiB file has st_size 1 MiB");
	close(fd);
	fd = open("big", O_RDONLY);
	while ((n = read(fd, buf, 4093)) > 0 && bad < 0) {
		for (long j = 0; j < n; j++)
			if (buf[j] != pat(off + j) && bad < 0)
				bad = off + j;
		off += n;
	}
	EXPECT_EQ(off, size, "reading in 4093-byte chunks gets every byte");
	EXPECT_EQ(bad, -1, "every byte read back matches the pattern");
	bad = -1;
	for (long o = 7; o + 9999 < size; o += 123457) {
		if (pread(fd, buf, 9999, o) != 9999)
			bad = o;
		for (long j = 0; j < 9999 && bad < 0; j++)
			if (buf[j] != pat(o + j))
				bad = o + j;
	}
	EXPECT_EQ(bad, -1, "pread of 9999 bytes at odd offsets matches");
	close(fd);
}

/* ---- stat family -------------------------------------------------------- */

static void test_stat(void)
{
	struct stat st, st2;
	struct statx sx;
	int fd;

	put("f", "12345");
	mkdir("d", 0755);
	symlink("f", "sl");
	EXPECT_EQ(stat("f", &st) ? -1 : (long)S_ISREG(st.st_mode), 1, "stat of a file gives S_IFREG");
	EXPECT_EQ(st.st_size, 5, "st_size of a file");
	EXPECT_EQ(st.st_nlink, 1, "st_nlink of a new file is 1");
	EXPECT_EQ(st.st_blksize > 0, 1, "st_blksize is set");
	EXPECT_EQ(stat("d", &st) ? -1 : (long)S_ISDIR(st.st_mode), 1, "stat of a directory gives S_IFDIR");
	EXPECT_EQ(nlink_of("d"), 2, "st_nlink of an empty directory is 2");
	mkdir("d/a", 0755);
	mkdir("d/b", 0755);
	put("d/file", "");
	EXPECT_EQ(nlink_of("d"), 4, "st_nlink of a directory is 2 + its subdirectories");
	rmdir("d/a");
	EXPECT_EQ(nlink_of("d"), 3, "rmdir of a subdirectory drops the parent's st_nlink");
	EXPECT_EQ(lstat("sl", &st) ? -1 : (long)S_ISLNK(st.st_mode), 1, "lstat of a symlink gives S_IFLNK");
	EXPECT_EQ(st.st_size, 1, "a symlink's st_size is its target's length");
	EXPECT_EQ(fstatat(AT_FDCWD, "sl", &st, AT_SYMLINK_NOFOLLOW) ? -1 : (long)S_ISLNK(st.st_mode), 1,
		  "fstatat AT_SYMLINK_NOFOLLOW gives S_IFLNK");
	EXPECT_EQ(fstatat(AT_FDCWD, "sl", &st, 0) ? -1 : (long)S_ISREG(st.st_mode), 1,
		  "fstatat follows a symlink by default");
	fd = open("f", O_RDONLY);
	EXPECT_EQ(fstatat(fd, "", &st2, AT_EMPTY_PATH) ? -1 : (long)st2.st_ino, (long)st.st_ino,
		  "fstatat AT_EMPTY_PATH stats the fd");
	EXPECT_EQ(fstat(fd, &st2) ? -1 : (long)st2.st_ino, (long)st.st_ino, "fstat agrees with stat");
	EXPECT_ERR(fstatat(AT_FDCWD, "", &st, 0), ENOENT, "fstatat of an empty path gives ENOENT");
	EXPECT_ERR(stat("missing", &st), ENOENT, "stat of a missing file gives ENOENT");
	memset(&sx, 0, sizeof(sx));
	EXPECT_OK(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx), "statx on an fd");
	EXPECT_EQ((sx.stx_mask & (STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_INO | STATX_SIZE)),
		  STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_INO | STATX_SIZE,
		  "statx reports type, mode, nlink, ino and size");
	EXPECT_EQ(sx.stx_mode, S_IFREG | 0644, "statx stx_mode");
	EXPECT_EQ(sx.stx_size, 5, "statx stx_size");
	EXPECT_EQ(sx.stx_ino, st2.st_ino, "statx stx_ino matches st_ino");
	EXPECT_EQ(statx(AT_FDCWD, "sl", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) ? -1 : (long)S_ISLNK(sx.stx_mode),
		  1, "statx AT_SYMLINK_NOFOLLOW gives S_IFLNK");
	close(fd);
}

/* "Now" checks allow a second either side (file times come from a coarse
 * clock) and start from times far in the future, so a clock near the
 * epoch cannot make a missing update look right. */
static int near(const struct timespec *t, const struct timespec *lo, const struct timespec *hi)
{
	return t->tv_sec >= lo->tv_sec - 1 && t->tv_sec <= hi->tv_sec + 1;
}

static void test_times(void)
{
	struct timespec ts[2] = { { 1000, 500 }, { 2000, 600 } }, before, after;
	struct timespec future[2] = { { 4000000000L, 0 }, { 4000000000L, 0 } };
	struct stat st;
	int fd;

	put("f", "x");
	EXPECT_OK(utimensat(AT_FDCWD, "f", ts, 0), "utimensat with explicit times");
	stat("f", &st);
	EXPECT_EQ(st.st_atim.tv_sec == 1000 && st.st_atim.tv_nsec == 500, 1, "atime set exactly");
	EXPECT_EQ(st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 600, 1, "mtime set exactly");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 3000;
	utimensat(AT_FDCWD, "f", ts, 0);
	stat("f", &st);
	EXPECT_EQ(st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 3000, 1,
		  "UTIME_OMIT keeps atime while mtime changes");
	utimensat(AT_FDCWD, "f", future, 0);
	clock_gettime(CLOCK_REALTIME, &before);
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, "f", ts, 0);
	clock_gettime(CLOCK_REALTIME, &after);
	stat("f", &st);
	EXPECT_EQ(near(&st.st_atim, &before, &after) && st.st_mtim.tv_sec == 4000000000L, 1,
		  "UTIME_NOW sets atime to now, UTIME_OMIT keeps mtime");
	utimensat(AT_FDCWD, "f", future, 0);
	fd = open("f", O_WRONLY);
	clock_gettime(CLOCK_REALTIME, &before);
	EXPECT_EQ(write(fd, "y", 1), 1, "write to a file with an mtime in the future");
	clock_gettime(CLOCK_REALTIME, &after);
	fstat(fd, &st);
	EXPECT_EQ(near(&st.st_mtim, &before, &after), 1, "write sets mtime to now");
	EXPECT_EQ(near(&st.st_ctim, &before, &after), 1, "write sets ctime to now");
	ts[0] = (struct timespec){ 7, 0 };
	ts[1] = (struct timespec){ 8, 0 };
	EXPECT_OK(futimens(fd, ts), "futimens on an fd");
	fstat(fd, &st);
	EXPECT_EQ(st.st_atim.tv_sec * 100 + st.st_mtim.tv_sec, 708, "futimens sets atime and mtime");
	utimensat(AT_FDCWD, "f", future, 0);
	clock_gettime(CLOCK_REALTIME, &before);
	EXPECT_OK(utimensat(AT_FDCWD, "f", NULL, 0), "utimensat with NULL times");
	clock_gettime(CLOCK_REALTIME, &after);
	stat("f", &st);
	EXPECT_EQ(near(&st.st_atim, &before, &after) && near(&st.st_mtim, &before, &after), 1,
		  "NULL times set atime and mtime to now");
	EXPECT_ERR(utimensat(AT_FDCWD, "missing", NULL, 0), ENOENT, "utimensat of a missing file gives ENOENT");
	close(fd);
}

static void test_dir_times(void)
{
	struct timespec future[2] = { { 4000000000L, 0 }, { 4000000000L, 0 } }, before, after;
	struct stat st;

	mkdir("d", 0755);
	clock_gettime(CLOCK_REALTIME, &before);
	utimensat(AT_FDCWD, "d", future, 0);
	put("d/f", "");
	clock_gettime(CLOCK_REALTIME, &after);
	stat("d", &st);
	EXPECT_EQ(near(&st.st_mtim, &before, &after), 1, "creating a file sets the directory's mtime");
	utimensat(AT_FDCWD, "d", future, 0);
	rename("d/f", "d/g");
	clock_gettime(CLOCK_REALTIME, &after);
	stat("d", &st);
	EXPECT_EQ(near(&st.st_mtim, &before, &after), 1, "renaming inside a directory sets its mtime");
	utimensat(AT_FDCWD, "d", future, 0);
	unlink("d/g");
	clock_gettime(CLOCK_REALTIME, &after);
	stat("d", &st);
	EXPECT_EQ(near(&st.st_mtim, &before, &after), 1, "unlinking a file sets the directory's mtime");
}

/* ---- directories -------------------------------------------------------- */

static void test_mkdir_rmdir(void)
{
	put("file", "x");
	EXPECT_OK(mkdir("d", 0777), "mkdir");
	EXPECT_EQ(mode_of("d"), S_IFDIR | 0755, "mkdir mode 0777 under umask 022 gives 0755");
	EXPECT_ERR(mkdir("d", 0755), EEXIST, "mkdir of an existing directory gives EEXIST");
	EXPECT_ERR(mkdir("file", 0755), EEXIST, "mkdir over a file gives EEXIST");
	EXPECT_ERR(mkdir("none/d", 0755), ENOENT, "mkdir under a missing parent gives ENOENT");
	EXPECT_OK(mkdir("t/", 0755), "mkdir with a trailing slash");
	put("d/x", "");
	EXPECT_ERR(rmdir("d"), ENOTEMPTY, "rmdir of a non-empty directory gives ENOTEMPTY");
	EXPECT_ERR(rmdir("file"), ENOTDIR, "rmdir of a file gives ENOTDIR");
	EXPECT_ERR(rmdir("."), EINVAL, "rmdir of \".\" gives EINVAL");
	EXPECT_ERR(rmdir("d/."), EINVAL, "rmdir of \"d/.\" gives EINVAL");
	EXPECT_ERR(rmdir(".."), ENOTEMPTY, "rmdir of \"..\" gives ENOTEMPTY");
	EXPECT_ERR(rmdir("missing"), ENOENT, "rmdir of a missing name gives ENOENT");
	unlink("d/x");
	EXPECT_OK(rmdir("d"), "rmdir of an empty directory");
	EXPECT_EQ(exists("d"), 0, "the directory is gone");
	EXPECT_OK(rmdir("t/"), "rmdir with a trailing slash");
}

/* Whether readdir of the cwd lists each of names once (with the right
 * d_type), "." and ".." once each, and nothing else. */
static int readdir_finds(const char *const *names, int n, int *types_ok)
{
	int seen[64] = { 0 }, dots = 0, extra = 0;
	struct dirent *d;
	DIR *dir = opendir(".");

	*types_ok = 1;
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		int i;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
			dots++;
			*types_ok &= d->d_type == DT_DIR;
			continue;
		}
		for (i = 0; i < n && strcmp(names[i], d->d_name); i++)
			;
		if (i == n) {
			extra++;
			printf("# readdir: unexpected name \"%s\"\n", d->d_name);
			continue;
		}
		seen[i]++;
		*types_ok &= d->d_type == (names[i][0] == 'd' ? DT_DIR : names[i][0] == 'l' ? DT_LNK : DT_REG);
	}
	closedir(dir);
	for (int i = 0; i < n; i++)
		if (seen[i] != 1) {
			printf("# readdir: \"%s\" seen %d times\n", names[i], seen[i]);
			return 0;
		}
	return dots == 2 && !extra;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void test_readdir(void)
{
	static const char *const names[] = { "f0", "f1", "f2", "file_with_a_longer_name", "f4", "f5",
					      "dsub", "lnk", "f8", "f9" };
	int n = sizeof(names) / sizeof(names[0]), types_ok, fd, calls = 0, entries = 0, ino_ok = 0;
	char buf[80];
	long r, f0_ino;

	for (int i = 0; i < n; i++)
		if (names[i][0] == 'd')
			mkdir(names[i], 0755);
		else if (names[i][0] == 'l')
			symlink("f0", names[i]);
		else
			put(names[i], "");
	EXPECT_EQ(readdir_finds(names, n, &types_ok), 1, "readdir lists exactly the names, \".\" and \"..\"");
	EXPECT_EQ(types_ok, 1, "readdir d_type is DT_REG/DT_DIR/DT_LNK");

	f0_ino = ino_of("f0");
	fd = open(".", O_RDONLY | O_DIRECTORY);
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		calls++;
		for (long off = 0; off < r;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			entries++;
			if (!strcmp(d->d_name, "f0"))
				ino_ok = (long)d->d_ino == f0_ino;
			off += d->d_reclen;
		}
	}
	EXPECT_EQ(r, 0, "getdents64 ends with 0");
	EXPECT_EQ(entries, n + 2, "getdents64 with an 80-byte buffer returns every entry once");
	EXPECT_EQ(calls > 1, 1, "a small getdents64 buffer takes several calls");
	EXPECT_EQ(ino_ok, 1, "getdents64 d_ino matches st_ino");
	EXPECT_EQ(syscall(SYS_getdents64, fd, buf, sizeof(buf)), 0, "getdents64 at the end keeps returning 0");
	lseek(fd, 0, SEEK_SET);
	entries = 0;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < r; off += ((struct linux_dirent64 *)(buf + off))->d_reclen)
			entries++;
	EXPECT_EQ(entries, n + 2, "lseek(0) on a directory restarts the listing");
	lseek(fd, 0, SEEK_SET);
	EXPECT_ERR(syscall(SYS_getdents64, fd, buf, 8), EINVAL, "getdents64 with a too-small buffer gives EINVAL");
	close(fd);
	fd = open("f0", O_RDONLY);
	EXPECT_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR, "getdents64 on a file gives ENOTDIR");
	close(fd);
	EXPECT_ERR(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF, "getdents64 on a bad fd gives EBADF");
}

static void test_readdir_unlink(void)
{
	char name[16];
	int made = 0, removed = 0;
	struct dirent *d;
	DIR *dir;

	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "n%03d", i);
		made += put(name, "") == 0;
	}
	EXPECT_EQ(made, 200, "200 files created");
	dir = opendir(".");
	while (dir && (d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			removed += unlink(d->d_name) == 0;
	if (dir)
		closedir(dir);
	EXPECT_EQ(removed, 200, "unlinking each entry while reading the directory skips none");
	dir = opendir(".");
	made = 0;
	while (dir && (d = readdir(dir)))
		made++;
	if (dir)
		closedir(dir);
	EXPECT_EQ(made, 2, "the directory is left with only \".\" and \"..\"");
}

static void test_cwd(void)
{
	char base[PATH_MAX], want[PATH_MAX + 8], buf[PATH_MAX];
	struct stat st;
	int here, fd;

	getcwd(base, sizeof(base));
	here = open(".", O_RDONLY | O_DIRECTORY);
	mkdir("d", 0755);
	mkdir("d/e", 0755);
	put("file", "top");
	EXPECT_OK(chdir("d/e"), "chdir to a relative path");
	snprintf(want, sizeof(want), "%s/d/e", base);
	EXPECT_STR(getcwd(buf, sizeof(buf)), want, "getcwd after chdir");
	EXPECT_OK(chdir(".."), "chdir(\"..\")");
	snprintf(want, sizeof(want), "%s/d", base);
	EXPECT_STR(getcwd(buf, sizeof(buf)), want, "getcwd after chdir(\"..\")");
	put("x", "made in d");
	EXPECT_STR(get("../file"), "top", "a relative path with .. resolves from the cwd");
	EXPECT_ERR(getcwd(buf, 2) ? 0L : -1L, ERANGE, "getcwd into a too-small buffer gives ERANGE");
	EXPECT_OK(fchdir(here), "fchdir back");
	EXPECT_STR(getcwd(buf, sizeof(buf)), base, "getcwd after fchdir");
	EXPECT_STR(get("d/x"), "made in d", "a file created relative to the old cwd is where expected");
	EXPECT_ERR(chdir("file"), ENOTDIR, "chdir to a file gives ENOTDIR");
	EXPECT_ERR(chdir("missing"), ENOENT, "chdir to a missing name gives ENOENT");
	fd = open("file", O_RDONLY);
	EXPECT_ERR(fchdir(fd), ENOTDIR, "fchdir to a file gives ENOTDIR");
	close(fd);
	close(here);
	EXPECT_EQ(ino_of("d/./e/../e/."), ino_of("d/e"), "\".\" and \"..\" inside a path");
	EXPECT_EQ(ino_of("d//e"), ino_of("d/e"), "doubled slashes are one");
	EXPECT_EQ(ino_of("/.."), ino_of("/"), "\"/..\" is \"/\"");
	EXPECT_ERR(open("file/", O_RDONLY), ENOTDIR, "\"file/\" gives ENOTDIR");
	EXPECT_ERR(stat("file/", &st), ENOTDIR, "stat of \"file/\" gives ENOTDIR");
	EXPECT_EQ(stat("d/", &st) ? -1 : (long)S_ISDIR(st.st_mode), 1, "stat of \"dir/\" works");
	EXPECT_ERR(open("new/", O_WRONLY | O_CREAT, 0644), EISDIR, "O_CREAT of \"new/\" gives EISDIR");
	mkdir("gone", 0755);
	chdir("gone");
	rmdir("../gone");
	EXPECT_ERR(open("f", O_WRONLY | O_CREAT, 0644), ENOENT, "creating in a removed cwd gives ENOENT");
	chdir(base);
}

static void test_cwd_moves(void)
{
	char base[PATH_MAX], want[PATH_MAX + 8], moved[PATH_MAX + 8], buf[PATH_MAX], *end;
	int depth = 0;

	getcwd(base, sizeof(base));
	mkdir("d", 0755);
	chdir("d");
	snprintf(want, sizeof(want), "%s/d", base);
	snprintf(moved, sizeof(moved), "%s/e", base);
	EXPECT_OK(rename(want, moved), "rename the cwd's directory");
	EXPECT_STR(getcwd(buf, sizeof(buf)), moved, "getcwd follows a rename of the cwd");
	put("x", "in e");
	EXPECT_STR(get("../e/x"), "in e", "the renamed cwd still works for relative names");
	chdir(base);
	strcpy(want, base);
	end = want + strlen(want);
	for (; depth < 40; depth++) {
		if (mkdir("level", 0755) || chdir("level"))
			break;
		end += sprintf(end, "/level");
	}
	EXPECT_EQ(depth, 40, "40 nested directories");
	EXPECT_STR(getcwd(buf, sizeof(buf)), want, "getcwd 40 directories deep");
	chdir(base);
}

static void test_at_calls(void)
{
	struct stat st;
	char abs[PATH_MAX + 8], cwd[PATH_MAX];
	int dfd, fd, ffd;

	mkdir("d", 0755);
	put("d/file", "in d");
	put("top", "top");
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	EXPECT_OK(mkdirat(dfd, "sub", 0755), "mkdirat relative to a dirfd");
	EXPECT_EQ(mode_of("d/sub"), S_IFDIR | 0755, "mkdirat made d/sub");
	fd = openat(dfd, "sub/f", O_WRONLY | O_CREAT, 0644);
	EXPECT_OK(fd, "openat O_CREAT relative to a dirfd");
	close(fd);
	EXPECT_EQ(exists("d/sub/f"), 1, "openat created d/sub/f");
	fd = openat(dfd, "file", O_RDONLY);
	EXPECT_STR(fd >= 0 ? fd_get(fd, 0) : NULL, "in d", "openat reads relative to the dirfd, not the cwd");
	close(fd);
	EXPECT_EQ(fstatat(dfd, "sub", &st, 0) ? -1 : (long)S_ISDIR(st.st_mode), 1, "fstatat relative to a dirfd");
	snprintf(abs, sizeof(abs), "%s/top", getcwd(cwd, sizeof(cwd)));
	fd = openat(dfd, abs, O_RDONLY);
	EXPECT_STR(fd >= 0 ? fd_get(fd, 0) : NULL, "top", "openat with an absolute path ignores the dirfd");
	close(fd);
	fd = openat(999, abs, O_RDONLY);
	EXPECT_OK(fd, "openat with an absolute path ignores even a bad dirfd");
	close(fd);
	EXPECT_ERR(openat(999, "top", O_RDONLY), EBADF, "openat with a bad dirfd gives EBADF");
	ffd = open("top", O_RDONLY);
	EXPECT_ERR(openat(ffd, "x", O_RDONLY), ENOTDIR, "openat with a file as dirfd gives ENOTDIR");
	close(ffd);
	EXPECT_ERR(unlinkat(dfd, "file", AT_REMOVEDIR), ENOTDIR, "unlinkat AT_REMOVEDIR of a file gives ENOTDIR");
	EXPECT_ERR(unlinkat(dfd, "sub", 0), EISDIR, "unlinkat of a directory gives EISDIR");
	EXPECT_ERR(unlinkat(dfd, "file", 0x1234), EINVAL, "unlinkat with bad flags gives EINVAL");
	EXPECT_OK(unlinkat(dfd, "sub/f", 0), "unlinkat of a file");
	EXPECT_OK(unlinkat(dfd, "sub", AT_REMOVEDIR), "unlinkat AT_REMOVEDIR of a directory");
	EXPECT_EQ(exists("d/sub"), 0, "the directory is gone");
	close(dfd);
}

/* ---- rename ------------------------------------------------------------- */

static void test_rename_files(void)
{
	struct stat st;
	long ino_a;
	int fd;

	put("a", "AAA");
	put("b", "BBB");
	ino_a = ino_of("a");
	fd = open("b", O_RDONLY);
	EXPECT_OK(rename("a", "b"), "rename a file over a file");
	EXPECT_STR(get("b"), "AAA", "the target name has the source's data");
	EXPECT_EQ(ino_of("b"), ino_a, "the target name has the source's inode");
	EXPECT_EQ(exists("a"), 0, "the source name is gone");
	EXPECT_STR(fd_get(fd, 0), "BBB", "the replaced file is still readable through an open fd");
	EXPECT_EQ(fstat(fd, &st) ? -1 : (long)st.st_nlink, 0, "the replaced file has st_nlink 0");
	close(fd);
	EXPECT_OK(rename("b", "b"), "rename to itself");
	EXPECT_STR(get("b"), "AAA", "rename to itself is a no-op");
	link("b", "h");
	EXPECT_OK(rename("b", "h"), "rename between two links of one inode");
	EXPECT_EQ(exists("b") && exists("h"), 1, "rename between links of one inode keeps both names");
	EXPECT_ERR(rename("missing", "x"), ENOENT, "rename of a missing name gives ENOENT");
	EXPECT_ERR(rename("b", "nodir/x"), ENOENT, "rename into a missing directory gives ENOENT");
	mkdir("d", 0755);
	EXPECT_OK(rename("b", "d/moved"), "rename a file into a subdirectory");
	EXPECT_STR(get("d/moved"), "AAA", "the moved file is readable at its new path");
	EXPECT_ERR(rename(".", "x"), EBUSY, "rename of \".\" gives EBUSY");
}

static void test_rename_dirs(void)
{
	long base_links;

	mkdir("d1", 0755);
	put("d1/f", "in d1");
	mkdir("d2", 0755);
	mkdir("full", 0755);
	put("full/x", "");
	put("file", "");
	base_links = nlink_of(".");
	EXPECT_OK(rename("d1", "d2"), "rename a directory over an empty directory");
	EXPECT_STR(get("d2/f"), "in d1", "the directory's contents moved");
	EXPECT_EQ(exists("d1"), 0, "the old directory name is gone");
	EXPECT_EQ(nlink_of("."), base_links - 1, "the parent lost one link");
	EXPECT_ERR(rename("d2", "full"), ENOTEMPTY, "rename over a non-empty directory gives ENOTEMPTY");
	EXPECT_ERR(rename("file", "d2"), EISDIR, "rename a file over a directory gives EISDIR");
	EXPECT_ERR(rename("d2", "file"), ENOTDIR, "rename a directory over a file gives ENOTDIR");
	mkdir("d2/sub", 0755);
	EXPECT_ERR(rename("d2", "d2/sub/x"), EINVAL, "rename a directory into its own subdirectory gives EINVAL");
	EXPECT_ERR(rename("d2", "d2/x"), EINVAL, "rename a directory into itself gives EINVAL");
	mkdir("other", 0755);
	EXPECT_OK(rename("d2/sub", "other/sub"), "rename a directory to another parent");
	EXPECT_EQ(ino_of("other/sub/.."), ino_of("other"), "the moved directory's \"..\" is its new parent");
	EXPECT_EQ(nlink_of("other"), 3, "the new parent gained a link");
	EXPECT_EQ(nlink_of("d2"), 2, "the old parent lost a link");
}

static void test_renameat2(void)
{
	put("x", "X");
	put("y", "Y");
	mkdir("dir", 0755);
	EXPECT_ERR(renameat2(AT_FDCWD, "x", AT_FDCWD, "y", RENAME_NOREPLACE), EEXIST,
		   "RENAME_NOREPLACE over an existing name gives EEXIST");
	EXPECT_STR(get("y"), "Y", "the failed RENAME_NOREPLACE left the target alone");
	EXPECT_OK(renameat2(AT_FDCWD, "x", AT_FDCWD, "z", RENAME_NOREPLACE), "RENAME_NOREPLACE to a new name");
	EXPECT_OK(renameat2(AT_FDCWD, "z", AT_FDCWD, "y", RENAME_EXCHANGE), "RENAME_EXCHANGE of two files");
	EXPECT_EQ(!strcmp(get("z"), "Y") && !strcmp(get("y"), "X"), 1, "RENAME_EXCHANGE swapped the contents");
	EXPECT_OK(renameat2(AT_FDCWD, "z", AT_FDCWD, "dir", RENAME_EXCHANGE), "RENAME_EXCHANGE of a file and a directory");
	EXPECT_EQ(S_ISDIR(mode_of("z")) && S_ISREG(mode_of("dir")), 1, "the file and directory swapped names");
	EXPECT_ERR(renameat2(AT_FDCWD, "y", AT_FDCWD, "missing", RENAME_EXCHANGE), ENOENT,
		   "RENAME_EXCHANGE with a missing target gives ENOENT");
	EXPECT_ERR(renameat2(AT_FDCWD, "y", AT_FDCWD, "w", RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL,
		   "RENAME_EXCHANGE|RENAME_NOREPLACE gives EINVAL");
	EXPECT_ERR(renameat2(AT_FDCWD, "y", AT_FDCWD, "w", 0x100), EINVAL, "renameat2 with unknown flags gives EINVAL");
}

/* ---- unlink and links --------------------------------------------------- */

static void test_unlink(void)
{
	struct stat st;
	int fd;

	put("f", "data");
	fd = open("f", O_RDWR);
	EXPECT_OK(unlink("f"), "unlink an open file");
	EXPECT_EQ(exists("f"), 0, "the name is gone");
	EXPECT_EQ(fstat(fd, &st) ? -1 : (long)st.st_nlink, 0, "fstat of the unlinked file gives st_nlink 0");
	EXPECT_STR(fd_get(fd, 0), "data", "the unlinked file is readable through its fd");
	EXPECT_EQ(pwrite(fd, "more", 4, 4), 4, "the unlinked file is writable through its fd");
	EXPECT_STR(fd_get(fd, 0), "datamore", "writes to the unlinked file read back");
	put("f", "new");
	EXPECT_STR(get("f"), "new", "a new file under the old name is separate");
	EXPECT_STR(fd_get(fd, 0), "datamore", "the unlinked file is unaffected by the new one");
	close(fd);
	mkdir("d", 0755);
	EXPECT_ERR(unlink("d"), EISDIR, "unlink of a directory gives EISDIR");
	EXPECT_ERR(unlink("missing"), ENOENT, "unlink of a missing name gives ENOENT");
	EXPECT_ERR(unlink("f/x"), ENOTDIR, "unlink under a file gives ENOTDIR");
	EXPECT_OK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), "unlinkat AT_REMOVEDIR");
	EXPECT_EQ(exists("d"), 0, "the directory is gone");
}

static void test_links(void)
{
	put("f", "shared");
	mkdir("d", 0755);
	EXPECT_OK(link("f", "g"), "link");
	EXPECT_EQ(nlink_of("f"), 2, "st_nlink is 2 after link");
	EXPECT_EQ(ino_of("g"), ino_of("f"), "both names have one st_ino");
	put("g", "changed");
	EXPECT_STR(get("f"), "changed", "a write through one name shows through the other");
	EXPECT_ERR(link("f", "g"), EEXIST, "link to an existing name gives EEXIST");
	EXPECT_ERR(link("d", "d2"), EPERM, "link of a directory gives EPERM");
	EXPECT_ERR(link("missing", "m"), ENOENT, "link of a missing file gives ENOENT");
	EXPECT_ERR(link("f", "none/x"), ENOENT, "link into a missing directory gives ENOENT");
	EXPECT_OK(link("f", "d/h"), "link into a subdirectory");
	EXPECT_EQ(nlink_of("f"), 3, "st_nlink is 3");
	unlink("g");
	EXPECT_EQ(nlink_of("f"), 2, "unlink of one name drops st_nlink");
	EXPECT_STR(get("d/h"), "changed", "the other names still work");
}

static void test_symlinks(void)
{
	char buf[64], abs[PATH_MAX + 8], cwd[PATH_MAX], a[16], b[16];
	int fd;

	put("f", "target data");
	mkdir("d", 0755);
	put("d/in", "inside");
	EXPECT_OK(symlink("f", "rel"), "symlink with a relative target");
	EXPECT_STR(get("rel"), "target data", "opening a relative symlink reaches the target");
	snprintf(abs, sizeof(abs), "%s/f", getcwd(cwd, sizeof(cwd)));
	EXPECT_OK(symlink(abs, "abs"), "symlink with an absolute target");
	EXPECT_STR(get("abs"), "target data", "opening an absolute symlink reaches the target");
	symlink("../f", "d/up");
	EXPECT_STR(get("d/up"), "target data", "a relative target resolves from the link's directory");
	symlink("d", "sd");
	EXPECT_STR(get("sd/in"), "inside", "a symlink to a directory works inside a path");
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(readlink("abs", buf, sizeof(buf)), (long)strlen(abs) < 64 ? (long)strlen(abs) : 64,
		  "readlink returns the target length");
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(readlink("d/up", buf, sizeof(buf)), 4, "readlink of \"../f\" returns 4");
	EXPECT_EQ(!memcmp(buf, "../f", 4) && buf[4] == 'X', 1, "readlink writes the bytes and no NUL");
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(readlink("d/up", buf, 2), 2, "readlink into a short buffer truncates");
	EXPECT_EQ(!memcmp(buf, "..", 2) && buf[2] == 'X', 1, "the truncated readlink wrote 2 bytes");
	EXPECT_ERR(readlink("f", buf, sizeof(buf)), EINVAL, "readlink of a non-symlink gives EINVAL");
	EXPECT_ERR(readlink("missing", buf, sizeof(buf)), ENOENT, "readlink of a missing name gives ENOENT");
	EXPECT_ERR(readlink("rel", buf, 0), EINVAL, "readlink with bufsiz 0 gives EINVAL");
	EXPECT_ERR(symlink("x", "f"), EEXIST, "symlink over an existing name gives EEXIST");
	EXPECT_ERR(symlink("", "empty"), ENOENT, "symlink with an empty target gives ENOENT");

	symlink("nowhere", "dangling");
	EXPECT_ERR(open("dangling", O_RDONLY), ENOENT, "opening a dangling symlink gives ENOENT");
	EXPECT_EQ(S_ISLNK(mode_of("dangling")), 1, "lstat of a dangling symlink works");
	EXPECT_ERR(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
		   "O_CREAT|O_EXCL on a dangling symlink gives EEXIST");
	fd = open("dangling", O_WRONLY | O_CREAT, 0644);
	EXPECT_OK(fd, "O_CREAT through a dangling symlink");
	close(fd);
	EXPECT_EQ(S_ISREG(mode_of("nowhere")), 1, "O_CREAT through a dangling symlink created its target");

	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	EXPECT_ERR(open("loop1", O_RDONLY), ELOOP, "a symlink loop gives ELOOP");
	symlink("self", "self");
	EXPECT_ERR(stat("self", &(struct stat){ 0 }), ELOOP, "a self-referencing symlink gives ELOOP");
	for (int i = 0; i < 41; i++) {
		snprintf(a, sizeof(a), "c%d", i);
		snprintf(b, sizeof(b), "c%d", i + 1);
		symlink(i == 39 ? "f" : b, a);
	}
	EXPECT_STR(get("c0"), "target data", "a chain of 40 symlinks resolves");
	for (int i = 0; i < 42; i++) {
		snprintf(a, sizeof(a), "e%d", i);
		snprintf(b, sizeof(b), "e%d", i + 1);
		symlink(i == 40 ? "f" : b, a);
	}
	EXPECT_ERR(open("e0", O_RDONLY), ELOOP, "a chain of 41 symlinks gives ELOOP");
}

/* ---- permissions -------------------------------------------------------- */

static void test_perms(void)
{
	int fd;

	put("f", "x");
	EXPECT_OK(chmod("f", 0751), "chmod");
	EXPECT_EQ(mode_of("f"), S_IFREG | 0751, "chmod sets the permission bits, keeps the type");
	fd = open("f", O_RDONLY);
	EXPECT_OK(fchmod(fd, 0600), "fchmod");
	EXPECT_EQ(mode_of("f"), S_IFREG | 0600, "fchmod sets the bits");
	close(fd);
	EXPECT_OK(fchmodat(AT_FDCWD, "f", 0444, 0), "fchmodat");
	EXPECT_EQ(mode_of("f"), S_IFREG | 0444, "fchmodat sets the bits");
	symlink("f", "l");
	chmod("l", 0640);
	EXPECT_EQ(mode_of("f"), S_IFREG | 0640, "chmod through a symlink changes the target");
	EXPECT_EQ(S_ISLNK(mode_of("l")), 1, "the symlink stays a symlink");
	EXPECT_ERR(chmod("missing", 0644), ENOENT, "chmod of a missing file gives ENOENT");

	EXPECT_OK(faccessat(AT_FDCWD, "f", F_OK, 0), "faccessat F_OK of an existing file");
	EXPECT_ERR(faccessat(AT_FDCWD, "missing", F_OK, 0), ENOENT, "faccessat F_OK of a missing file gives ENOENT");
	chmod("f", 0644);
	EXPECT_ERR(faccessat(AT_FDCWD, "f", X_OK, 0), EACCES, "X_OK on a file with no x bit gives EACCES even for root");
	if (geteuid() == 0) {
		chmod("f", 0010);
		EXPECT_OK(faccessat(AT_FDCWD, "f", X_OK, 0), "X_OK for root when any x bit is set");
		chmod("f", 0);
		EXPECT_OK(faccessat(AT_FDCWD, "f", R_OK | W_OK, 0), "R_OK|W_OK on mode 0 works for root");
		fd = open("f", O_RDWR);
		EXPECT_OK(fd, "root opens a mode-0 file read-write");
		close(fd);
		mkdir("d", 0);
		EXPECT_OK(access("d", X_OK), "X_OK on a mode-0 directory works for root");
	} else {
		skip("root's access to mode-0 files", "not running as root");
	}
	EXPECT_ERR(access("f", 8), EINVAL, "access with a bad mode gives EINVAL");

	EXPECT_EQ(umask(077), 022, "umask returns the previous mask");
	mkdir("private", 0777);
	EXPECT_EQ(umask(022), 077, "umask returns the mask just set");
	EXPECT_EQ(mode_of("private"), S_IFDIR | 0700, "mkdir under umask 077 gives 0700");
}

static void test_chown(void)
{
	struct stat st;
	int fd;

	put("f", "x");
	symlink("f", "l");
	EXPECT_OK(chown("f", 1000, 2000), "chown");
	EXPECT_EQ(stat("f", &st) ? -1 : (long)(st.st_uid * 10000 + st.st_gid), 1000 * 10000 + 2000,
		  "chown sets st_uid and st_gid");
	EXPECT_OK(chown("f", -1, 3000), "chown with uid -1");
	EXPECT_EQ(stat("f", &st) ? -1 : (long)(st.st_uid * 10000 + st.st_gid), 1000 * 10000 + 3000,
		  "uid -1 leaves st_uid alone");
	fd = open("f", O_RDONLY);
	EXPECT_OK(fchown(fd, 0, 0), "fchown");
	EXPECT_EQ(fstat(fd, &st) ? -1 : (long)(st.st_uid + st.st_gid), 0, "fchown sets both ids");
	close(fd);
	EXPECT_OK(lchown("l", 5, 6), "lchown of a symlink");
	EXPECT_EQ(lstat("l", &st) ? -1 : (long)(st.st_uid * 10 + st.st_gid), 56, "lchown changes the link itself");
	EXPECT_EQ(stat("f", &st) ? -1 : (long)st.st_uid, 0, "lchown leaves the target alone");
	EXPECT_ERR(chown("missing", 0, 0), ENOENT, "chown of a missing file gives ENOENT");
}

/* ---- descriptors -------------------------------------------------------- */

static void test_dup(void)
{
	int a, b, c, d, p[2];
	char ch;

	put("f", "0123456789");
	a = open("f", O_RDWR);
	b = open("f", O_RDONLY);
	c = open("f", O_RDONLY);
	close(b);
	EXPECT_EQ(dup(a), b, "dup returns the lowest free fd");
	lseek(a, 3, SEEK_SET);
	EXPECT_EQ(lseek(b, 0, SEEK_CUR), 3, "dup'd fds share the offset");
	EXPECT_EQ(fcntl(b, F_GETFD), 0, "dup clears FD_CLOEXEC");
	pipe2(p, O_NONBLOCK);	/* a read that would block means the writer is still open */
	EXPECT_EQ(dup2(a, p[1]), p[1], "dup2 onto an open fd returns it");
	EXPECT_EQ(read(p[0], &ch, 1), 0, "dup2 closed the old file (the pipe saw its writer go)");
	EXPECT_EQ(lseek(p[1], 0, SEEK_CUR), 3, "dup2's new fd shares the file");
	EXPECT_EQ(dup2(a, a), a, "dup2(fd, fd) returns fd");
	EXPECT_ERR(dup2(999, 50), EBADF, "dup2 of a bad fd gives EBADF");
	EXPECT_ERR(dup2(999, 999), EBADF, "dup2(bad, bad) gives EBADF");
	d = dup3(a, 60, O_CLOEXEC);
	EXPECT_EQ(d, 60, "dup3 returns its target");
	EXPECT_EQ(fcntl(60, F_GETFD), FD_CLOEXEC, "dup3 O_CLOEXEC sets FD_CLOEXEC");
	EXPECT_ERR(dup3(a, a, 0), EINVAL, "dup3(fd, fd) gives EINVAL");
	EXPECT_ERR(dup3(a, 61, 0x4), EINVAL, "dup3 with a bad flag gives EINVAL");
	EXPECT_EQ(fcntl(a, F_DUPFD, 100), 100, "F_DUPFD gives the lowest fd >= arg");
	EXPECT_EQ(fcntl(a, F_DUPFD, 100), 101, "F_DUPFD skips fds in use");
	EXPECT_EQ(fcntl(100, F_GETFD), 0, "F_DUPFD leaves FD_CLOEXEC clear");
	EXPECT_EQ(fcntl(a, F_DUPFD_CLOEXEC, 100), 102, "F_DUPFD_CLOEXEC");
	EXPECT_EQ(fcntl(102, F_GETFD), FD_CLOEXEC, "F_DUPFD_CLOEXEC sets FD_CLOEXEC");
	EXPECT_ERR(fcntl(a, F_DUPFD, 1 << 30), EINVAL, "F_DUPFD beyond RLIMIT_NOFILE gives EINVAL");
	EXPECT_OK(fcntl(a, F_SETFD, FD_CLOEXEC), "F_SETFD");
	EXPECT_EQ(fcntl(a, F_GETFD), FD_CLOEXEC, "F_GETFD after F_SETFD");
	EXPECT_EQ(fcntl(b, F_GETFD), 0, "FD_CLOEXEC belongs to the fd, not the file");
	EXPECT_EQ(fcntl(a, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR, "F_GETFL reports O_RDWR");
	EXPECT_EQ(fcntl(c, F_GETFL) & O_ACCMODE, O_RDONLY, "F_GETFL reports O_RDONLY");
	EXPECT_OK(fcntl(a, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY), "F_SETFL O_APPEND|O_NONBLOCK");
	EXPECT_EQ(fcntl(a, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR | O_APPEND | O_NONBLOCK,
		  "F_SETFL sets O_APPEND|O_NONBLOCK, not the access mode");
	EXPECT_EQ(fcntl(b, F_GETFL) & O_APPEND, O_APPEND, "status flags are shared by dup'd fds");
	lseek(a, 0, SEEK_SET);
	write(a, "X", 1);
	EXPECT_STR(get("f"), "0123456789X", "a write after F_SETFL O_APPEND goes to the end");
	fcntl(a, F_SETFL, 0);
	EXPECT_EQ(fcntl(a, F_GETFL) & O_APPEND, 0, "F_SETFL clears O_APPEND");
	EXPECT_ERR(fcntl(999, F_GETFD), EBADF, "fcntl on a bad fd gives EBADF");
	close(c);
	EXPECT_ERR(close(c), EBADF, "closing a closed fd gives EBADF");
	EXPECT_ERR(close(-1), EBADF, "close(-1) gives EBADF");
	close(a);
	close(b);
	close(p[0]);
	close(p[1]);
	close(60);
	close(100);
	close(101);
	close(102);
}

static void test_fork_offset(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid_t pid;

	write(fd, "parent", 6);
	pid = fork();
	if (pid == 0) {
		_exit(write(fd, "child", 5) == 5 ? 0 : 1);
	}
	EXPECT_EQ(wait_status(pid), 0, "the child writes through the inherited fd");
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11, "the child's write moved the parent's offset");
	write(fd, "!", 1);
	EXPECT_STR(get("f"), "parentchild!", "parent and child share one offset");
	close(fd);
}

/* Child of the exec tests; its result is its exit status. */
static int child_main(int argc, char **argv)
{
	char buf[256];
	ssize_t n;
	int mask = 0;

	if (!strcmp(argv[1], "--child-echo"))
		return write(1, ECHO_MSG, strlen(ECHO_MSG)) == (ssize_t)strlen(ECHO_MSG) ? 0 : 1;
	if (!strcmp(argv[1], "--child-cat")) {
		while ((n = read(0, buf, sizeof(buf))) > 0)
			if (write(1, buf, n) != n)
				return 1;
		return n == 0 ? 0 : 1;
	}
	if (!strcmp(argv[1], "--child-fds")) {
		/* bit i: fd argv[3+i] is open; bit 6: fd argv[2] is at offset 3;
		 * bit 7: a closed fd gave an errno other than EBADF. */
		for (int i = 3; i < argc; i++) {
			if (fcntl(atoi(argv[i]), F_GETFD) >= 0)
				mask |= 1 << (i - 3);
			else if (errno != EBADF)
				mask |= 1 << 7;
		}
		if (lseek(atoi(argv[2]), 0, SEEK_CUR) == 3)
			mask |= 1 << 6;
		return mask;
	}
	return 125;
}

static void test_exec_redirect(void)
{
	int fd;
	pid_t pid;

	put("in", "typed into the child's stdin\n");
	pid = fork();
	if (pid == 0) {
		fd = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) != 1)
			_exit(126);
		close(fd);
		execl(self, self, "--child-echo", (char *)NULL);
		_exit(127);
	}
	EXPECT_EQ(wait_status(pid), 0, "fork, dup2 a file onto 1, exec: the child exits 0");
	EXPECT_STR(get("out"), ECHO_MSG, "the exec'd child's stdout went to the file");
	pid = fork();
	if (pid == 0) {
		int in = open("in", O_RDONLY), out = open("out2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || out < 0 || dup2(in, 0) != 0 || dup2(out, 1) != 1)
			_exit(126);
		close(in);
		close(out);
		execl(self, self, "--child-cat", (char *)NULL);
		_exit(127);
	}
	EXPECT_EQ(wait_status(pid), 0, "cat-like child with both stdin and stdout redirected exits 0");
	EXPECT_STR(get("out2"), "typed into the child's stdin\n", "the child copied its stdin file to its stdout file");
}

static void test_cloexec_exec(void)
{
	char s[7][16];
	int fds[6];
	pid_t pid;

	put("f", "0123456789");
	fds[0] = open("f", O_RDONLY | O_CLOEXEC);
	fds[1] = open("f", O_RDONLY);
	fds[2] = dup3(fds[1], 50, O_CLOEXEC);
	fds[3] = fcntl(fds[1], F_DUPFD, 60);
	fds[4] = fcntl(fds[1], F_DUPFD_CLOEXEC, 70);
	fds[5] = open("f", O_RDONLY);
	fcntl(fds[5], F_SETFD, FD_CLOEXEC);
	lseek(fds[1], 3, SEEK_SET);
	snprintf(s[0], 16, "%d", fds[1]);
	for (int i = 0; i < 6; i++)
		snprintf(s[i + 1], 16, "%d", fds[i]);
	pid = fork();
	if (pid == 0) {
		execl(self, self, "--child-fds", s[0], s[1], s[2], s[3], s[4], s[5], s[6], (char *)NULL);
		_exit(127);
	}
	/* Open after exec: fds[1] (plain open) and fds[3] (F_DUPFD), plus the offset bit. */
	EXPECT_EQ(wait_status(pid), (0x40 | 0x02 | 0x08) << 8,
		  "across exec, O_CLOEXEC/dup3/F_DUPFD_CLOEXEC/F_SETFD fds close, others stay with their offset");
	for (int i = 0; i < 6; i++)
		close(fds[i]);
}

/* ---- file-backed mmap ---------------------------------------------------- */

static int make_file(const char *path, char fill, long len)
{
	static char buf[PG];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	memset(buf, fill, sizeof(buf));
	for (long off = 0; off < len; off += PG)
		write(fd, buf, len - off < PG ? len - off : PG);
	return fd;
}

static void test_mmap_shared(void)
{
	int fd = make_file("f", 'a', 2 * PG), ro, wo;
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char c = 0;

	EXPECT_OK(p, "MAP_SHARED mapping of a file");
	if (p == MAP_FAILED)
		return;
	EXPECT_EQ(p[0] == 'a' && p[2 * PG - 1] == 'a', 1, "the mapping shows the file's data");
	p[10] = 'X';
	pread(fd, &c, 1, 10);
	EXPECT_EQ(c, 'X', "a store through the mapping is seen by read()");
	pwrite(fd, "Y", 1, PG + 5);
	EXPECT_EQ(p[PG + 5], 'Y', "write() is seen through the mapping");
	EXPECT_OK(msync(p, 2 * PG, MS_SYNC), "msync MS_SYNC");
	close(fd);
	p[20] = 'Z';
	munmap(p, 2 * PG);
	fd = open("f", O_RDONLY);
	pread(fd, &c, 1, 20);
	EXPECT_EQ(c, 'Z', "a store after close(fd), before munmap, reaches the file");
	close(fd);
	ro = open("f", O_RDONLY);
	wo = open("f", O_WRONLY);
	EXPECT_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES,
		   "writable MAP_SHARED of an O_RDONLY fd gives EACCES");
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	EXPECT_OK(p, "writable MAP_PRIVATE of an O_RDONLY fd is allowed");
	if (p != MAP_FAILED)
		munmap(p, PG);
	EXPECT_ERR(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0), EACCES, "mmap of an O_WRONLY fd gives EACCES");
	close(ro);
	close(wo);
	mkdir("d", 0755);
	ro = open("d", O_RDONLY);
	EXPECT_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0), ENODEV, "mmap of a directory gives ENODEV");
	close(ro);
}

static void test_mmap_private(void)
{
	int fd = make_file("f", 'a', 2 * PG);
	char *q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char c = 0;

	EXPECT_OK(q, "MAP_PRIVATE mapping of a file");
	if (q == MAP_FAILED)
		return;
	q[0] = 'P';
	pread(fd, &c, 1, 0);
	EXPECT_EQ(c, 'a', "a store to a MAP_PRIVATE mapping does not change the file");
	pwrite(fd, "F", 1, 0);
	EXPECT_EQ(q[0], 'P', "a later write() does not change the private copy");
	EXPECT_EQ(q[PG], 'a', "an unwritten private page reads the file");
	pwrite(fd, "G", 1, PG);
	EXPECT_EQ(q[PG], 'G', "an unwritten private page follows the file (Linux)");
	munmap(q, 2 * PG);
	close(fd);
}

static void test_mmap_eof(void)
{
	int fd = make_file("f", 'a', 100), zero = 1, st;
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid_t pid;

	EXPECT_OK(p, "mmap of 3 pages of a 100-byte file");
	if (p == MAP_FAILED)
		return;
	for (long i = 100; i < PG; i++)
		zero &= p[i] == 0;
	EXPECT_EQ(p[99] == 'a' && zero, 1, "the last page reads zeros past end of file");
	pid = fork();
	if (pid == 0) {
		*(volatile char *)(p + PG + 1);
		_exit(0);
	}
	st = wait_status(pid);
	EXPECT_EQ(WIFSIGNALED(st) ? WTERMSIG(st) : -st, SIGBUS, "touching a page wholly past EOF raises SIGBUS");
	EXPECT_OK(ftruncate(fd, 3 * PG), "ftruncate grows the mapped file");
	zero = 1;
	for (long i = 100; i < 3 * PG; i++)
		zero &= p[i] == 0;
	EXPECT_EQ(zero, 1, "after growing, the mapping sees zeros (and no SIGBUS)");
	p[2 * PG + 7] = 'Z';
	char c = 0;
	pread(fd, &c, 1, 2 * PG + 7);
	EXPECT_EQ(c, 'Z', "a store into the grown part reaches the file");
	ftruncate(fd, 100);
	pid = fork();
	if (pid == 0) {
		*(volatile char *)(p + 2 * PG);
		_exit(0);
	}
	st = wait_status(pid);
	EXPECT_EQ(WIFSIGNALED(st) ? WTERMSIG(st) : -st, SIGBUS, "after shrinking, the cut pages raise SIGBUS again");
	munmap(p, 3 * PG);
	close(fd);
}

/* ---- FIFOs, statfs, sync, mount ---------------------------------------- */

static void test_misc(void)
{
	struct statfs sf;
	char buf[8] = { 0 };
	int fd, r, w, p[2];

	EXPECT_OK(statfs("/", &sf), "statfs(\"/\")");
	EXPECT_EQ(sf.f_bsize > 0 && sf.f_type != 0, 1, "statfs gives a block size and a type");
	fd = open(".", O_RDONLY);
	EXPECT_OK(fstatfs(fd, &sf), "fstatfs");
	EXPECT_ERR(statfs("missing", &sf), ENOENT, "statfs of a missing path gives ENOENT");
	EXPECT_EQ(syscall(SYS_sync), 0, "sync returns 0");
	EXPECT_OK(syncfs(fd), "syncfs");
	close(fd);
	fd = make_file("f", 'a', 10);
	EXPECT_OK(fsync(fd), "fsync of a file");
	EXPECT_OK(fdatasync(fd), "fdatasync of a file");
	close(fd);
	pipe(p);
	EXPECT_ERR(fsync(p[0]), EINVAL, "fsync of a pipe gives EINVAL");
	close(p[0]);
	close(p[1]);

	EXPECT_OK(mknodat(AT_FDCWD, "fifo", S_IFIFO | 0666, 0), "mknodat S_IFIFO");
	EXPECT_EQ(mode_of("fifo"), S_IFIFO | 0644, "the FIFO has S_IFIFO and mode & ~umask");
	EXPECT_ERR(mkfifo("fifo", 0644), EEXIST, "mkfifo over an existing name gives EEXIST");
	EXPECT_ERR(open("fifo", O_WRONLY | O_NONBLOCK), ENXIO, "O_WRONLY|O_NONBLOCK on a FIFO without readers gives ENXIO");
	r = open("fifo", O_RDONLY | O_NONBLOCK);
	EXPECT_OK(r, "O_RDONLY|O_NONBLOCK on a FIFO opens at once");
	w = open("fifo", O_WRONLY | O_NONBLOCK);
	EXPECT_OK(w, "O_WRONLY on a FIFO with a reader opens");
	EXPECT_EQ(write(w, "hi", 2), 2, "write into the FIFO");
	EXPECT_EQ(read(r, buf, sizeof(buf)), 2, "read from the FIFO");
	EXPECT_STR(buf, "hi", "the FIFO carried the bytes");
	EXPECT_ERR(lseek(r, 0, SEEK_CUR), ESPIPE, "lseek on a FIFO gives ESPIPE");
	close(r);
	close(w);
	EXPECT_OK(mknod("reg", S_IFREG | 0600, 0), "mknod S_IFREG creates a regular file");
	EXPECT_EQ(mode_of("reg"), S_IFREG | 0600, "the mknod'd file is S_IFREG");
}

static void test_sendfile(void)
{
	static char buf[3 * PG];
	off_t off = 5;
	int in, out, ok = 1;

	for (long i = 0; i < (long)sizeof(buf); i++)
		buf[i] = 'a' + i % 26;
	in = open("in", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(in, buf, sizeof(buf));
	out = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	EXPECT_EQ(sendfile(out, in, &off, 2 * PG), 2 * PG, "sendfile from a file to a file");
	EXPECT_EQ(off, 5 + 2 * PG, "sendfile advanced the offset it was given");
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 3 * PG, "sendfile with an offset leaves the input fd's offset");
	EXPECT_EQ(size_of("out"), 2 * PG, "the output file has the bytes");
	close(out);
	out = open("out", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	read(out, buf, sizeof(buf));
	for (long i = 0; i < 2 * PG; i++)
		ok &= buf[i] == 'a' + (i + 5) % 26;
	EXPECT_EQ(ok, 1, "sendfile copied the right bytes");
	EXPECT_ERR(sendfile(out, in, NULL, 10), EBADF, "sendfile to an O_RDONLY fd gives EBADF");
	close(in);
	close(out);
}

static void test_mount(void)
{
	struct statfs sf;
	struct stat here, mnt;
	int fd, r;

	mkdir("mnt", 0755);
	put("outside", "x");
	r = mount("none", "mnt", "tmpfs", 0, "size=1m");
	if (r && errno == EPERM) {
		skip("mount tmpfs at a new directory", "mount needs privileges here (EPERM)");
		return;
	}
	EXPECT_EQ(r, 0, "mount tmpfs at a new directory");
	if (r)
		return;
	EXPECT_EQ(statfs("mnt", &sf) ? -1 : (long)sf.f_type, TMPFS_MAGIC_, "statfs of the mount point says tmpfs");
	stat(".", &here);
	stat("mnt", &mnt);
	EXPECT_EQ(mnt.st_dev != here.st_dev, 1, "the mounted root has its own st_dev");
	EXPECT_EQ(mode_of("mnt") & 07777, 01777, "a fresh tmpfs root has mode 1777");
	EXPECT_EQ(ino_of("mnt/.."), (long)here.st_ino, "\"..\" of the mounted root is the mount point's parent");
	fd = open("mnt/f", O_RDWR | O_CREAT, 0644);
	EXPECT_OK(fd, "create a file in the new tmpfs");
	EXPECT_ERR(rename("outside", "mnt/x"), EXDEV, "rename across mounts gives EXDEV");
	EXPECT_ERR(link("outside", "mnt/x"), EXDEV, "link across mounts gives EXDEV");
	EXPECT_ERR(rmdir("mnt"), EBUSY, "rmdir of a mount point gives EBUSY");
	EXPECT_ERR(umount2("mnt", 0), EBUSY, "umount with an open file gives EBUSY");
	close(fd);
	EXPECT_OK(umount2("mnt", 0), "umount2");
	EXPECT_EQ(exists("mnt/f"), 0, "after umount the tmpfs's file is gone from view");
	EXPECT_EQ(stat("mnt", &mnt) ? -1 : (long)(mnt.st_dev == here.st_dev), 1,
		  "after umount the directory is the parent file system's again");
	EXPECT_ERR(umount2("mnt", 0), EINVAL, "umount of a non-mount point gives EINVAL");
}

/* ---- driver ------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "open_creat", test_open_creat },
	{ "open_trunc_append", test_open_trunc_append },
	{ "open_errors", test_open_errors },
	{ "o_path", test_o_path },
	{ "o_cloexec", test_o_cloexec },
	{ "read_write", test_read_write },
	{ "lseek", test_lseek },
	{ "holes", test_holes },
	{ "truncate", test_truncate },
	{ "big_file", test_big_file },
	{ "stat", test_stat },
	{ "times", test_times },
	{ "dir_times", test_dir_times },
	{ "mkdir_rmdir", test_mkdir_rmdir },
	{ "readdir", test_readdir },
	{ "readdir_unlink", test_readdir_unlink },
	{ "cwd", test_cwd },
	{ "cwd_moves", test_cwd_moves },
	{ "at_calls", test_at_calls },
	{ "rename_files", test_rename_files },
	{ "rename_dirs", test_rename_dirs },
	{ "renameat2", test_renameat2 },
	{ "unlink", test_unlink },
	{ "links", test_links },
	{ "symlinks", test_symlinks },
	{ "perms", test_perms },
	{ "chown", test_chown },
	{ "dup", test_dup },
	{ "fork_offset", test_fork_offset },
	{ "exec_redirect", test_exec_redirect },
	{ "cloexec_exec", test_cloexec_exec },
	{ "mmap_shared", test_mmap_shared },
	{ "mmap_private", test_mmap_private },
	{ "mmap_eof", test_mmap_eof },
	{ "misc", test_misc },
	{ "sendfile", test_sendfile },
	{ "mount", test_mount },
};

static void absolute(char *out, const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		snprintf(out, PATH_MAX, "%s", path);
	else
		snprintf(out, PATH_MAX, "%.2000s/%.2000s", cwd, path);
}

int main(int argc, char **argv)
{
	int created;

	if (argc > 1 && !strncmp(argv[1], "--child-", 8))
		return child_main(argc, argv);
	KTAP_START("fs");
	absolute(self, argv[0]);
	if (argc > 1)
		absolute(work, argv[1]);
	else
		snprintf(work, sizeof(work), "/tmp/fstest-%d", getpid());
	umask(022);
	created = mkdir(work, 0755) == 0;
	if (chdir(work)) {
		printf("# cannot use work directory %s: %s\n", work, strerror(errno));
		CHECK(0, "work directory usable");
		return ktap_done();
	}
	printf("# work directory %s\n", work);
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		printf("# %s\n", tests[i].name);
		if (mkdir(tests[i].name, 0755) || chdir(tests[i].name)) {
			CHECK(0, tests[i].name);
			continue;
		}
		tests[i].fn();
		umask(022);
		if (chdir(work))
			break;
	}
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		rm_rf(tests[i].name);
	chdir("/");
	if (created)
		rmdir(work);
	CHECK(created ? !exists(work) : 1, "the work directory is removed");
	return ktap_done();
}
