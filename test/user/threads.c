/* Boot test: clone threads through glibc's pthreads: mutexes, condition
 * variables, TLS, many create/join rounds, thread identity, and exit()
 * from a non-main thread ending the whole group. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/ktap.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value = 7;

static void *incr(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *tls_thread(void *arg)
{
	long id = (long)arg;
	int ok = tls_value == 7; /* a fresh copy of the initial value */
	tls_value = id * 100;
	sched_yield();
	ok &= tls_value == id * 100;
	return (void *)(long)ok;
}

static void *ids(void *arg)
{
	long *out = arg;
	out[0] = getpid();
	out[1] = syscall(SYS_gettid);
	return NULL;
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&cv, &lock);
		turn = 0;
		rounds_done++;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *exiter(void *arg)
{
	(void)arg;
	exit(23);
}

/* TLB shootdown: a thread on another hart keeps reading a page; once the
 * main thread unmaps it, the reader must fault (its hart's TLB entry was
 * flushed), not go on reading the old frame. */
static volatile char *shoot_page;
static volatile int shoot_reads, shoot_faulted;
static sigjmp_buf shoot_jmp;

static void shoot_segv(int sig)
{
	(void)sig;
	shoot_faulted = 1;
	siglongjmp(shoot_jmp, 1);
}

static void *shoot_reader(void *arg)
{
	(void)arg;
	if (sigsetjmp(shoot_jmp, 1))
		return NULL;
	for (long i = 0; i < 400000000L; i++) {
		(void)shoot_page[64];
		shoot_reads++;
	}
	return NULL;
}

static void test_shootdown(void)
{
	pthread_t t;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = shoot_segv;
	sigaction(SIGSEGV, &sa, NULL);
	shoot_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shoot_page[64] = 1;
	pthread_create(&t, NULL, shoot_reader, NULL);
	while (shoot_reads < 1000)
		sched_yield();
	munmap((void *)shoot_page, 4096);
	pthread_join(t, NULL);
	CHECK(shoot_faulted, "after munmap a thread reading the page faults (TLB shootdown)");
	signal(SIGSEGV, SIG_DFL);
}

static void *nothing(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t[8];

	KTAP_START("threads");
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, incr, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == 160000, "8 threads x 20000 mutex-protected increments = 160000");

	int all = 1;
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, tls_thread, (void *)(i + 1));
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(t[i], &r);
		all &= r == (void *)1L;
	}
	CHECK(all && tls_value == 7, "__thread values are per thread");

	long id[2];
	pthread_create(&t[0], NULL, ids, id);
	pthread_join(t[0], NULL);
	CHECK(id[0] == getpid() && id[1] != getpid() && id[1] > 0,
	      "a thread shares the pid (tgid) and has its own tid");

	int ok = 1;
	for (long i = 0; i < 300 && ok; i++) {
		void *r;
		ok = pthread_create(&t[0], NULL, nothing, (void *)i) == 0 &&
		     pthread_join(t[0], &r) == 0 && r == (void *)i;
	}
	CHECK(ok, "300 create/join rounds");

	pthread_create(&t[0], NULL, ponger, NULL);
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&lock);
		turn = 1;
		pthread_cond_signal(&cv);
		while (turn != 0)
			pthread_cond_wait(&cv, &lock);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(t[0], NULL);
	CHECK(rounds_done == 5000, "a condition-variable ping-pong of 5000 rounds");

	test_shootdown();

	pid_t pid = fork();
	if (pid == 0) {
		pthread_create(&t[0], NULL, exiter, NULL);
		for (;;)
			pause();
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 23,
	      "exit() in a non-main thread ends the whole group with its status");
	return ktap_done();
}
