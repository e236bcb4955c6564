/* Boot test: the system-call surface a static glibc program needs, with
 * Linux's errnos for bad input. Passes on Linux (qemu-riscv64) too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

extern char _start[];

static long raw(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);
	return r < 0 ? -errno : r;
}

static void test_write_and_faults(void)
{
	CHECK(write(1, "# write\n", 8) == 8, "write returns its count");
	CHECK(raw(SYS_write, 1, 0, 5) == -EFAULT, "write from NULL gives EFAULT");
	CHECK(raw(SYS_write, 1, (long)0xffff800080200000UL, 5) == -EFAULT,
	      "write from a kernel address gives EFAULT");
	CHECK(raw(SYS_write, 1, (long)0x6fff00000000L, 5) == -EFAULT,
	      "write from an unmapped user address gives EFAULT");
	CHECK(raw(SYS_write, 99, (long)"x", 1) == -EBADF, "write to a closed fd gives EBADF");
	CHECK(raw(999, 0, 0, 0) == -ENOSYS, "unknown system call gives ENOSYS");
	CHECK(raw(SYS_openat, AT_FDCWD, 16, O_RDONLY) == -EFAULT, "openat with a bad path gives EFAULT");
	CHECK(raw(SYS_openat, AT_FDCWD, (long)"/no/such/file", O_RDONLY) == -ENOENT,
	      "openat of a missing file gives ENOENT");
}

static void test_identity(void)
{
	struct utsname u;

	CHECK(getpid() > 0 && gettid() == getpid(), "getpid and gettid agree");
	CHECK(uname(&u) == 0 && !strcmp(u.sysname, "Linux") && !strcmp(u.machine, "riscv64"),
	      "uname says Linux riscv64");
}

static void test_auxv(char **argv)
{
	unsigned long hw = getauxval(AT_HWCAP);
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	int nonzero = 0;

	CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ is 4096");
	CHECK(getauxval(AT_ENTRY) == (unsigned long)_start, "AT_ENTRY is _start");
	CHECK(getauxval(AT_PHNUM) > 0 && getauxval(AT_PHENT) == 56 && getauxval(AT_PHDR),
	      "AT_PHDR/AT_PHENT/AT_PHNUM describe the program headers");
	CHECK((hw & (1 << ('i' - 'a'))) && (hw & (1 << ('m' - 'a'))) && (hw & (1 << ('a' - 'a'))),
	      "AT_HWCAP has I, M and A");
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	CHECK(rnd && nonzero, "AT_RANDOM points at random bytes");
	CHECK(execfn && strstr(argv[0], strrchr(execfn, '/') ? strrchr(execfn, '/') + 1 : execfn),
	      "AT_EXECFN names the program");
	CHECK(getauxval(AT_CLKTCK) == 100, "AT_CLKTCK is 100");
	CHECK(getauxval(AT_SECURE) == 0, "AT_SECURE is 0");
}

static void test_brk(void)
{
	char *p = sbrk(0), *q;
	size_t n = 1 << 20;
	int zero = 1;

	CHECK(sbrk(n) == p, "sbrk grows by 1 MiB");
	for (size_t i = 0; i < n; i += 4096)
		zero &= p[i] == 0;
	CHECK(zero, "new heap pages read as zero");
	memset(p, 0xa5, n);
	CHECK((unsigned char)p[n - 1] == 0xa5, "heap pages are writable");
	CHECK(sbrk(-(long)n) == p + n && sbrk(0) == p, "sbrk shrinks back");
	q = malloc(3 << 20);
	CHECK(q != NULL, "malloc of 3 MiB works");
	if (q)
		memset(q, 1, 3 << 20);
	free(q);
}

static void test_files(char **argv)
{
	char buf[4] = { 0 };
	struct stat st, st2;
	int fd = open(argv[0], O_RDONLY);

	CHECK(fd >= 3, "open of the program file gives a new fd");
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4), "read gives the ELF magic");
	CHECK(raw(SYS_read, fd, 16, 4) == -EFAULT, "read into a bad pointer gives EFAULT");
	CHECK(lseek(fd, 0, SEEK_END) > 4096, "lseek to the end gives the file size");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 4096, "fstat of the file");
	CHECK(stat(argv[0], &st2) == 0 && st2.st_size == st.st_size && st2.st_ino == st.st_ino,
	      "stat agrees with fstat");
	CHECK(close(fd) == 0 && close(fd) == -1 && errno == EBADF, "close, then EBADF");
	CHECK(fstat(1, &st) == 0, "fstat of stdout");
}

static void test_exec_errors(void)
{
	char *args[] = { "x", NULL };
	struct stat st;

	CHECK(execve("/no/such/program", args, args + 1) == -1 && errno == ENOENT,
	      "execve of a missing file gives ENOENT");
	CHECK(execve("/", args, args + 1) == -1 && errno == EACCES, "execve of a directory gives EACCES");
	CHECK(raw(SYS_execve, 16, 0, 0) == -EFAULT, "execve with a bad path gives EFAULT");
	if (stat("/test/bad-elf", &st) == 0)
		CHECK(execve("/test/bad-elf", args, args + 1) == -1 && errno == ENOEXEC,
		      "execve of a bad ELF gives ENOEXEC and returns");
}

static long ns_between(struct timespec *a, struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

/* nanosleep only returns once the timer interrupt has woken the hart. */
static void test_sleep(void)
{
	struct timespec a, b, d = { 0, 20 * 1000 * 1000 }, bad = { 0, 1000000000L };
	struct sysinfo si;

	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(nanosleep(&d, NULL) == 0, "nanosleep of 20 ms returns 0");
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(ns_between(&a, &b) >= 20 * 1000 * 1000, "nanosleep slept at least 20 ms");
	CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL, "nanosleep with tv_nsec = 1e9 gives EINVAL");
	CHECK(raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, 16) == -EFAULT,
	      "clock_nanosleep with a bad pointer gives EFAULT");
	struct timespec c0, c1, c2;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while (ns_between(&a, &b) < 30 * 1000 * 1000);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c2);
	CHECK(ns_between(&c0, &c1) >= 20 * 1000 * 1000, "CPU-time clock advances while computing");
	CHECK(ns_between(&c1, &c2) < 15 * 1000 * 1000, "CPU-time clock barely moves while sleeping");
	CHECK(sysinfo(&si) == 0 && si.totalram > 0 && si.freeram > 0 && si.freeram <= si.totalram &&
	      si.mem_unit > 0, "sysinfo reports total and free memory");
}

static void test_misc(void)
{
	unsigned char r[32] = { 0 };
	struct timespec a, b;
	struct rlimit rl;
	volatile unsigned long spin = 0;
	int nz = 0;

	CHECK(getrandom(r, sizeof(r), 0) == sizeof(r), "getrandom fills the buffer");
	for (unsigned i = 0; i < sizeof(r); i++)
		nz += r[i] != 0;
	CHECK(nz > 16, "getrandom bytes are not zero");
	CHECK(raw(SYS_getrandom, 16, 8, 0) == -EFAULT, "getrandom into a bad pointer gives EFAULT");
	CHECK(raw(SYS_getrandom, (long)r, 8, 0x40) == -EINVAL, "getrandom with bad flags gives EINVAL");
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 1000000; i++)
		spin += i;
	clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec),
	      "CLOCK_MONOTONIC advances");
	CHECK(raw(SYS_clock_gettime, 1, 16, 0) == -EFAULT, "clock_gettime into a bad pointer gives EFAULT");
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 8 << 20, "RLIMIT_STACK is 8 MiB");
	CHECK(raw(SYS_mprotect, 0x7ffff0000000L, 4096, PROT_READ) == -ENOMEM,
	      "mprotect of unmapped memory gives ENOMEM");
	CHECK(raw(SYS_mprotect, 0x10001, 4096, PROT_READ) == -EINVAL,
	      "mprotect of an unaligned address gives EINVAL");
}

int main(int argc, char **argv)
{
	(void)argc;
	KTAP_START("syscalls");
	test_write_and_faults();
	test_identity();
	test_auxv(argv);
	test_brk();
	test_files(argv);
	test_exec_errors();
	test_misc();
	test_sleep();
	return ktap_done();
}
