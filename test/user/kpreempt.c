/* Boot test: kernel preemption. A SCHED_FIFO task and a SCHED_OTHER one
 * share one hart. The FIFO task sleeps 1 ms at a time and counts its
 * wake-ups in shared memory; the other makes ONE long system call that
 * never sleeps (sendfile of /dev/zero to /dev/null; readv of /dev/zero,
 * part of it into never-touched memory so the kernel's copy faults pages
 * in). Without kernel preemption the hart belongs to the caller from its
 * ecall to its return: the FIFO task's wake-ups pile up into one, run at
 * the return, so the counter moves by at most 1 during the call. With
 * preemption the timer interrupt's return switches to the FIFO task inside
 * the call, and the counter moves about once per millisecond. The calls'
 * results are checked too (bytes transferred, zeros in the buffer).
 *
 * Also runs on Linux (qemu-user and natively): a Linux kernel whose
 * uname -v does not say PREEMPT may skip the preemption checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define MS 1000000LL
#define MIB (1UL << 20)
#define MIN_WAKES 10          /* a preempted call must see at least this many */
#define TARGET_NS (300 * MS)  /* calibrate the calls to last about this long */

struct shared {
	volatile unsigned long counter; /* the FIFO task's wake-ups */
	volatile int in_call;           /* the other task is inside its long call */
	volatile long long worst_late;  /* worst wake-up lateness while in_call (ns) */
	volatile int ready, stop, fifo_err;
};
static struct shared *sh;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Relative sleeps, not absolute: after a wait the task does not make up
 * the missed periods in a burst, so a call that was never preempted shows
 * one wake-up (run at its return), not many. */
static void fifo_task(void)
{
	struct sched_param sp = { .sched_priority = 50 };

	alarm(120);
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		sh->fifo_err = errno;
		_exit(1);
	}
	sh->ready = 1;
	while (!sh->stop) {
		struct timespec d = { 0, 1000000 };
		long long due = now_ns() + MS;
		clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
		long long late = now_ns() - due;
		if (sh->in_call && late > sh->worst_late)
			sh->worst_late = late;
		sh->counter++;
	}
	_exit(0);
}

/* Does this kernel say it preempts kernel code? Vireo always must. */
static bool kernel_says_preempt(void)
{
	struct utsname u;

	if (uname(&u))
		return true;
	printf("# kernel: %s %s %s\n", u.sysname, u.release, u.version);
	return strstr(u.version, "PREEMPT") || strstr(u.version, "Vireo");
}

static int fd_zero, fd_null;

static long long sendfile_call(size_t n, ssize_t *ret)
{
	long long t0 = now_ns();
	*ret = sendfile(fd_null, fd_zero, NULL, n);
	return now_ns() - t0;
}

/* readv of /dev/zero: the first iovec is fresh memory (the kernel's copy
 * faults it in), the others all point at one pre-filled 1 MiB block. */
#define FRESH (8 * MIB)
#define BLOCK MIB
static char *fresh, *block;
static struct iovec iov[1024];

static int fill_iov(size_t total)
{
	int n = 0;

	iov[n++] = (struct iovec){ fresh, FRESH };
	for (size_t done = FRESH; done < total && n < 1024; done += BLOCK)
		iov[n++] = (struct iovec){ block, BLOCK };
	return n;
}

static size_t iov_total(int n)
{
	size_t t = 0;
	for (int i = 0; i < n; i++)
		t += iov[i].iov_len;
	return t;
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Fresh pages again (the old ones go back), and a marked block. */
static void readv_prepare(void)
{
	fresh = mmap(fresh, FRESH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	iov[0].iov_base = fresh;
	memset(block, 0xaa, BLOCK);
}

static long long readv_call(int cnt, ssize_t *ret)
{
	long long t0 = now_ns();
	*ret = readv(fd_zero, iov, cnt);
	return now_ns() - t0;
}

/* Scale a size so a call that took ns for size would take TARGET_NS. */
static size_t scale(size_t size, long long ns, size_t max)
{
	if (ns < 1)
		ns = 1;
	double f = (double)TARGET_NS / (double)ns;
	double s = (double)size * (f < 1 ? 1 : f);
	return s > (double)max ? max : ((size_t)s + MIB - 1) & ~(MIB - 1);
}

/* The counter before and after one call; reports and checks. */
static void check_call(const char *what, unsigned long before, unsigned long after, long long ns,
		       bool must_preempt)
{
	char name[160];
	unsigned long moved = after - before;

	printf("# %s: %.1f ms in the call, FIFO wake-ups during it: %lu, worst lateness %.2f ms\n", what,
	       ns / 1e6, moved, sh->worst_late / 1e6);
	snprintf(name, sizeof(name), "%s: the FIFO task ran during the call (preempted in the kernel)", what);
	if (moved >= MIN_WAKES || must_preempt)
		CHECK(moved >= MIN_WAKES, name);
	else
		printf("ok %d %s # SKIP kernel does not say PREEMPT in uname -v\n", ++ktap_n, name);
}

int main(void)
{
	cpu_set_t all, one;

	setvbuf(stdout, NULL, _IONBF, 0);
	KTAP_START("kpreempt");
	alarm(300); /* a kernel that hangs fails */
	bool must_preempt = kernel_says_preempt();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fresh = mmap(NULL, FRESH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	block = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd_zero = open("/dev/zero", O_RDONLY);
	fd_null = open("/dev/null", O_WRONLY);
	if (sh == MAP_FAILED || fresh == MAP_FAILED || block == MAP_FAILED || fd_zero < 0 || fd_null < 0)
		return 2;

	/* Both tasks on the first allowed hart (the child inherits the mask). */
	sched_getaffinity(0, sizeof(all), &all);
	int cpu = 0;
	while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &all))
		cpu++;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0 && sched_getcpu() == cpu, "pinned to one hart");

	/* Calibrate before the FIFO task exists: sizes for ~TARGET_NS calls. */
	ssize_t r;
	size_t sf_size = scale(32 * MIB, sendfile_call(32 * MIB, &r), 1024 * MIB);
	int cnt = fill_iov(32 * MIB);
	readv_prepare();
	cnt = fill_iov(scale(iov_total(cnt), readv_call(cnt, &r), 1000 * MIB));
	size_t rv_size = iov_total(cnt);
	printf("# calibrated: sendfile %zu MiB, readv %zu MiB in %d iovecs\n", sf_size / MIB,
	       rv_size / MIB, cnt);

	int pid = fork();
	if (pid == 0)
		fifo_task();
	while (!sh->ready && !sh->fifo_err && waitpid(pid, NULL, WNOHANG) == 0)
		usleep(1000);
	CHECK(sh->ready, "the other task becomes SCHED_FIFO 50 on the same hart");
	usleep(20000);
	CHECK(sh->counter >= 2, "it wakes every millisecond beside us");

	/* (a) sendfile: a loop of page copies, never sleeping. */
	sh->worst_late = 0;
	unsigned long before = sh->counter;
	sh->in_call = 1;
	long long ns = sendfile_call(sf_size, &r);
	unsigned long after = sh->counter;
	sh->in_call = 0;
	CHECK(r == (ssize_t)sf_size, "sendfile /dev/zero -> /dev/null moved every byte");
	check_call("sendfile", before, after, ns, must_preempt);

	/* (b) readv into fresh and pre-filled memory: kernel-mode page faults
	 * in the middle, the copy preempted around them. */
	readv_prepare();
	sh->worst_late = 0;
	before = sh->counter;
	sh->in_call = 1;
	ns = readv_call(cnt, &r);
	after = sh->counter;
	sh->in_call = 0;
	CHECK(r == (ssize_t)rv_size, "readv of /dev/zero filled every iovec");
	CHECK(all_zero(fresh, FRESH) && all_zero(block, BLOCK), "and what it read is zeros");
	check_call("readv", before, after, ns, must_preempt);

	sh->stop = 1;
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "FIFO task exits 0");
	return ktap_done();
}
