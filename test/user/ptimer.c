/* POSIX timers: timer_create/settime/gettime/getoverrun/delete, the
 * siginfo they deliver (SI_TIMER, si_value, si_timerid, si_overrun),
 * SIGEV_THREAD_ID and glibc's SIGEV_THREAD, CPU-time clocks, and
 * timers being per process (not inherited by fork). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define MS 1000000L

static long now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static struct itimerspec its(long value_ns, long interval_ns)
{
	struct itimerspec v = { { interval_ns / 1000000000L, interval_ns % 1000000000L },
				{ value_ns / 1000000000L, value_ns % 1000000000L } };
	return v;
}

static int ktimer_create(clockid_t c, struct sigevent *ev, int *id)
{
	return (int)syscall(SYS_timer_create, c, ev, id);
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static int wait_sig(int sig, siginfo_t *si, long timeout_ms)
{
	sigset_t s;
	struct timespec ts = { timeout_ms / 1000, timeout_ms % 1000 * MS };
	sigemptyset(&s);
	sigaddset(&s, sig);
	return sigtimedwait(&s, si, &ts);
}

static void test_oneshot(void)
{
	int sig = SIGRTMIN + 1, cookie;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	timer_t t;
	siginfo_t si;

	block(sig);
	ev.sigev_value.sival_ptr = &cookie;
	CHECK(timer_create(CLOCK_REALTIME, &ev, &t) == 0, "timer_create CLOCK_REALTIME SIGEV_SIGNAL");
	struct itimerspec v = its(30 * MS, 0), cur;
	long t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(timer_settime(t, 0, &v, NULL) == 0, "timer_settime one-shot 30 ms");
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
		      cur.it_value.tv_nsec <= 30 * MS && cur.it_interval.tv_nsec == 0,
	      "timer_gettime: time left in (0, 30 ms], no interval");
	memset(&si, 0, sizeof(si));
	int r = wait_sig(sig, &si, 2000);
	long dt = now_ns(CLOCK_MONOTONIC) - t0;
	CHECK(r == sig && dt >= 29 * MS, "the signal comes after 30 ms");
	CHECK(si.si_code == SI_TIMER && si.si_value.sival_ptr == &cookie,
	      "siginfo: si_code SI_TIMER, si_value as given");
	CHECK(si.si_overrun == 0, "siginfo: si_overrun 0");
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "a fired one-shot timer reads 0");
	CHECK(timer_delete(t) == 0, "timer_delete");
}

/* No sigevent: SIGALRM with si_value = the timer id (raw system call). */
static void test_default_sigevent(void)
{
	int id = -1;
	siginfo_t si;
	struct itimerspec v = its(10 * MS, 0);

	block(SIGALRM);
	CHECK(ktimer_create(CLOCK_MONOTONIC, NULL, &id) == 0 && id >= 0, "timer_create with no sigevent");
	CHECK(syscall(SYS_timer_settime, id, 0, &v, NULL) == 0, "arm it");
	memset(&si, 0, sizeof(si));
	/* qemu-user hands out ids of its own (0x0caf0000 | n) and loses
	 * si_value here: only a kernel's own ids can be compared. */
	int r = wait_sig(SIGALRM, &si, 2000);
	bool qemu_id = (id & 0xffff0000) == 0x0caf0000;
	CHECK(r == SIGALRM && si.si_code == SI_TIMER &&
		      (qemu_id || (si.si_value.sival_int == id && si.si_timerid == id)),
	      "SIGALRM with si_value = si_timerid = the timer id");
	CHECK(syscall(SYS_timer_delete, id) == 0, "delete it");
}

static void test_periodic_and_overrun(void)
{
	int sig = SIGRTMIN + 2;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	timer_t t;
	siginfo_t si;
	int n = 0;

	block(sig);
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create CLOCK_MONOTONIC");
	struct itimerspec v = its(5 * MS, 5 * MS), cur;
	long t0 = now_ns(CLOCK_MONOTONIC);
	timer_settime(t, 0, &v, NULL);
	for (int i = 0; i < 5; i++)
		n += wait_sig(sig, &si, 2000) == sig;
	CHECK(n == 5 && now_ns(CLOCK_MONOTONIC) - t0 >= 24 * MS, "periodic 5 ms: 5 signals in >= 25 ms");
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 5 * MS &&
		      cur.it_value.tv_nsec <= 5 * MS,
	      "timer_gettime: interval 5 ms, value <= 5 ms");

	/* Blocked for >= 60 ms with a 2 ms period: one signal, and about one
	 * overrun per period that passed (measured: a loaded host oversleeps). */
	v = its(2 * MS, 2 * MS);
	timer_settime(t, 0, &v, NULL);
	wait_sig(sig, &si, 2000);
	long t1 = now_ns(CLOCK_MONOTONIC);
	struct timespec d = { 0, 60 * MS };
	nanosleep(&d, NULL);
	memset(&si, 0, sizeof(si));
	CHECK(wait_sig(sig, &si, 2000) == sig, "the pending periodic signal is taken");
	long periods = (now_ns(CLOCK_MONOTONIC) - t1) / (2 * MS);
	CHECK(si.si_overrun >= 25 && si.si_overrun >= periods - 4 && si.si_overrun <= periods + 1,
	      "si_overrun counts the periods missed");
	CHECK(timer_getoverrun(t) == si.si_overrun, "timer_getoverrun agrees with si_overrun");
	CHECK(wait_sig(sig, &si, 2000) == sig && si.si_overrun <= 3,
	      "re-armed after delivery: the next one has few overruns");

	/* Absolute expiry on CLOCK_MONOTONIC. */
	v = its(0, 0);
	timer_settime(t, 0, &v, NULL);
	while (wait_sig(sig, &si, 0) == sig)
		;
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	t0 = abs.tv_sec * 1000000000L + abs.tv_nsec;
	abs.tv_nsec += 20 * MS;
	if (abs.tv_nsec >= 1000000000L)
		abs.tv_sec++, abs.tv_nsec -= 1000000000L;
	v.it_value = abs;
	CHECK(timer_settime(t, TIMER_ABSTIME, &v, NULL) == 0, "TIMER_ABSTIME settime");
	CHECK(wait_sig(sig, &si, 2000) == sig && now_ns(CLOCK_MONOTONIC) - t0 >= 19 * MS,
	      "TIMER_ABSTIME fires at the absolute time");
	CHECK(timer_delete(t) == 0, "timer_delete");
}

static volatile pid_t handler_tid;
static volatile int thread_stop;
static void record_tid(int s)
{
	(void)s;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static void *spin_thread(void *arg)
{
	*(volatile pid_t *)arg = (pid_t)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

static void test_thread_id(void)
{
	int sig = SIGRTMIN + 3, id;
	volatile pid_t tid = 0;
	pthread_t th;
	struct sigaction sa = { .sa_handler = record_tid };

	sigaction(sig, &sa, NULL);
	pthread_create(&th, NULL, spin_thread, (void *)&tid);
	while (!tid)
		usleep(1000);
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = sig };
	ev._sigev_un._tid = tid;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, &id) == 0, "timer_create SIGEV_THREAD_ID");
	struct itimerspec v = its(10 * MS, 0);
	syscall(SYS_timer_settime, id, 0, &v, NULL);
	for (int i = 0; i < 2000 && !handler_tid; i++)
		usleep(1000);
	CHECK(handler_tid == tid, "the chosen thread runs the handler");
	syscall(SYS_timer_delete, id);
	thread_stop = 1;
	pthread_join(th, NULL);

	ev._sigev_un._tid = getpid() + 100000;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL,
	      "SIGEV_THREAD_ID for a thread not in the group: EINVAL");
}

static sem_t thread_sem;
static volatile int thread_value;
static void timer_thread_fn(union sigval v)
{
	thread_value = v.sival_int;
	sem_post(&thread_sem);
}

static void test_sigev_thread(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = timer_thread_fn };
	timer_t t;

	sem_init(&thread_sem, 0, 0);
	ev.sigev_value.sival_int = 4242;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0, "timer_create SIGEV_THREAD (glibc)");
	struct itimerspec v = its(10 * MS, 0);
	timer_settime(t, 0, &v, NULL);
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 3;
	CHECK(sem_timedwait(&thread_sem, &dl) == 0 && thread_value == 4242,
	      "SIGEV_THREAD: the function runs with the sigev_value");
	CHECK(timer_delete(t) == 0, "timer_delete of a SIGEV_THREAD timer");
}

static void test_delete_and_errors(void)
{
	int sig = SIGRTMIN + 4, id;
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	siginfo_t si;
	struct itimerspec v = its(20 * MS, 0), cur;

	block(sig);
	ktimer_create(CLOCK_MONOTONIC, &ev, &id);
	syscall(SYS_timer_settime, id, 0, &v, NULL);
	CHECK(syscall(SYS_timer_delete, id) == 0, "delete an armed timer");
	CHECK(wait_sig(sig, &si, 100) == -1 && errno == EAGAIN, "a deleted timer does not fire");
	CHECK(syscall(SYS_timer_gettime, id, &cur) == -1 && errno == EINVAL, "timer_gettime of a deleted id: EINVAL");
	CHECK(syscall(SYS_timer_settime, id, 0, &v, NULL) == -1 && errno == EINVAL, "timer_settime of a deleted id: EINVAL");
	CHECK(syscall(SYS_timer_delete, id) == -1 && errno == EINVAL, "timer_delete twice: EINVAL");
	CHECK(syscall(SYS_timer_getoverrun, 12345) == -1 && errno == EINVAL, "timer_getoverrun of a bad id: EINVAL");
	CHECK(ktimer_create(12345, &ev, &id) == -1 && errno == EINVAL, "unknown clock: EINVAL");
	ev.sigev_notify = 99;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL, "bad sigev_notify: EINVAL");
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 0;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, &id) == -1 && errno == EINVAL, "signal 0: EINVAL");
	ev.sigev_signo = sig;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, (int *)8) == -1 && errno == EFAULT, "bad id pointer: EFAULT");
	ktimer_create(CLOCK_MONOTONIC, &ev, &id);
	v.it_value.tv_nsec = 1000000000L;
	CHECK(syscall(SYS_timer_settime, id, 0, &v, NULL) == -1 && errno == EINVAL, "tv_nsec out of range: EINVAL");
	CHECK(syscall(SYS_timer_settime, id, 0, NULL, NULL) == -1 && errno == EINVAL, "no new value: EINVAL");

	/* SIGEV_NONE: nothing is sent, the time left can be read. */
	ev.sigev_notify = SIGEV_NONE;
	int nid;
	CHECK(ktimer_create(CLOCK_MONOTONIC, &ev, &nid) == 0, "timer_create SIGEV_NONE");
	v = its(10 * MS, 10 * MS);
	syscall(SYS_timer_settime, nid, 0, &v, NULL);
	CHECK(wait_sig(sig, &si, 50) == -1, "SIGEV_NONE sends nothing");
	CHECK(syscall(SYS_timer_gettime, nid, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 10 * MS,
	      "SIGEV_NONE periodic: time to the next period readable");
	syscall(SYS_timer_delete, nid);

	/* A child has none of its parent's timers. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(syscall(SYS_timer_gettime, id, &cur) == -1 && errno == EINVAL ? 0 : 1);
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork: the child does not inherit timers");
	syscall(SYS_timer_delete, id);
}

static volatile int cpu_fired;
static void on_cpu_timer(int s)
{
	(void)s;
	cpu_fired = 1;
}

static void test_cpu_clocks(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGPROF };
	struct sigaction sa = { .sa_handler = on_cpu_timer };
	timer_t t;

	sigaction(SIGPROF, &sa, NULL);
	CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t) == 0, "timer_create CLOCK_PROCESS_CPUTIME_ID");
	struct itimerspec v = its(100 * MS, 0), cur;
	timer_settime(t, 0, &v, NULL);
	struct timespec d = { 0, 150 * MS };
	nanosleep(&d, NULL);
	CHECK(!cpu_fired, "sleeping uses no CPU time: not fired");
	timer_gettime(t, &cur);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 50 * MS, "most of its CPU time still left");
	long c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), w0 = now_ns(CLOCK_MONOTONIC);
	while (!cpu_fired && now_ns(CLOCK_MONOTONIC) - w0 < 5000 * MS)
		;
	CHECK(cpu_fired && now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0 >= 30 * MS, "fires after spinning on the CPU");
	timer_delete(t);

	cpu_fired = 0;
	CHECK(timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &t) == 0, "timer_create CLOCK_THREAD_CPUTIME_ID");
	v = its(30 * MS, 0);
	timer_settime(t, 0, &v, NULL);
	c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), w0 = now_ns(CLOCK_MONOTONIC);
	while (!cpu_fired && now_ns(CLOCK_MONOTONIC) - w0 < 5000 * MS)
		;
	CHECK(cpu_fired && now_ns(CLOCK_THREAD_CPUTIME_ID) - c0 >= 20 * MS, "thread CPU-time timer fires");
	timer_delete(t);
	struct timespec res;
	CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res) == 0 && clock_getres(CLOCK_THREAD_CPUTIME_ID, &res) == 0,
	      "clock_getres of the CPU-time clocks");
}

static volatile int spin_more = 1;
static void *spin_cpu(void *arg)
{
	(void)arg;
	while (spin_more)
		;
	return NULL;
}

/* clock_getcpuclockid / pthread_getcpuclockid: other tasks' CPU clocks. */
static void test_cpu_clock_ids(void)
{
	clockid_t c;
	struct timespec ts;
	pthread_t th;

	pid_t pid = fork();
	if (pid == 0) {
		long w0 = now_ns(CLOCK_MONOTONIC);
		while (now_ns(CLOCK_MONOTONIC) - w0 < 3000 * MS)
			;
		_exit(0);
	}
	int ok = clock_getcpuclockid(pid, &c) == 0;
	for (int i = 0; ok && i < 250; i++) { /* until it has run 10 ms (a loaded host is slow) */
		ok = clock_gettime(c, &ts) == 0;
		if (ts.tv_sec * 1000000000L + ts.tv_nsec > 10 * MS)
			break;
		nanosleep(&(struct timespec){ 0, 10 * MS }, NULL);
	}
	CHECK(ok && ts.tv_sec * 1000000000L + ts.tv_nsec > 10 * MS, "clock_getcpuclockid: a spinning child's CPU time");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(clock_gettime(c, &ts) == -1 && errno == EINVAL, "the clock of a reaped process: EINVAL");

	pthread_create(&th, NULL, spin_cpu, NULL);
	CHECK(pthread_getcpuclockid(th, &c) == 0, "pthread_getcpuclockid");
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGPROF };
	timer_t t;
	cpu_fired = 0;
	CHECK(timer_create(c, &ev, &t) == 0, "timer_create on another thread's CPU clock");
	struct itimerspec v = its(30 * MS, 0);
	timer_settime(t, 0, &v, NULL);
	for (int i = 0; i < 500 && !cpu_fired; i++)
		nanosleep(&(struct timespec){ 0, 10 * MS }, NULL);
	CHECK(cpu_fired && clock_gettime(c, &ts) == 0 && ts.tv_nsec + ts.tv_sec * 1000000000L >= 25 * MS,
	      "it fires as that thread spins (this one sleeps)");
	timer_delete(t);
	spin_more = 0;
	pthread_join(th, NULL);
}

/* exec drops the process's timers (ITIMER_REAL stays, these go). */
static void test_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int id;
		char arg[16];
		struct sigevent ev = { .sigev_notify = SIGEV_NONE };
		struct itimerspec v = its(10000 * MS, 0);
		if (ktimer_create(CLOCK_MONOTONIC, &ev, &id) || syscall(SYS_timer_settime, id, 0, &v, NULL))
			_exit(1);
		snprintf(arg, sizeof(arg), "%d", id);
		execl("/proc/self/exe", "ptimer", "--after-exec", arg, (char *)NULL);
		_exit(77); /* qemu-user cannot exec a riscv64 program */
	}
	int st = -1;
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		printf("ok %d exec deletes the timers # SKIP no exec here\n", ++ktap_n);
	else
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec deletes the timers");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after-exec")) {
		struct itimerspec cur;
		return syscall(SYS_timer_gettime, atoi(argv[2]), &cur) == -1 && errno == EINVAL ? 0 : 1;
	}
	KTAP_START("ptimer");
	test_oneshot();
	test_default_sigevent();
	test_periodic_and_overrun();
	test_thread_id();
	test_sigev_thread();
	test_delete_and_errors();
	test_cpu_clocks();
	test_cpu_clock_ids();
	test_exec();
	return ktap_done();
}
