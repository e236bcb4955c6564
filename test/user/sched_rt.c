/* Boot test: real-time scheduling on one hart: (a) SCHED_FIFO preempts
 * CFS at once, (b) two SCHED_RR tasks of one priority take turns, (c) RT
 * throttling leaves CFS a few percent beside a SCHED_FIFO busy loop.
 *
 * Everything is pinned to one hart; results come back through MAP_SHARED
 * memory and waitpid. Timing-dependent: run it in the kernel, not under
 * qemu-user. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define MS 1000000LL

struct shared {
	volatile unsigned long counter;     /* (a): the CFS child's loop count */
	volatile unsigned long rr_count[2]; /* (b): each RR child's loop count */
	volatile int rr_turns[2];           /* (b): times each got the hart back */
	volatile int rr_go;
	volatile long long rr_deadline;
	volatile long long cfs_cpu_ns;      /* (c): the CFS child's CPU time */
};
static struct shared *sh;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void spin_for(long long ns)
{
	long long end = now_ns() + ns;
	while (now_ns() < end)
		;
}

static int set_policy(int pid, int policy, int prio)
{
	struct sched_param p = { prio };
	return sched_setscheduler(pid, policy, &p);
}

/* Poll cond (sleeping 1 ms at a time) for up to ms milliseconds. */
#define WAIT_FOR(cond, ms)                                             \
	({                                                             \
		long long __end = now_ns() + (ms) * MS;                \
		while (!(cond) && now_ns() < __end)                    \
			usleep(1000);                                  \
		(cond);                                                \
	})

static bool killed_by_sigkill(int pid)
{
	int st = 0;
	kill(pid, SIGKILL);
	return waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

/* (a) */
static void fifo_preempts_cfs(void)
{
	int pid = fork();
	if (pid == 0) {
		alarm(30);
		for (;;)
			sh->counter++;
	}
	CHECK(WAIT_FOR(sh->counter > 1000, 2000), "CFS child runs beside CFS parent");

	CHECK(set_policy(0, SCHED_FIFO, 50) == 0, "parent becomes SCHED_FIFO 50");
	unsigned long c0 = sh->counter;
	spin_for(50 * MS);
	unsigned long c1 = sh->counter;
	printf("# CFS counter during 50 ms of FIFO: %lu -> %lu\n", c0, c1);
	CHECK(c1 == c0, "CFS child does not run during the FIFO task's 50 ms busy loop");

	/* Asleep, the FIFO task leaves the hart to CFS; woken, it takes it back. */
	usleep(20000);
	unsigned long c2 = sh->counter;
	spin_for(30 * MS);
	unsigned long c3 = sh->counter;
	printf("# after a 20 ms sleep: %lu -> %lu during 30 ms of FIFO\n", c2, c3);
	CHECK(c2 > c1, "CFS child runs while the FIFO task sleeps");
	CHECK(c3 == c2, "woken FIFO task preempts the CFS child at once");

	CHECK(set_policy(0, SCHED_OTHER, 0) == 0, "parent back to SCHED_OTHER");
	CHECK(killed_by_sigkill(pid), "CFS child reaped");
}

static void rr_child(int i)
{
	alarm(30);
	while (!sh->rr_go)
		;
	long long last = now_ns();
	for (;;) {
		for (int k = 0; k < 1000; k++)
			sh->rr_count[i]++;
		long long t = now_ns();
		if (t >= sh->rr_deadline)
			break;
		if (t - last > 5 * MS) /* the other one had the hart meanwhile */
			sh->rr_turns[i]++;
		last = t;
	}
	_exit(0);
}

/* (b) */
static void rr_alternate(void)
{
	int pid[2], st[2] = { -1, -1 };

	/* Above the RR pair, so they start only when we block in waitpid. */
	CHECK(set_policy(0, SCHED_FIFO, 60) == 0, "parent becomes SCHED_FIFO 60");
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			rr_child(i);
	}
	CHECK(set_policy(pid[0], SCHED_RR, 50) == 0 && set_policy(pid[1], SCHED_RR, 50) == 0 &&
		      sched_getscheduler(pid[0]) == SCHED_RR && sched_getscheduler(pid[1]) == SCHED_RR,
	      "two children become SCHED_RR 50");
	sh->rr_deadline = now_ns() + 400 * MS;
	sh->rr_go = 1;
	for (int i = 0; i < 2; i++)
		waitpid(pid[i], &st[i], 0);
	CHECK(WIFEXITED(st[0]) && WEXITSTATUS(st[0]) == 0 && WIFEXITED(st[1]) && WEXITSTATUS(st[1]) == 0,
	      "both RR children finish their 400 ms and exit 0");

	unsigned long a = sh->rr_count[0], b = sh->rr_count[1];
	double share = a + b ? (double)a / (double)(a + b) : 0;
	printf("# RR counts %lu and %lu (%.0f%% / %.0f%%), turns regained %d and %d\n", a, b,
	       100 * share, 100 * (1 - share), sh->rr_turns[0], sh->rr_turns[1]);
	CHECK(a > 0 && b > 0, "both RR tasks make progress");
	CHECK(share >= 0.30 && share <= 0.70, "each RR task gets 30-70% of the hart");
	CHECK(sh->rr_turns[0] >= 1 && sh->rr_turns[1] >= 1, "the RR tasks alternate: each gets the hart back");
	CHECK(set_policy(0, SCHED_OTHER, 0) == 0, "parent back to SCHED_OTHER");
}

/* (c) */
static void rt_throttling(void)
{
	int pid = fork();
	if (pid == 0) {
		alarm(30);
		for (;;)
			sh->cfs_cpu_ns = thread_cpu_ns();
	}
	CHECK(WAIT_FOR(sh->cfs_cpu_ns > 5 * MS, 2000), "CFS child runs");
	/* No RT task for over a period (1 s): the next period starts with the
	 * loop, so its 2 s hold two throttled ends of periods (~5% for CFS). */
	usleep(1100000);

	CHECK(set_policy(0, SCHED_FIFO, 50) == 0, "parent becomes SCHED_FIFO 50");
	long long t0 = sh->cfs_cpu_ns, start = now_ns();
	spin_for(2000 * MS);
	long long t1 = sh->cfs_cpu_ns, wall = now_ns() - start;
	CHECK(set_policy(0, SCHED_OTHER, 0) == 0, "parent back to SCHED_OTHER");

	double share = (double)(t1 - t0) / (double)wall;
	printf("# CFS got %.1f ms of %.1f ms beside the FIFO loop (%.1f%%)\n", (t1 - t0) / 1e6,
	       wall / 1e6, 100 * share);
	CHECK(share >= 0.02, "RT throttling: CFS gets at least 2% beside a FIFO busy loop");
	CHECK(share <= 0.25, "and the FIFO task still gets most of the hart");
	CHECK(killed_by_sigkill(pid), "CFS child reaped");
}

int main(void)
{
	cpu_set_t all, one;

	KTAP_START("sched_rt");
	alarm(60); /* a kernel that hangs fails */
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset(sh, 0, sizeof(*sh));

	/* Everything on the first allowed hart (children inherit the mask). */
	sched_getaffinity(0, sizeof(all), &all);
	int cpu = 0;
	while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &all))
		cpu++;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0 && sched_getcpu() == cpu, "pinned to one hart");

	fifo_preempts_cfs();
	rr_alternate();
	rt_throttling();
	return ktap_done();
}
