/* Boot test: real-time balancing between harts (proc/sched/rt.c), checked
 * against Linux's rules, so that it passes under qemu-riscv64 as root too:
 * (a) N SCHED_FIFO busy tasks of one priority, forked on one hart, end up
 *     one per hart (push/pull);
 * (b) a FIFO task woken while its own hart runs a better one goes to the
 *     hart running the lowest priority and preempts it at once
 *     (select_task_rq_rt);
 * (c) beside two FIFO tasks pinned to one hart, a free one of the same
 *     priority never goes there (equal is not lower; affinity holds);
 * (d) a FIFO task preempted by a better one moves to an idle hart (push
 *     after the switch).
 *
 * The parent is SCHED_FIFO 90 pinned to the first hart, so it gets the
 * hart back while the children spin. The children report through a
 * MAP_SHARED page; every check is about placement after a settling period,
 * none is a time bound. Without the right to use SCHED_FIFO (EPERM) the
 * test is skipped. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define MAXC 64 /* children, and harts the masks below can name */
#define MS 1000000LL

struct shared {
	volatile int cpu[MAXC];             /* where child i last ran */
	volatile unsigned long count[MAXC]; /* child i's loop count */
	volatile unsigned long seen[MAXC];  /* harts child i has run on, a bit each */
	volatile int ready;                 /* (b): the sleeper is about to block */
	volatile int woke_cpu;              /* (b): where it ran first after waking */
	volatile long victim_ran;           /* (b): the lowest task's progress while it spun */
};
static struct shared *sh;

static int ncpu, hart[MAXC]; /* the harts we may use, in order */
static int pids[MAXC], npids;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * MS };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int set_fifo(int pid, int prio)
{
	struct sched_param p = { prio };
	return sched_setscheduler(pid, SCHED_FIFO, &p);
}

static void set_mask(int pid, int first, int n)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	for (int i = first; i < first + n; i++)
		CPU_SET(hart[i], &s);
	sched_setaffinity(pid, sizeof(s), &s);
}

static void note_cpu(int i)
{
	int c = sched_getcpu();
	sh->cpu[i] = c;
	if (c >= 0 && c < MAXC)
		sh->seen[i] |= 1UL << c;
	sh->count[i]++;
}

static void __attribute__((noreturn)) spin_child(int i)
{
	alarm(60); /* never outlive a broken parent */
	for (;;)
		note_cpu(i);
}

/* A busy child: forked here (it inherits FIFO 90 and the pin to hart[0],
 * so it waits behind us), then given its priority and its harts
 * hart[first..first+n-1]. Linux and Vireo both keep it queued on our hart
 * until balancing moves it. */
static int start_spinner(int i, int prio, int first, int n)
{
	sh->cpu[i] = -1;
	sh->count[i] = 0;
	sh->seen[i] = 0;
	int pid = fork();
	if (pid == 0)
		spin_child(i);
	set_mask(pid, first, n);
	set_fifo(pid, prio);
	pids[npids++] = pid;
	return pid;
}

static void stop_children(void)
{
	for (int i = 0; i < npids; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < npids; i++)
		waitpid(pids[i], NULL, 0);
	npids = 0;
}

/* Do children first..first+n-1 each make progress? A child waiting
 * behind an equal FIFO task never does; the others do within
 * milliseconds, but a hart of an emulator on a loaded host may stand still
 * for a while: give them up to 3 s. */
static bool all_advance(int first, int n)
{
	unsigned long before[MAXC];
	bool ok = false;

	for (int i = first; i < first + n; i++)
		before[i] = sh->count[i];
	for (int t = 0; t < 300 && !ok; t++) {
		sleep_ms(10);
		ok = true;
		for (int i = first; i < first + n; i++)
			ok = ok && sh->count[i] != before[i];
	}
	for (int i = first; i < first + n && !ok; i++)
		if (sh->count[i] == before[i])
			printf("# child %d (on cpu %d) made no progress\n", i, sh->cpu[i]);
	return ok;
}

/* (a) */
static void spread(void)
{
	for (int i = 0; i < ncpu; i++)
		start_spinner(i, 10, 0, ncpu);
	sleep_ms(300); /* we sleep: hart[0] runs one, the others are pushed away */
	bool run = all_advance(0, ncpu);
	bool distinct = true;
	unsigned long used = 0;
	for (int i = 0; i < ncpu; i++) {
		int c = sh->cpu[i];
		printf("# FIFO 10 child %d on cpu %d\n", i, c);
		if (c < 0 || c >= MAXC || (used & (1UL << c)))
			distinct = false;
		else
			used |= 1UL << c;
	}
	CHECK(run, "N FIFO tasks of one priority forked on one hart: each of them runs");
	CHECK(distinct, "and each on a hart of its own");
	stop_children();
}

/* (b) */
static void __attribute__((noreturn)) sleeper(int i, int fd, int victim)
{
	char b;

	alarm(60);
	note_cpu(i);
	sh->ready = 1;
	if (read(fd, &b, 1) != 1)
		_exit(1);
	sh->woke_cpu = sched_getcpu();
	unsigned long v0 = sh->count[victim];
	for (long long end = now_ns() + 100 * MS; now_ns() < end;)
		;
	sh->victim_ran = (long)(sh->count[victim] - v0);
	_exit(0);
}

static void wake_to_lowest(void)
{
	int fd[2], st = -1;
	int victim = ncpu - 1, s = ncpu; /* the lowest priority runs on the last hart */

	/* hart[k] runs FIFO 30-k, pinned, for k >= 1: all below the sleeper's 50. */
	for (int k = 1; k < ncpu; k++)
		start_spinner(k, 30 - k, k, 1);
	if (pipe(fd))
		return;
	sh->ready = 0;
	sh->woke_cpu = -1;
	int pid = fork();
	if (pid == 0)
		sleeper(s, fd[0], victim);
	set_fifo(pid, 50); /* still pinned to our hart: it goes to sleep there */
	while (!sh->ready)
		sleep_ms(1);
	sleep_ms(10);
	set_mask(pid, 0, ncpu); /* asleep: free to go anywhere when woken */
	CHECK(all_advance(1, ncpu - 1), "lower FIFO tasks run on every other hart");
	/* We run here (FIFO 90, better than its 50) as we wake it: it must
	 * go to the hart running the lowest priority, and preempt that. */
	if (write(fd[1], "x", 1) != 1)
		printf("# write: %s\n", strerror(errno));
	waitpid(pid, &st, 0);
	close(fd[0]);
	close(fd[1]);
	printf("# woken FIFO 50 task ran on cpu %d (lowest priority on cpu %d), which advanced %ld "
	       "meanwhile\n",
	       sh->woke_cpu, hart[victim], sh->victim_ran);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the woken task ran and exited");
	CHECK(sh->woke_cpu == hart[victim], "a FIFO task woken beside a better one goes to the lowest-priority hart");
	CHECK(sh->victim_ran == 0, "and preempts the task there at once: it makes no progress meanwhile");
	stop_children();
}

/* (c) */
static void pinned_pair(void)
{
	int h = ncpu - 1, f = 2;

	start_spinner(0, 20, h, 1);
	start_spinner(1, 20, h, 1);
	start_spinner(f, 20, 0, ncpu);
	sleep_ms(100);
	/* We wake on hart[0] again and again meanwhile, preempting whatever
	 * runs there: each time a push looks for a better place. */
	for (int k = 0; k < 25; k++)
		sleep_ms(20);
	bool f_runs = all_advance(f, 1);
	printf("# free task: harts seen %#lx, now on cpu %d; pinned pair on cpu %d, %d\n", sh->seen[f],
	       sh->cpu[f], sh->cpu[0], sh->cpu[1]);
	CHECK(f_runs, "a free FIFO task beside two pinned to one hart runs");
	CHECK(!(sh->seen[f] & (1UL << hart[h])), "and never runs on the pinned pair's hart (equal is not lower)");
	CHECK(!(sh->seen[0] & ~(1UL << hart[h])) && !(sh->seen[1] & ~(1UL << hart[h])),
	      "the pinned pair stays on its hart");
	stop_children();
}

/* (d) */
static void push_preempted(void)
{
	int x = 0;

	start_spinner(x, 10, 0, 1); /* pinned to our hart for now */
	sleep_ms(50);
	int before = sh->cpu[x];
	set_mask(pids[0], 0, ncpu); /* now free, queued behind us */
	/* We sleep (it runs here again), wake (preempting it: now it may be
	 * pushed to an idle hart), many times over. */
	for (int k = 0; k < 10; k++)
		sleep_ms(20);
	bool runs = all_advance(x, 1);
	printf("# FIFO 10 task ran on cpu %d, after being preempted there on cpu %d (harts seen %#lx)\n",
	       before, sh->cpu[x], sh->seen[x]);
	CHECK(before == hart[0] && runs, "a FIFO task runs on our hart, then keeps running");
	CHECK(sh->cpu[x] != hart[0], "preempted by a better task, it moves to an idle hart");
	stop_children();
}

int main(void)
{
	cpu_set_t all;

	KTAP_START("sched_rtbal");
	alarm(120); /* a hang fails the test */
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset((void *)sh, 0, sizeof(*sh));
	sched_getaffinity(0, sizeof(all), &all);
	for (int c = 0; c < MAXC && ncpu < MAXC - 1; c++)
		if (CPU_ISSET(c, &all))
			hart[ncpu++] = c;
	printf("# %d harts\n", ncpu);

	set_mask(0, 0, 1);
	if (set_fifo(0, 90) != 0) {
		printf("# sched_setscheduler: %s\n", strerror(errno));
		CHECK(errno == EPERM, "SCHED_FIFO refused for want of privilege # SKIP");
		return ktap_done();
	}
	CHECK(sched_getcpu() == hart[0], "parent: SCHED_FIFO 90 on the first hart");

	spread();
	if (ncpu < 2) {
		CHECK(1, "one hart: nothing to balance # SKIP");
		return ktap_done();
	}
	wake_to_lowest();
	pinned_pair();
	push_preempted();
	struct sched_param p = { 0 };
	sched_setscheduler(0, SCHED_OTHER, &p);
	return ktap_done();
}
