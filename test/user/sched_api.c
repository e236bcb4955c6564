/* Boot test: the scheduling system calls as an API: priority ranges,
 * errnos, set/get round trips of policy, priority, nice and affinity,
 * sched_setattr's size negotiation, SCHED_RESET_ON_FORK, and getcpu
 * agreeing with the affinity.
 *
 * Nothing here depends on timing, so it also runs under qemu-riscv64
 * (the host kernel answers there). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define BAD_PTR ((void *)8) /* never mapped */
#define RESET_ON_FORK 0x40000000
#define FLAG_RESET_ON_FORK 0x01
#define FLAG_KEEP_POLICY 0x08
#define FLAG_KEEP_PARAMS 0x10

struct attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

/* A call that must fail with errno e. */
#define FAILS(expr, e) (errno = 0, (expr) == -1 && errno == (e))

static long setsched(int pid, int policy, int prio)
{
	struct sched_param p = { prio };
	return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

static int getprio(int pid)
{
	struct sched_param p = { -1 };
	if (syscall(SYS_sched_getparam, pid, &p))
		return -1;
	return p.sched_priority;
}

static long setattr(int pid, struct attr *a)
{
	return syscall(SYS_sched_setattr, pid, a, 0);
}

static long getattr(int pid, void *a, unsigned int size)
{
	return syscall(SYS_sched_getattr, pid, a, size, 0);
}

/* nice of pid via glibc's getpriority (which undoes the raw 20 - nice). */
static int nice_of(int pid)
{
	errno = 0;
	int n = getpriority(PRIO_PROCESS, pid);
	return errno ? 99 : n;
}

/* A pid that existed and is gone: a reaped child's. */
static int dead_pid(void)
{
	int pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* A child that waits to be killed. */
static int idle_child(void)
{
	int pid = fork();
	if (pid == 0) {
		alarm(30);
		for (;;)
			pause();
	}
	return pid;
}

static void kill_child(int pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static bool on_vireo(void)
{
	struct utsname u;
	return uname(&u) == 0 && strstr(u.release, "vireo");
}

static void test_ranges(void)
{
	CHECK(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1,
	      "SCHED_FIFO priorities 1..99");
	CHECK(sched_get_priority_max(SCHED_RR) == 99 && sched_get_priority_min(SCHED_RR) == 1,
	      "SCHED_RR priorities 1..99");
	CHECK(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_OTHER) == 0 &&
		      sched_get_priority_max(SCHED_BATCH) == 0 && sched_get_priority_min(SCHED_BATCH) == 0 &&
		      sched_get_priority_max(SCHED_IDLE) == 0 && sched_get_priority_min(SCHED_IDLE) == 0,
	      "OTHER/BATCH/IDLE priorities 0..0");
	CHECK(FAILS(sched_get_priority_max(4), EINVAL) && FAILS(sched_get_priority_min(4), EINVAL) &&
		      FAILS(sched_get_priority_max(-1), EINVAL) && FAILS(sched_get_priority_min(100), EINVAL),
	      "unknown policies: EINVAL");
}

static void test_policy_errors(int dead)
{
	struct sched_param p = { 0 };

	CHECK(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER, "getscheduler: SCHED_OTHER at start");
	CHECK(getprio(0) == 0, "getparam: priority 0 for SCHED_OTHER");
	CHECK(FAILS(syscall(SYS_sched_getscheduler, -1), EINVAL), "getscheduler(-1): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_getscheduler, dead), ESRCH), "getscheduler(gone pid): ESRCH");
	CHECK(FAILS(syscall(SYS_sched_getparam, 0, NULL), EINVAL), "getparam(NULL): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_getparam, -1, &p), EINVAL), "getparam(-1): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_getparam, 0, BAD_PTR), EFAULT), "getparam(bad pointer): EFAULT");
	CHECK(FAILS(syscall(SYS_sched_getparam, dead, &p), ESRCH), "getparam(gone pid): ESRCH");

	CHECK(FAILS(setsched(0, SCHED_FIFO, 0), EINVAL), "FIFO priority 0: EINVAL");
	CHECK(FAILS(setsched(0, SCHED_FIFO, 100), EINVAL), "FIFO priority 100: EINVAL");
	CHECK(FAILS(setsched(0, SCHED_RR, -1), EINVAL), "RR priority -1: EINVAL");
	CHECK(FAILS(setsched(0, SCHED_OTHER, 1), EINVAL), "OTHER priority 1: EINVAL");
	CHECK(FAILS(setsched(0, SCHED_BATCH, 5), EINVAL), "BATCH priority 5: EINVAL");
	CHECK(FAILS(setsched(0, 4, 0), EINVAL) && FAILS(setsched(0, 100, 0), EINVAL),
	      "unknown policy: EINVAL");
	CHECK(FAILS(setsched(0, -1, 0), EINVAL), "policy -1: EINVAL");
	CHECK(FAILS(setsched(0, 6 /* SCHED_DEADLINE */, 0), EINVAL),
	      "SCHED_DEADLINE through setscheduler: EINVAL");
	CHECK(FAILS(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL),
	      "setscheduler(NULL param): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, BAD_PTR), EFAULT),
	      "setscheduler(bad pointer): EFAULT");
	CHECK(FAILS(setsched(-1, SCHED_OTHER, 0), EINVAL), "setscheduler(pid -1): EINVAL");
	CHECK(FAILS(setsched(dead, SCHED_OTHER, 0), ESRCH), "setscheduler(gone pid): ESRCH");
	CHECK(FAILS(syscall(SYS_sched_setparam, 0, NULL), EINVAL), "setparam(NULL): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_setparam, 0, BAD_PTR), EFAULT), "setparam(bad pointer): EFAULT");
	p.sched_priority = 1;
	CHECK(FAILS(syscall(SYS_sched_setparam, 0, &p), EINVAL), "setparam(1) on SCHED_OTHER: EINVAL");
	p.sched_priority = 0;
	CHECK(FAILS(syscall(SYS_sched_setparam, dead, &p), ESRCH), "setparam(gone pid): ESRCH");
	CHECK(syscall(SYS_sched_setparam, 0, &p) == 0, "setparam(0) on SCHED_OTHER");
}

static void test_policy_roundtrip(void)
{
	struct timespec ts;

	if (setsched(0, SCHED_FIFO, 10) != 0) {
		printf("# setscheduler FIFO: %s: RT round trips skipped\n", strerror(errno));
		return;
	}
	CHECK(syscall(SYS_sched_getscheduler, 0) == SCHED_FIFO && getprio(0) == 10,
	      "FIFO 10 round trip");
	CHECK(syscall(SYS_sched_rr_get_interval, 0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec == 0,
	      "rr_get_interval: 0 for FIFO");
	CHECK(setsched(0, SCHED_RR, 20) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_RR &&
		      getprio(0) == 20,
	      "RR 20 round trip");
	CHECK(syscall(SYS_sched_rr_get_interval, 0, &ts) == 0 && ts.tv_sec == 0 &&
		      ts.tv_nsec == 100000000,
	      "rr_get_interval: 100 ms for RR");
	struct sched_param p = { 30 };
	CHECK(syscall(SYS_sched_setparam, 0, &p) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_RR &&
		      getprio(0) == 30,
	      "setparam(30) keeps RR, sets priority");
	p.sched_priority = 0;
	CHECK(FAILS(syscall(SYS_sched_setparam, 0, &p), EINVAL), "setparam(0) on RR: EINVAL");
	p.sched_priority = 100;
	CHECK(FAILS(syscall(SYS_sched_setparam, 0, &p), EINVAL), "setparam(100) on RR: EINVAL");

	/* Another task by pid, while we are RT: it stays where it is. */
	int child = idle_child();
	CHECK(setsched(child, SCHED_FIFO, 5) == 0 && syscall(SYS_sched_getscheduler, child) == SCHED_FIFO &&
		      getprio(child) == 5,
	      "setscheduler(child pid, FIFO 5) round trip");
	CHECK(setsched(child, SCHED_OTHER, 0) == 0 && syscall(SYS_sched_getscheduler, child) == SCHED_OTHER &&
		      getprio(child) == 0,
	      "child back to SCHED_OTHER");
	kill_child(child);

	CHECK(setsched(0, SCHED_OTHER | RESET_ON_FORK, 0) == 0 &&
		      syscall(SYS_sched_getscheduler, 0) == (SCHED_OTHER | RESET_ON_FORK) && getprio(0) == 0,
	      "SCHED_RESET_ON_FORK accepted, and reported by getscheduler");
	CHECK(setsched(0, SCHED_OTHER, 0) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER,
	      "back to SCHED_OTHER");
}

static void test_batch_idle(int dead)
{
	struct timespec ts;

	CHECK(setpriority(PRIO_PROCESS, 0, 4) == 0, "nice 4 before BATCH");
	CHECK(setsched(0, SCHED_BATCH, 0) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_BATCH &&
		      nice_of(0) == 4,
	      "SCHED_BATCH round trip keeps nice");
	CHECK(setsched(0, SCHED_IDLE, 0) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_IDLE,
	      "SCHED_IDLE round trip");
	CHECK(setsched(0, SCHED_OTHER, 0) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER &&
		      nice_of(0) == 4,
	      "back to SCHED_OTHER, nice kept");
	CHECK(setpriority(PRIO_PROCESS, 0, 0) == 0 && nice_of(0) == 0, "nice 0 again");
	CHECK(syscall(SYS_sched_rr_get_interval, 0, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec >= 0 &&
		      ts.tv_nsec < 1000000000,
	      "rr_get_interval: a slice under 1 s for SCHED_OTHER");
	CHECK(FAILS(syscall(SYS_sched_rr_get_interval, -1, &ts), EINVAL), "rr_get_interval(-1): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_rr_get_interval, dead, &ts), ESRCH),
	      "rr_get_interval(gone pid): ESRCH");
	CHECK(FAILS(syscall(SYS_sched_rr_get_interval, 0, BAD_PTR), EFAULT),
	      "rr_get_interval(bad pointer): EFAULT");
}

static void test_nice(int dead)
{
	CHECK(setpriority(PRIO_PROCESS, 0, 5) == 0 && nice_of(0) == 5, "setpriority 5, getpriority 5");
	CHECK(syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15, "raw getpriority returns 20 - nice");
	CHECK(setpriority(PRIO_PROCESS, getpid(), 100) == 0 && nice_of(getpid()) == 19,
	      "nice above 19 is clamped to 19");
	CHECK(setpriority(PRIO_PROCESS, 0, -100) == 0 && nice_of(0) == -20 &&
		      syscall(SYS_getpriority, PRIO_PROCESS, 0) == 40,
	      "nice below -20 is clamped to -20 (root may lower it)");
	CHECK(setpriority(PRIO_PROCESS, 0, 0) == 0, "nice 0");
	errno = 0;
	int n1 = nice(3);
	int e1 = errno;
	errno = 0;
	int n2 = nice(-1);
	CHECK(n1 == 3 && e1 == 0 && n2 == 2 && errno == 0 && nice_of(0) == 2, "nice(3) then nice(-1)");
	CHECK(FAILS(setpriority(3, 0, 0), EINVAL) && FAILS(syscall(SYS_getpriority, -1, 0), EINVAL),
	      "unknown 'which': EINVAL");
	CHECK(FAILS(setpriority(PRIO_PROCESS, dead, 0), ESRCH) &&
		      FAILS(syscall(SYS_getpriority, PRIO_PROCESS, dead), ESRCH),
	      "PRIO_PROCESS of a gone pid: ESRCH");
	CHECK(FAILS(syscall(SYS_getpriority, PRIO_PGRP, dead), ESRCH) &&
		      FAILS(setpriority(PRIO_PGRP, dead, 0), ESRCH),
	      "PRIO_PGRP of an empty group: ESRCH");
	CHECK(FAILS(syscall(SYS_getpriority, PRIO_USER, 12345), ESRCH) &&
		      FAILS(setpriority(PRIO_USER, 12345, 0), ESRCH),
	      "PRIO_USER of a uid without processes: ESRCH");
	errno = 0;
	int u = getpriority(PRIO_USER, 0);
	CHECK(errno == 0 && u >= -20 && u <= 2, "PRIO_USER 0: the lowest nice of our uid");

	/* A process group: ours, if we can lead one. */
	setpgid(0, 0);
	if (getpgrp() == getpid()) {
		int child = idle_child();
		CHECK(setpriority(PRIO_PGRP, 0, 7) == 0 && nice_of(0) == 7 && nice_of(child) == 7,
		      "PRIO_PGRP renices every member");
		CHECK(setpriority(PRIO_PROCESS, child, 9) == 0 && nice_of(child) == 9 && nice_of(0) == 7,
		      "PRIO_PROCESS renices one task");
		errno = 0;
		int g = getpriority(PRIO_PGRP, getpgrp());
		CHECK(errno == 0 && g == 7, "PRIO_PGRP reports the group's lowest nice");
		kill_child(child);
	} else {
		printf("# cannot lead a process group: PRIO_PGRP round trip skipped\n");
	}
	if (on_vireo()) { /* on a host this would renice every root process */
		CHECK(setpriority(PRIO_USER, 0, 6) == 0 && nice_of(0) == 6, "PRIO_USER renices our uid");
		setpriority(PRIO_USER, 0, 0);
	}
	CHECK(setpriority(PRIO_PROCESS, 0, 0) == 0 && nice_of(0) == 0, "nice back to 0");
}

static void test_attr(int dead)
{
	struct attr a;
	unsigned char big[128];

	memset(&a, 0xff, sizeof(a));
	CHECK(getattr(0, &a, sizeof(a)) == 0 && a.size == 56 && a.sched_policy == SCHED_OTHER &&
		      a.sched_nice == 0 && a.sched_priority == 0,
	      "getattr: size 56, SCHED_OTHER, nice 0");
	memset(&a, 0xff, sizeof(a));
	CHECK(getattr(0, &a, 48) == 0 && a.size == 48 && a.sched_policy == SCHED_OTHER &&
		      a.sched_util_min == 0xffffffff,
	      "getattr with the 48-byte struct: size 48, nothing past it written");
	memset(big, 0xff, sizeof(big));
	CHECK(getattr(0, big, sizeof(big)) == 0 && ((struct attr *)big)->size == 56,
	      "getattr with a bigger struct: size tells ours (56)");
	CHECK(FAILS(getattr(0, &a, 47), EINVAL), "getattr size below 48: EINVAL");
	if (on_vireo()) /* qemu-user shortens the size before the host sees it */
		CHECK(FAILS(getattr(0, &a, 8192), EINVAL), "getattr size above a page: EINVAL");
	CHECK(FAILS(syscall(SYS_sched_getattr, 0, &a, sizeof(a), 1), EINVAL) &&
		      FAILS(getattr(0, NULL, sizeof(a)), EINVAL) && FAILS(getattr(-1, &a, sizeof(a)), EINVAL),
	      "getattr flags, NULL, pid -1: EINVAL");
	CHECK(FAILS(getattr(dead, &a, sizeof(a)), ESRCH), "getattr(gone pid): ESRCH");
	CHECK(FAILS(getattr(0, BAD_PTR, sizeof(a)), EFAULT), "getattr(bad pointer): EFAULT");

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = 3;
	CHECK(setattr(0, &a) == 0 && nice_of(0) == 3, "setattr OTHER nice 3");
	a.sched_nice = 50;
	CHECK(setattr(0, &a) == 0 && nice_of(0) == 19, "setattr nice 50 clamps to 19");
	a.sched_nice = 5;
	a.sched_policy = SCHED_BATCH;
	a.sched_flags = FLAG_KEEP_POLICY;
	CHECK(setattr(0, &a) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && nice_of(0) == 5,
	      "setattr KEEP_POLICY: policy kept, nice set");
	a.sched_nice = 11;
	a.sched_flags = FLAG_KEEP_PARAMS; /* only the (unsupported) clamps would change */
	CHECK(setattr(0, &a) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && nice_of(0) == 5,
	      "setattr KEEP_PARAMS: policy and nice kept");
	a.sched_flags = FLAG_RESET_ON_FORK;
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = 0;
	long r = setattr(0, &a);
	CHECK(r == 0 && syscall(SYS_sched_getscheduler, 0) == (SCHED_OTHER | RESET_ON_FORK),
	      "setattr RESET_ON_FORK accepted");
	a.sched_flags = 0;
	CHECK(setattr(0, &a) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && nice_of(0) == 0,
	      "setattr back to OTHER nice 0");

	a.sched_policy = SCHED_RR;
	a.sched_priority = 15;
	if (setattr(0, &a) == 0) {
		struct attr b;
		memset(&b, 0, sizeof(b));
		CHECK(getattr(0, &b, sizeof(b)) == 0 && b.sched_policy == SCHED_RR && b.sched_priority == 15 &&
			      nice_of(0) == 0,
		      "setattr RR 15 round trip");
		a.sched_policy = SCHED_OTHER;
		a.sched_priority = 0;
		CHECK(setattr(0, &a) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER,
		      "setattr back to OTHER");
	} else {
		printf("# setattr RR: %s: skipped\n", strerror(errno));
	}
	a.sched_policy = SCHED_OTHER;
	a.sched_priority = 0;

	/* Size negotiation. */
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	((struct attr *)big)->size = 64;
	CHECK(setattr(0, (struct attr *)big) == 0, "setattr size 64, zero tail: accepted");
	big[60] = 1;
	CHECK(FAILS(setattr(0, (struct attr *)big), E2BIG) && ((struct attr *)big)->size == 56,
	      "setattr size 64, non-zero tail: E2BIG, size 56 written back");
	a.size = 40;
	CHECK(FAILS(setattr(0, &a), E2BIG) && a.size == 56, "setattr size 40: E2BIG, size 56 written back");
	a.size = 0;
	CHECK(setattr(0, &a) == 0, "setattr size 0 means the 48-byte struct");
	a.size = 8192;
	CHECK(FAILS(setattr(0, &a), E2BIG) && a.size == 56, "setattr size above a page: E2BIG");
	a.size = sizeof(a);

	CHECK(FAILS(syscall(SYS_sched_setattr, 0, &a, 1), EINVAL) && FAILS(setattr(0, NULL), EINVAL) &&
		      FAILS(setattr(-1, &a), EINVAL),
	      "setattr flags, NULL, pid -1: EINVAL");
	CHECK(FAILS(setattr(dead, &a), ESRCH), "setattr(gone pid): ESRCH");
	CHECK(FAILS(setattr(0, BAD_PTR), EFAULT), "setattr(bad pointer): EFAULT");
	a.sched_policy = 4;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr unknown policy: EINVAL");
	a.sched_policy = 6;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr SCHED_DEADLINE without parameters: EINVAL");
	a.sched_policy = SCHED_OTHER;
	a.sched_flags = 0x80;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr unknown flag: EINVAL");
	a.sched_flags = 0;
	a.sched_priority = 5;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr OTHER priority 5: EINVAL");
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = 0;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr FIFO priority 0: EINVAL");
	a.sched_priority = 100;
	CHECK(FAILS(setattr(0, &a), EINVAL), "setattr FIFO priority 100: EINVAL");
	CHECK(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && nice_of(0) == 0,
	      "failed setattr calls changed nothing");
}

/* Fork a child that exits 0 if what it finds about itself is as given:
 * sched_getscheduler (the RESET_ON_FORK bit included), RT priority, nice,
 * and sched_getattr's flags. */
static bool child_sees(int policy, int prio, int nice, uint64_t flags)
{
	int st = -1, pid = fork();

	if (pid == 0) {
		struct attr a;
		memset(&a, 0xff, sizeof(a));
		long pol = syscall(SYS_sched_getscheduler, 0);
		long ga = getattr(0, &a, sizeof(a));
		bool ok = pol == policy && getprio(0) == prio && nice_of(0) == nice && ga == 0 &&
			  a.sched_flags == flags;
		if (!ok)
			printf("# child: policy %#lx priority %d nice %d flags %#llx\n", pol, getprio(0),
			       nice_of(0), (unsigned long long)a.sched_flags);
		_exit(ok ? 0 : 1);
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Linux's sched_fork: a child of a SCHED_RESET_ON_FORK task starts as
 * SCHED_NORMAL nice 0 if the parent is RT, with nice 0 if the parent's
 * was negative, and without the flag. */
static void test_reset_on_fork(void)
{
	struct attr a;
	struct sched_param p = { 20 };

	CHECK(setpriority(PRIO_PROCESS, 0, -5) == 0 &&
		      setsched(0, SCHED_OTHER | RESET_ON_FORK, 0) == 0 &&
		      syscall(SYS_sched_getscheduler, 0) == (SCHED_OTHER | RESET_ON_FORK) && nice_of(0) == -5,
	      "OTHER | RESET_ON_FORK at nice -5");
	memset(&a, 0, sizeof(a));
	CHECK(getattr(0, &a, sizeof(a)) == 0 && a.sched_policy == SCHED_OTHER &&
		      a.sched_flags == FLAG_RESET_ON_FORK && a.sched_nice == -5,
	      "getattr reports SCHED_FLAG_RESET_ON_FORK");
	CHECK(child_sees(SCHED_OTHER, 0, 0, 0), "its child starts at nice 0, without the flag");
	CHECK(setpriority(PRIO_PROCESS, 0, 5) == 0 &&
		      syscall(SYS_sched_getscheduler, 0) == (SCHED_OTHER | RESET_ON_FORK),
	      "setpriority keeps the flag");
	CHECK(child_sees(SCHED_OTHER, 0, 5, 0), "a child keeps a positive nice (only a negative one is reset)");
	CHECK(setpriority(PRIO_PROCESS, 0, -3) == 0 && setsched(0, SCHED_BATCH | RESET_ON_FORK, 0) == 0 &&
		      child_sees(SCHED_BATCH, 0, 0, 0),
	      "BATCH | RESET_ON_FORK at nice -3: the child keeps BATCH, at nice 0");
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_flags = FLAG_KEEP_POLICY; /* and no RESET_ON_FORK: the task's flag is kept */
	a.sched_nice = -2;
	CHECK(setattr(0, &a) == 0 && syscall(SYS_sched_getscheduler, 0) == (SCHED_BATCH | RESET_ON_FORK) &&
		      nice_of(0) == -2,
	      "setattr KEEP_POLICY keeps the flag");
	CHECK(setsched(0, SCHED_BATCH, 0) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_BATCH &&
		      child_sees(SCHED_BATCH, 0, -2, 0),
	      "setscheduler without the flag clears it: the child keeps nice -2");

	if (setsched(0, SCHED_FIFO | RESET_ON_FORK, 10) != 0) {
		printf("# setscheduler FIFO: %s: RT RESET_ON_FORK skipped\n", strerror(errno));
	} else {
		CHECK(syscall(SYS_sched_getscheduler, 0) == (SCHED_FIFO | RESET_ON_FORK) && getprio(0) == 10,
		      "FIFO 10 | RESET_ON_FORK round trip");
		CHECK(child_sees(SCHED_OTHER, 0, 0, 0),
		      "the child of a FIFO | RESET_ON_FORK task starts as SCHED_OTHER, nice 0, no flag");
		CHECK(syscall(SYS_sched_setparam, 0, &p) == 0 &&
			      syscall(SYS_sched_getscheduler, 0) == (SCHED_FIFO | RESET_ON_FORK) && getprio(0) == 20,
		      "setparam keeps the flag");
		CHECK(setsched(0, SCHED_FIFO, 10) == 0 && syscall(SYS_sched_getscheduler, 0) == SCHED_FIFO &&
			      child_sees(SCHED_FIFO, 10, -2, 0),
		      "without the flag, the child of a FIFO task is FIFO at its priority and nice");
	}
	CHECK(setsched(0, SCHED_OTHER, 0) == 0 && setpriority(PRIO_PROCESS, 0, 0) == 0 &&
		      syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && nice_of(0) == 0,
	      "back to SCHED_OTHER nice 0, no flag");
}

static int raw_getcpu(unsigned int *cpu, unsigned int *node)
{
	return (int)syscall(SYS_getcpu, cpu, node, NULL);
}

static void test_affinity(int dead)
{
	cpu_set_t orig, s, got;
	unsigned int cpu = ~0U, node = ~0U;

	CHECK(sched_getaffinity(0, sizeof(orig), &orig) == 0 && CPU_COUNT(&orig) >= 1,
	      "getaffinity: at least one hart");
	CHECK(raw_getcpu(&cpu, &node) == 0 && CPU_ISSET(cpu, &orig) && node < 1024, "getcpu: an allowed hart");
	CHECK(raw_getcpu(NULL, NULL) == 0, "raw_getcpu(NULL, NULL)");
	CHECK(FAILS(raw_getcpu(BAD_PTR, NULL), EFAULT) && FAILS(raw_getcpu(NULL, BAD_PTR), EFAULT),
	      "raw_getcpu(bad pointer): EFAULT");

	int n = 0, bad = 0;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &orig))
			continue;
		n++;
		CPU_ZERO(&s);
		CPU_SET(c, &s);
		CPU_ZERO(&got);
		if (sched_setaffinity(0, sizeof(s), &s) || sched_getaffinity(0, sizeof(got), &got) ||
		    !CPU_EQUAL(&s, &got)) {
			printf("# affinity round trip failed for hart %d\n", c);
			bad++;
			continue;
		}
		/* setaffinity returns on an allowed hart, and it stays there. */
		if (raw_getcpu(&cpu, NULL) || cpu != (unsigned int)c) {
			printf("# pinned to %d, getcpu says %u\n", c, cpu);
			bad++;
		}
		sched_yield();
		if (raw_getcpu(&cpu, NULL) || cpu != (unsigned int)c) {
			printf("# pinned to %d, after a yield getcpu says %u\n", c, cpu);
			bad++;
		}
	}
	printf("# pinned to each of %d harts in turn\n", n);
	CHECK(bad == 0, "pinned to each allowed hart: getaffinity and getcpu agree");

	/* A child inherits the mask; a mask set by pid moves the child. */
	int first = -1;
	for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
		if (CPU_ISSET(c, &orig))
			first = c;
	CPU_ZERO(&s);
	CPU_SET(first, &s);
	sched_setaffinity(0, sizeof(s), &s);
	int child = idle_child();
	CHECK(sched_getaffinity(child, sizeof(got), &got) == 0 && CPU_EQUAL(&got, &s),
	      "a child inherits the affinity");
	kill_child(child);
	sched_setaffinity(0, sizeof(orig), &orig);

	volatile int *where = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	child = fork();
	if (child == 0) {
		alarm(30);
		for (;;) {
			unsigned int c;
			if (raw_getcpu(&c, NULL) == 0)
				*where = (int)c;
			usleep(1000);
		}
	}
	bad = 0;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &orig))
			continue;
		CPU_ZERO(&s);
		CPU_SET(c, &s);
		*where = -1;
		if (sched_setaffinity(child, sizeof(s), &s) || sched_getaffinity(child, sizeof(got), &got) ||
		    !CPU_EQUAL(&s, &got)) {
			bad++;
			continue;
		}
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			usleep(1000);
			clock_gettime(CLOCK_MONOTONIC, &t1);
		} while (*where != c && (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec < 2000000000L);
		if (*where != c) {
			printf("# child pinned to %d reports %d\n", c, *where);
			bad++;
		}
	}
	CHECK(bad == 0, "setaffinity(child pid) moves the child to each hart");
	kill_child(child);
	munmap((void *)where, 4096);

	/* Errors. */
	CPU_ZERO(&s);
	CHECK(FAILS(sched_setaffinity(0, sizeof(s), &s), EINVAL), "setaffinity(empty mask): EINVAL");
	CPU_SET(CPU_SETSIZE - 1, &s);
	CHECK(FAILS(sched_setaffinity(0, sizeof(s), &s), EINVAL), "setaffinity(no such hart): EINVAL");
	CHECK(FAILS(syscall(SYS_sched_setaffinity, 0, sizeof(s), BAD_PTR), EFAULT),
	      "setaffinity(bad pointer): EFAULT");
	CHECK(FAILS(sched_setaffinity(dead, sizeof(orig), &orig), ESRCH), "setaffinity(gone pid): ESRCH");
	CHECK(FAILS(syscall(SYS_sched_getaffinity, 0, 4, &got), EINVAL) &&
		      FAILS(syscall(SYS_sched_getaffinity, 0, 0, &got), EINVAL),
	      "getaffinity with a too small length: EINVAL");
	CHECK(sched_getaffinity(0, sizeof(got), &got) == 0 && CPU_EQUAL(&got, &orig),
	      "failed calls left the mask alone");
}

int main(void)
{
	KTAP_START("sched_api");
	alarm(120); /* a hang fails the test */
	int dead = dead_pid();

	test_ranges();
	test_policy_errors(dead);
	test_policy_roundtrip();
	test_batch_idle(dead);
	test_nice(dead);
	test_attr(dead);
	test_reset_on_fork();
	test_affinity(dead);
	return ktap_done();
}
