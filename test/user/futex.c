/* Boot test: futex(2) and the robust list. Raw syscall checks of every
 * errno case, timeouts, then pthread-based tests (mutex, condition variable,
 * requeue, bitsets, a shared futex across fork, robust mutexes).
 * Passes on Linux (qemu-riscv64) too; robust-list checks are skipped where
 * set_robust_list is missing (qemu-user). */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define SKIP(name, why)                                                   \
	do {                                                              \
		ktap_n++;                                                 \
		printf("ok %d %s # SKIP %s\n", ktap_n, name, why);        \
		fflush(stdout);                                           \
	} while (0)

/* futex(2) returning -errno, so a check reads like the kernel's code. */
static long sys_futex(void *uaddr, int op, unsigned int val, const void *timeout_or_val2,
		      void *uaddr2, unsigned int val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
	return r < 0 ? -errno : r;
}

static long raw3(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);
	return r < 0 ? -errno : r;
}

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
	return ts;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

#define BAD_USER ((void *)0x6fff00000000L)          /* unmapped user address */
#define KERNEL_ADDR ((void *)0xffff800080200000UL) /* kernel half */

/* ---- errors ---- */

static void test_errors(void)
{
	static _Alignas(8) uint32_t w[2];
	struct timespec ts = { 0, 1000000 };
	long r;

	w[0] = 0;
	CHECK(sys_futex((char *)w + 1, FUTEX_WAIT, 0, NULL, NULL, 0) == -EINVAL,
	      "FUTEX_WAIT on an unaligned word: EINVAL");
	CHECK(sys_futex((char *)w + 2, FUTEX_WAKE, 1, NULL, NULL, 0) == -EINVAL,
	      "FUTEX_WAKE on an unaligned word: EINVAL");
	CHECK(sys_futex(w, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0) == -EINVAL,
	      "FUTEX_WAIT_BITSET with bitset 0: EINVAL");
	CHECK(sys_futex(w, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0) == -EINVAL,
	      "FUTEX_WAKE_BITSET with bitset 0: EINVAL");
	/* Linux allows FUTEX_CLOCK_REALTIME only with the absolute waits. */
	CHECK(sys_futex(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, 0) == -ENOSYS,
	      "FUTEX_WAIT with FUTEX_CLOCK_REALTIME: ENOSYS");
	CHECK(sys_futex(w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) == -ENOSYS,
	      "FUTEX_WAKE with FUTEX_CLOCK_REALTIME: ENOSYS");
	CHECK(sys_futex(w, 77, 0, NULL, NULL, 0) == -ENOSYS, "unknown futex op: ENOSYS");
	CHECK(sys_futex(w, 2 /* FUTEX_FD */, 0, NULL, NULL, 0) == -ENOSYS, "FUTEX_FD: ENOSYS");
	/* PI futexes: Linux implements them (the lock is taken), Vireo says ENOSYS. */
	w[0] = 0;
	r = sys_futex(w, FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
	CHECK(r == -ENOSYS || (r == 0 && w[0] == (uint32_t)gettid()),
	      "FUTEX_LOCK_PI: ENOSYS or implemented");
	w[0] = 0;

	/* Faults */
	CHECK(sys_futex(BAD_USER, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0) == -EFAULT,
	      "private FUTEX_WAIT on an unmapped word: EFAULT");
	CHECK(sys_futex(BAD_USER, FUTEX_WAIT, 0, NULL, NULL, 0) == -EFAULT,
	      "shared FUTEX_WAIT on an unmapped word: EFAULT");
	CHECK(sys_futex(BAD_USER, FUTEX_WAKE, 1, NULL, NULL, 0) == -EFAULT,
	      "shared FUTEX_WAKE on an unmapped word: EFAULT");
	CHECK(sys_futex(BAD_USER, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0) == 0,
	      "private FUTEX_WAKE never reads the word: 0 woken");
	CHECK(sys_futex(KERNEL_ADDR, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0) == -EFAULT,
	      "FUTEX_WAKE on a kernel address: EFAULT");
	CHECK(sys_futex(KERNEL_ADDR, FUTEX_WAIT, 0, NULL, NULL, 0) == -EFAULT,
	      "FUTEX_WAIT on a kernel address: EFAULT");
	CHECK(sys_futex(w, FUTEX_WAIT, 0, BAD_USER, NULL, 0) == -EFAULT,
	      "FUTEX_WAIT with an unmapped timeout: EFAULT");

	/* Bad timeouts are refused before the word is looked at. */
	struct timespec bad1 = { 0, -1 }, bad2 = { 0, 1000000000 }, bad3 = { -1, 0 };
	CHECK(sys_futex(w, FUTEX_WAIT, 0, &bad1, NULL, 0) == -EINVAL, "timeout tv_nsec -1: EINVAL");
	CHECK(sys_futex(w, FUTEX_WAIT, 0, &bad2, NULL, 0) == -EINVAL, "timeout tv_nsec 1e9: EINVAL");
	CHECK(sys_futex(w, FUTEX_WAIT, 1, &bad3, NULL, 0) == -EINVAL,
	      "timeout tv_sec -1: EINVAL (even when the value differs)");
	CHECK(sys_futex(w, FUTEX_WAIT_BITSET, 0, &bad2, NULL, ~0u) == -EINVAL,
	      "FUTEX_WAIT_BITSET with a bad timeout: EINVAL");

	/* Value mismatch */
	w[0] = 5;
	CHECK(sys_futex(w, FUTEX_WAIT, 4, NULL, NULL, 0) == -EAGAIN, "FUTEX_WAIT, value differs: EAGAIN");
	CHECK(sys_futex(w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 6, NULL, NULL, 0) == -EAGAIN,
	      "private FUTEX_WAIT, value differs: EAGAIN");
	CHECK(sys_futex(w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 1) == -EAGAIN,
	      "FUTEX_WAIT_BITSET, value differs: EAGAIN");

	CHECK(sys_futex(w, FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "FUTEX_WAKE without waiters: 0");
	CHECK(sys_futex(w, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 3) == 0,
	      "FUTEX_WAKE_BITSET without waiters: 0");

	/* Requeue */
	CHECK(sys_futex(w, FUTEX_CMP_REQUEUE, 1, (void *)1, w + 1, 4) == -EAGAIN,
	      "FUTEX_CMP_REQUEUE, value differs: EAGAIN");
	CHECK(sys_futex(w, FUTEX_CMP_REQUEUE, 1, (void *)1, w + 1, 5) == 0,
	      "FUTEX_CMP_REQUEUE without waiters: 0");
	CHECK(sys_futex(w, FUTEX_CMP_REQUEUE, (unsigned)-1, (void *)1, w + 1, 5) == -EINVAL,
	      "FUTEX_CMP_REQUEUE with nr_wake < 0: EINVAL");
	CHECK(sys_futex(w, FUTEX_CMP_REQUEUE, 1, (void *)(long)-1, w + 1, 5) == -EINVAL,
	      "FUTEX_CMP_REQUEUE with nr_requeue < 0: EINVAL");
	CHECK(sys_futex(w, FUTEX_CMP_REQUEUE, 1, (void *)1, (char *)w + 6, 5) == -EINVAL,
	      "FUTEX_CMP_REQUEUE to an unaligned word: EINVAL");
	CHECK(sys_futex(w, FUTEX_REQUEUE, 1, (void *)1, BAD_USER, 0) == -EFAULT,
	      "shared FUTEX_REQUEUE to an unmapped word: EFAULT");
	CHECK(sys_futex(w, FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG, 1, (void *)1, w + 1, 0) == 0,
	      "FUTEX_REQUEUE without waiters: 0");

	/* FUTEX_WAKE_OP: *uaddr2 changes atomically even with no waiters. */
	w[1] = 10;
	CHECK(sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, w + 1,
			FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 10)) == 0 && w[1] == 15,
	      "FUTEX_WAKE_OP ADD 5: the word becomes 15, nobody woken");
	CHECK(sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, w + 1,
			FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 8, FUTEX_OP_CMP_GT, 0)) == 0 &&
		      w[1] == (15 | 256),
	      "FUTEX_WAKE_OP OR (1 << 8): the word becomes 271");
	CHECK(sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, w + 1,
			FUTEX_OP(FUTEX_OP_ANDN, 0xff, FUTEX_OP_CMP_NE, 0)) == 0 && w[1] == 256,
	      "FUTEX_WAKE_OP ANDN 0xff: the word becomes 256");
	CHECK(sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, w + 1,
			(7u << 28)) == -ENOSYS,
	      "FUTEX_WAKE_OP with an unknown operation: ENOSYS");
	CHECK(sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, BAD_USER,
			FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == -EFAULT,
	      "FUTEX_WAKE_OP on an unmapped word: EFAULT");
	const uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED &&
		      sys_futex(w, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1, (void *)ro,
				FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)) == -EFAULT,
	      "FUTEX_WAKE_OP on a read-only word: EFAULT");
	munmap((void *)ro, 4096);
}

/* ---- timeouts ---- */

static void test_timeouts(void)
{
	static uint32_t w;
	struct timespec ts = { 0, 10 * 1000000L }, zero = { 0, 0 };
	uint64_t t0, dt;
	long r;

	t0 = now_ns(CLOCK_MONOTONIC);
	r = sys_futex(&w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ts, NULL, 0);
	dt = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(r == -ETIMEDOUT, "FUTEX_WAIT with a 10 ms timeout: ETIMEDOUT");
	CHECK(dt >= 10000000ull, "... after at least 10 ms");
	printf("# waited %llu us\n", (unsigned long long)(dt / 1000));

	t0 = now_ns(CLOCK_MONOTONIC);
	r = sys_futex(&w, FUTEX_WAIT, 0, &ts, NULL, 0);
	dt = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(r == -ETIMEDOUT && dt >= 10000000ull, "shared FUTEX_WAIT, 10 ms: ETIMEDOUT after >= 10 ms");

	CHECK(sys_futex(&w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &zero, NULL, 0) == -ETIMEDOUT,
	      "FUTEX_WAIT with a zero timeout: ETIMEDOUT");
	CHECK(sys_futex(&w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, &zero, NULL, 0) == -EAGAIN,
	      "FUTEX_WAIT with a zero timeout, value differs: EAGAIN");

	/* WAIT_BITSET: absolute deadlines. */
	struct timespec past = ns_to_ts(now_ns(CLOCK_MONOTONIC) - 1000);
	CHECK(sys_futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &past, NULL, ~0u) == -ETIMEDOUT,
	      "FUTEX_WAIT_BITSET with a past CLOCK_MONOTONIC deadline: ETIMEDOUT");
	uint64_t dl = now_ns(CLOCK_MONOTONIC) + 10000000ull;
	struct timespec abs = ns_to_ts(dl);
	r = sys_futex(&w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &abs, NULL, 1);
	CHECK(r == -ETIMEDOUT && now_ns(CLOCK_MONOTONIC) >= dl,
	      "FUTEX_WAIT_BITSET, deadline now + 10 ms (CLOCK_MONOTONIC): ETIMEDOUT at the deadline");
	dl = now_ns(CLOCK_REALTIME) + 10000000ull;
	abs = ns_to_ts(dl);
	r = sys_futex(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, ~0u);
	CHECK(r == -ETIMEDOUT && now_ns(CLOCK_REALTIME) >= dl,
	      "FUTEX_WAIT_BITSET, deadline now + 10 ms (CLOCK_REALTIME): ETIMEDOUT at the deadline");
}

/* ---- signals ---- */

static uint32_t sig_word;
static void on_alarm(int sig)
{
	(void)sig;
	sig_word = 1; /* a restarted FUTEX_WAIT(0) then sees 1: EAGAIN */
}

static void arm_alarm(bool restart)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 20000 } }; /* 20 ms, once */

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_signals(void)
{
	struct timespec ts = { 5, 0 };
	long r;

	/* A timed wait comes back with EINTR (SA_RESTART or not). Timed
	 * first: if signals do not work it ends anyway, after 5 s. */
	sig_word = 0;
	arm_alarm(true);
	r = sys_futex(&sig_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ts, NULL, 0);
	CHECK(r == -EINTR, "timed FUTEX_WAIT interrupted by a handled signal: EINTR");
	if (r != -EINTR) {
		SKIP("untimed FUTEX_WAIT interrupted, no SA_RESTART: EINTR", "signals do not interrupt");
		SKIP("untimed FUTEX_WAIT restarted after SA_RESTART handler: EAGAIN", "signals do not interrupt");
		return;
	}
	sig_word = 0;
	arm_alarm(false);
	r = sys_futex(&sig_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
	CHECK(r == -EINTR, "untimed FUTEX_WAIT interrupted, no SA_RESTART: EINTR");
	/* -ERESTARTSYS: with SA_RESTART the call is made again, and the
	 * handler changed the word, so the repeated wait says EAGAIN. */
	sig_word = 0;
	arm_alarm(true);
	r = sys_futex(&sig_word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
	CHECK(r == -EAGAIN, "untimed FUTEX_WAIT restarted after SA_RESTART handler: EAGAIN");
	signal(SIGALRM, SIG_DFL);
}

/* ---- robust list syscalls ---- */

static bool robust_available;

static void test_robust_syscalls(void)
{
	void *head = NULL;
	size_t len = 0;
	long r = raw3(SYS_get_robust_list, 0, (long)&head, (long)&len);

	robust_available = r != -ENOSYS;
	if (!robust_available) {
		SKIP("get_robust_list(0) gives glibc's head, len 24", "no robust lists (qemu-user)");
		SKIP("set_robust_list with a bad length: EINVAL", "no robust lists (qemu-user)");
		SKIP("set_robust_list/get_robust_list round trip", "no robust lists (qemu-user)");
		SKIP("get_robust_list of a missing pid: ESRCH", "no robust lists (qemu-user)");
		SKIP("get_robust_list into a bad pointer: EFAULT", "no robust lists (qemu-user)");
		return;
	}
	CHECK(r == 0 && head != NULL && len == 24, "get_robust_list(0) gives glibc's head, len 24");
	CHECK(raw3(SYS_set_robust_list, (long)head, 23, 0) == -EINVAL,
	      "set_robust_list with a bad length: EINVAL");
	static long fake[3];
	void *h2 = NULL;
	size_t l2 = 0;
	CHECK(raw3(SYS_set_robust_list, (long)fake, 24, 0) == 0 &&
		      raw3(SYS_get_robust_list, getpid(), (long)&h2, (long)&l2) == 0 && h2 == fake && l2 == 24 &&
		      raw3(SYS_set_robust_list, (long)head, 24, 0) == 0,
	      "set_robust_list/get_robust_list round trip");
	CHECK(raw3(SYS_get_robust_list, 999999, (long)&h2, (long)&l2) == -ESRCH,
	      "get_robust_list of a missing pid: ESRCH");
	CHECK(raw3(SYS_get_robust_list, 0, (long)BAD_USER, (long)&l2) == -EFAULT,
	      "get_robust_list into a bad pointer: EFAULT");
}

/* ---- threads ---- */

static bool start(pthread_t *t, void *(*fn)(void *), void *arg, const char *what)
{
	int e = pthread_create(t, NULL, fn, arg);
	if (e)
		printf("# %s: pthread_create: %s\n", what, strerror(e));
	return e == 0;
}

/* 4 threads x 20000 increments under one mutex. */
#define MUTEX_THREADS 4
#define MUTEX_ITERS 20000
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		pthread_mutex_lock(&counter_lock);
		long c = counter;
		if ((i & 255) == 0)
			sched_yield(); /* invite contention inside the lock */
		counter = c + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static void test_mutex(void)
{
	pthread_t t[MUTEX_THREADS];
	int n = 0;

	for (; n < MUTEX_THREADS; n++)
		if (!start(&t[n], mutex_worker, NULL, "mutex"))
			break;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	CHECK(n == MUTEX_THREADS && counter == (long)MUTEX_THREADS * MUTEX_ITERS,
	      "4 threads x 20000 increments under a pthread_mutex");
}

/* Condition-variable ping-pong: turn alternates 0 -> 1 -> 0 ... */
#define ROUNDS 5000
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int pp_turn, pp_count;

static void *pong(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pp_lock);
	for (int i = 0; i < ROUNDS; i++) {
		while (pp_turn != 1)
			pthread_cond_wait(&pp_cond, &pp_lock);
		pp_turn = 0;
		pp_count++;
		pthread_cond_signal(&pp_cond);
	}
	pthread_mutex_unlock(&pp_lock);
	return NULL;
}

static void test_condvar(void)
{
	pthread_t t;

	if (!start(&t, pong, NULL, "condvar")) {
		CHECK(0, "condition-variable ping-pong, 5000 rounds");
		return;
	}
	pthread_mutex_lock(&pp_lock);
	for (int i = 0; i < ROUNDS; i++) {
		pp_turn = 1;
		pthread_cond_signal(&pp_cond);
		while (pp_turn != 0)
			pthread_cond_wait(&pp_cond, &pp_lock);
	}
	pthread_mutex_unlock(&pp_lock);
	pthread_join(t, NULL);
	CHECK(pp_count == ROUNDS, "condition-variable ping-pong, 5000 rounds");
}

/* Raw FUTEX_WAIT/FUTEX_WAKE handoff: a token passed back and forth. */
#define HANDOFFS 2000
static _Atomic uint32_t token; /* 0: main's turn, 1: the thread's */
static _Atomic int lost_wakeups;

/* Wait until *w == want. The 2 s timeout only keeps a broken kernel from
 * hanging the test: each expiry counts as a lost wake-up. */
static void wait_for(_Atomic uint32_t *w, uint32_t want)
{
	struct timespec ts = { 2, 0 };
	uint32_t v;

	while ((v = atomic_load(w)) != want)
		if (sys_futex((void *)w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, v, &ts, NULL, 0) == -ETIMEDOUT)
			atomic_fetch_add(&lost_wakeups, 1);
}

static void *handoff_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < HANDOFFS; i++) {
		wait_for(&token, 1);
		atomic_store(&token, 0);
		sys_futex((void *)&token, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
	}
	return NULL;
}

static void test_handoff(void)
{
	pthread_t t;

	if (!start(&t, handoff_thread, NULL, "handoff")) {
		CHECK(0, "FUTEX_WAIT/FUTEX_WAKE handoff, 2000 rounds");
		return;
	}
	for (int i = 0; i < HANDOFFS; i++) {
		atomic_store(&token, 1);
		sys_futex((void *)&token, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
		wait_for(&token, 0);
	}
	pthread_join(t, NULL);
	CHECK(atomic_load(&lost_wakeups) == 0, "FUTEX_WAIT/FUTEX_WAKE handoff, 2000 rounds, no lost wake-up");

	/* One waiter that is surely asleep: FUTEX_WAKE returns 1. */
	atomic_store(&token, 0);
	if (!start(&t, handoff_thread, NULL, "handoff")) /* waits for token == 1 */
		return;
	long woke = 0;
	for (int tries = 0; tries < 5000 && woke == 0; tries++) {
		sleep_ms(1);
		woke = sys_futex((void *)&token, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
	}
	CHECK(woke == 1, "FUTEX_WAKE reports the one sleeping waiter it woke");
	/* Let the thread run its rounds to the end. */
	for (int i = 0; i < HANDOFFS; i++) {
		atomic_store(&token, 1);
		sys_futex((void *)&token, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
		wait_for(&token, 0);
	}
	pthread_join(t, NULL);
}

/* Bitsets: a waiter on bit 0 is not woken by a wake of bit 1. */
static uint32_t bits_word;

/* Sleeps with bitset 1 until the word becomes non-zero. The 200 ms
 * deadlines only keep a broken kernel from hanging the test. */
static void *bits_waiter(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&bits_word, __ATOMIC_SEQ_CST) == 0) {
		struct timespec dl = ns_to_ts(now_ns(CLOCK_MONOTONIC) + 200000000ull);
		sys_futex(&bits_word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &dl, NULL, 1);
	}
	return NULL;
}

static void test_bitset(void)
{
	pthread_t t;
	long other = 0, mine = 0;

	if (!start(&t, bits_waiter, NULL, "bitset")) {
		CHECK(0, "FUTEX_WAKE_BITSET wakes only matching waiters");
		return;
	}
	/* A wake of bit 1 must never find it; one of bits 0|1 finds it once
	 * it sleeps (it then goes back to sleep: the word is still 0). */
	for (int tries = 0; tries < 5000 && mine == 0; tries++) {
		sleep_ms(1);
		other += sys_futex(&bits_word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 2);
		if (tries % 4 == 3)
			mine = sys_futex(&bits_word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 3);
	}
	__atomic_store_n(&bits_word, 1, __ATOMIC_SEQ_CST);
	sys_futex(&bits_word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
	pthread_join(t, NULL);
	CHECK(other == 0 && mine == 1, "FUTEX_WAKE_BITSET wakes only matching waiters");
}

/* CMP_REQUEUE: three waiters on f1 are moved to f2 and woken there. */
#define RQ_WAITERS 3
static uint32_t rq_f1, rq_f2;
static _Atomic int rq_released, rq_exited;

static void *rq_waiter(void *arg)
{
	(void)arg;
	while (!atomic_load(&rq_released))
		sys_futex(&rq_f1, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
	atomic_fetch_add(&rq_exited, 1);
	return NULL;
}

static void test_requeue(void)
{
	pthread_t t[RQ_WAITERS];
	int n = 0;
	long moved = 0, woken_f1, woken_f2 = 0;

	for (; n < RQ_WAITERS; n++)
		if (!start(&t[n], rq_waiter, NULL, "requeue"))
			break;
	if (n < RQ_WAITERS) {
		atomic_store(&rq_released, 1);
		sys_futex(&rq_f1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		CHECK(0, "FUTEX_CMP_REQUEUE moves 3 waiters from f1 to f2");
		return;
	}
	/* Move them as they arrive (nr_wake 0). */
	for (int tries = 0; tries < 5000 && moved < RQ_WAITERS; tries++) {
		long r = sys_futex(&rq_f1, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 0, (void *)(long)INT_MAX,
				   &rq_f2, 0);
		if (r > 0)
			moved += r;
		if (moved < RQ_WAITERS)
			sleep_ms(1);
	}
	CHECK(moved == RQ_WAITERS, "FUTEX_CMP_REQUEUE moves 3 waiters from f1 to f2");
	woken_f1 = sys_futex(&rq_f1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
	CHECK(woken_f1 == 0 && atomic_load(&rq_exited) == 0, "... none is left on f1, none woke up");
	atomic_store(&rq_released, 1);
	/* One at a time: wake 1 and requeue 0 returns 1. */
	long one = sys_futex(&rq_f2, FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG, 1, (void *)0, &rq_f1, 0);
	woken_f2 = one > 0 ? one : 0;
	for (int tries = 0; tries < 5000 && woken_f2 < moved; tries++) {
		long r = sys_futex(&rq_f2, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
		if (r > 0)
			woken_f2 += r;
		else
			break;
	}
	/* If anything went wrong, free whoever is left before joining. */
	sys_futex(&rq_f1, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
	sys_futex(&rq_f2, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, NULL, NULL, 0);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	CHECK(one == 1 && woken_f2 == RQ_WAITERS,
	      "... and woken there (CMP_REQUEUE with nr_wake 1, then FUTEX_WAKE)");
}

/* ---- a shared futex across fork ---- */

static void test_fork_shared(void)
{
	struct shm {
		uint32_t word;
		_Atomic int ready;
	} *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long priv_woke = 0, woke = 0;
	int status = -1;

	if (s == MAP_FAILED) {
		CHECK(0, "shared futex across fork: the parent wakes the child");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* The child waits (shared: no FUTEX_PRIVATE_FLAG) until word != 0. */
		atomic_store(&s->ready, 1);
		struct timespec ts = { 0, 200 * 1000000L }; /* only against hangs */
		while (__atomic_load_n(&s->word, __ATOMIC_SEQ_CST) == 0)
			sys_futex(&s->word, FUTEX_WAIT, 0, &ts, NULL, 0);
		_exit(s->word == 1 ? 0 : 1);
	}
	if (pid < 0) {
		CHECK(0, "shared futex across fork: the parent wakes the child");
		munmap(s, 4096);
		return;
	}
	while (!atomic_load(&s->ready))
		sleep_ms(1);
	/* Until the wake finds the sleeping child. A private wake names
	 * (our mm, address): it must never reach the child. */
	for (int tries = 0; tries < 5000 && woke == 0; tries++) {
		sleep_ms(1);
		priv_woke += sys_futex(&s->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
		woke = sys_futex(&s->word, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	__atomic_store_n(&s->word, 1, __ATOMIC_SEQ_CST);
	sys_futex(&s->word, FUTEX_WAKE, 1, NULL, NULL, 0);
	waitpid(pid, &status, 0);
	CHECK(woke == 1, "shared futex across fork: the parent's FUTEX_WAKE finds the child");
	CHECK(priv_woke == 0, "... a private FUTEX_WAKE of the same address does not");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "... and the child exits 0");
	munmap(s, 4096);
}

/* ---- robust mutexes ---- */

static pthread_mutex_t robust;
static _Atomic int robust_locked;

static void *robust_owner(void *arg)
{
	int delay_ms = (int)(long)arg;

	pthread_mutex_lock(&robust);
	atomic_store(&robust_locked, 1);
	if (delay_ms)
		sleep_ms(delay_ms); /* the main thread blocks on the mutex meanwhile */
	return NULL;             /* exits holding the mutex */
}

static void test_robust_mutex(void)
{
	pthread_mutexattr_t a;
	pthread_t t;
	int e;

	if (!robust_available) {
		SKIP("robust mutex, owner exited: EOWNERDEAD", "no robust lists (qemu-user)");
		SKIP("robust mutex, waiter blocked when the owner exits: EOWNERDEAD", "no robust lists (qemu-user)");
		return;
	}
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	e = pthread_mutex_init(&robust, &a);
	if (e || !start(&t, robust_owner, (void *)0L, "robust")) {
		CHECK(0, "robust mutex, owner exited: EOWNERDEAD");
		CHECK(0, "robust mutex, waiter blocked when the owner exits: EOWNERDEAD");
		return;
	}
	pthread_join(t, NULL);
	struct timespec dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 5000000000ull);
	e = pthread_mutex_timedlock(&robust, &dl); /* a broken kernel: ETIMEDOUT, no hang */
	bool ok = e == EOWNERDEAD && pthread_mutex_consistent(&robust) == 0 &&
		  pthread_mutex_unlock(&robust) == 0 && pthread_mutex_lock(&robust) == 0 &&
		  pthread_mutex_unlock(&robust) == 0;
	CHECK(ok, "robust mutex, owner exited: EOWNERDEAD");

	/* The owner exits while we sleep in pthread_mutex_lock: the exit
	 * path sets FUTEX_OWNER_DIED and wakes us (FUTEX_WAITERS was set). */
	atomic_store(&robust_locked, 0);
	if (!start(&t, robust_owner, (void *)50L, "robust")) {
		CHECK(0, "robust mutex, waiter blocked when the owner exits: EOWNERDEAD");
		return;
	}
	while (!atomic_load(&robust_locked))
		sleep_ms(1);
	dl = ns_to_ts(now_ns(CLOCK_REALTIME) + 5000000000ull);
	e = pthread_mutex_timedlock(&robust, &dl);
	ok = e == EOWNERDEAD && pthread_mutex_consistent(&robust) == 0 &&
	     pthread_mutex_unlock(&robust) == 0;
	pthread_join(t, NULL);
	CHECK(ok, "robust mutex, waiter blocked when the owner exits: EOWNERDEAD");
	pthread_mutex_destroy(&robust);
}

int main(void)
{
	KTAP_START("futex");
	test_errors();
	test_timeouts();
	test_signals();
	test_robust_syscalls();
	test_mutex();
	test_condvar();
	test_handoff();
	test_bitset();
	test_requeue();
	test_fork_shared();
	test_robust_mutex();
	return ktap_done();
}
