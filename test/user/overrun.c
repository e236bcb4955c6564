/* Boot test: no system call writes past the structure it fills. Each
 * output buffer sits inside a larger one painted 0xa5; after the call the
 * bytes beyond Linux's size for that structure must still be 0xa5 (waitid
 * once wrote a 136-byte siginfo into 128 bytes: a zeroed stack word).
 * Raw syscall() so glibc's own buffers don't hide the kernel's writes.
 * Passes under qemu-riscv64 too, the reference for Linux. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define PAD 256
static unsigned char buf[8192 + PAD];

static void *paint(void)
{
	memset(buf, 0xa5, sizeof(buf));
	return buf;
}

/* ret must be >= 0 and nothing past size may have changed. */
static void expect(long ret, size_t size, const char *name)
{
	size_t i;

	for (i = size; i < size + PAD; i++)
		if (buf[i] != 0xa5)
			break;
	if (ret < 0 || i < size + PAD)
		printf("# %s: returned %ld, byte %zu (of a %zu-byte structure) changed\n", name, ret, i,
		       size);
	CHECK(ret >= 0 && i == size + PAD, name);
}

static pid_t exited_child(int code)
{
	pid_t p = fork();
	if (p == 0)
		_exit(code);
	return p;
}

static void files(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	expect(syscall(SYS_fstat, fd, paint()), sizeof(struct stat), "fstat: struct stat (128 bytes)");
	expect(syscall(SYS_newfstatat, AT_FDCWD, "/", paint(), 0), sizeof(struct stat),
	       "newfstatat: struct stat");
	expect(syscall(SYS_statx, AT_FDCWD, "/", 0, STATX_ALL, paint()), sizeof(struct statx),
	       "statx: struct statx (256 bytes)");
	expect(syscall(SYS_statfs, "/", paint()), sizeof(struct statfs), "statfs: struct statfs");
	expect(syscall(SYS_fstatfs, fd, paint()), sizeof(struct statfs), "fstatfs: struct statfs");
	long n = syscall(SYS_getcwd, paint(), 16);
	expect(n, 16, "getcwd: at most size bytes");
	n = syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", paint(), 5);
	expect(n, 5, "readlinkat: at most bufsiz bytes");
	n = syscall(SYS_getdents64, fd, paint(), 64);
	expect(n, 64, "getdents64: at most count bytes");
	int p[2];
	expect(syscall(SYS_pipe2, (int *)paint(), 0), 2 * sizeof(int), "pipe2: two ints");
	memcpy(p, buf, sizeof(p));
	close(p[0]);
	close(p[1]);
	close(fd);
	expect(syscall(SYS_getrandom, paint(), 33, 0), 33, "getrandom: exactly count bytes");
}

static void processes(void)
{
	pid_t c = exited_child(3);
	expect(syscall(SYS_waitid, P_PID, c, paint(), WEXITED, NULL), sizeof(siginfo_t),
	       "waitid: siginfo_t (128 bytes)");
	c = exited_child(4);
	expect(syscall(SYS_wait4, c, (int *)paint(), 0, NULL), sizeof(int), "wait4: int status");
	c = exited_child(5);
	static struct rusage ru;
	long r = syscall(SYS_wait4, c, NULL, 0, paint());
	expect(r, sizeof(ru), "wait4: struct rusage (144 bytes)");
	c = exited_child(6);
	r = syscall(SYS_waitid, P_PID, c, NULL, WEXITED, paint());
	expect(r, sizeof(ru), "waitid: struct rusage");
	expect(syscall(SYS_getrusage, RUSAGE_SELF, paint()), sizeof(ru), "getrusage: struct rusage");
	expect(syscall(SYS_times, paint()), sizeof(struct tms), "times: struct tms");
	expect(syscall(SYS_sysinfo, paint()), sizeof(struct sysinfo), "sysinfo: struct sysinfo");
	expect(syscall(SYS_uname, paint()), sizeof(struct utsname), "uname: struct utsname");
	expect(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, paint()), sizeof(struct rlimit),
	       "prlimit64: struct rlimit");
	uid_t e, sv;
	expect(syscall(SYS_getresuid, paint(), &e, &sv), 4, "getresuid: uid_t");
	expect(syscall(SYS_sched_getaffinity, 0, 8, paint()) > 0 ? 0 : -1, 8,
	       "sched_getaffinity: at most len bytes");
	expect(syscall(SYS_sched_getparam, 0, paint()), sizeof(int), "sched_getparam: struct sched_param");
	expect(syscall(SYS_sched_getattr, 0, paint(), 48, 0), 48, "sched_getattr: at most size bytes");
	expect(syscall(SYS_getcpu, paint(), NULL, NULL), sizeof(unsigned int), "getcpu: unsigned int");
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	expect(syscall(SYS_capget, &h, paint()), 2 * sizeof(struct __user_cap_data_struct),
	       "capget: two cap data structures (v3)");
}

static void time_and_signals(void)
{
	expect(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, paint()), sizeof(struct timespec),
	       "clock_gettime: struct timespec");
	expect(syscall(SYS_clock_getres, CLOCK_MONOTONIC, paint()), sizeof(struct timespec),
	       "clock_getres: struct timespec");
	expect(syscall(SYS_gettimeofday, paint(), NULL), sizeof(struct timeval),
	       "gettimeofday: struct timeval");
	expect(syscall(SYS_getitimer, ITIMER_REAL, paint()), sizeof(struct itimerval),
	       "getitimer: struct itimerval");
	expect(syscall(SYS_sched_rr_get_interval, 0, paint()), sizeof(struct timespec),
	       "sched_rr_get_interval: struct timespec");
	expect(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, paint(), 8), 8, "rt_sigprocmask: 8-byte mask");
	expect(syscall(SYS_rt_sigpending, paint(), 8), 8, "rt_sigpending: 8-byte mask");
	/* Kernel struct sigaction on riscv64: handler, flags, mask (24 bytes;
	 * qemu-user writes a restorer field too, so allow 32). */
	expect(syscall(SYS_rt_sigaction, SIGUSR1, NULL, paint(), 8), 32, "rt_sigaction: old action");
	expect(syscall(SYS_sigaltstack, NULL, paint()), sizeof(stack_t), "sigaltstack: stack_t");
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	struct timespec zero = { 0, 0 };
	long r = syscall(SYS_rt_sigtimedwait, &set, paint(), &zero, 8);
	expect(r == SIGUSR2 ? 0 : -1, sizeof(siginfo_t), "rt_sigtimedwait: siginfo_t");
	struct timespec d = { 0, 1000 };
	expect(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &d, paint()), 0,
	       "clock_nanosleep: remainder untouched when not interrupted");
}

int main(void)
{
	KTAP_START("overrun");
	files();
	processes();
	time_and_signals();
	return ktap_done();
}
