/* Benchmarks of the process mechanisms, in guest ns per operation (run by
 * `make bench` on one hart under -icount shift=0). The Linux 6.1 numbers
 * on the same QEMU are the targets: getpid 183, fork+exit+wait 112k,
 * vfork+exit+wait 29k, fork+exec+wait 396k, pthread create+join 24k,
 * zero-fill fault 2.3k/page, COW fault 3.5k/page. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void report(const char *name, double ns)
{
	printf("bench proc %s_ns=%.0f\n", name, ns);
}

static void *nothing(void *a)
{
	return a;
}

int main(void)
{
	int n = 2000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	double t0 = now();
	for (int i = 0; i < n * 10; i++)
		syscall(SYS_getpid);
	report("getpid", (now() - t0) / (n * 10));

	n = 200;
	t0 = now();
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	report("fork_exit_wait", (now() - t0) / n);

	t0 = now();
	for (int i = 0; i < n; i++) {
		pid_t p = vfork();
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	report("vfork_exit_wait", (now() - t0) / n);

	char *argv[] = { "hello", "--exit", "0", NULL };
	t0 = now();
	for (int i = 0; i < 50; i++) {
		pid_t p = fork();
		if (p == 0) {
			execve("/bench/helper_true", argv, NULL);
			_exit(1);
		}
		waitpid(p, NULL, 0);
	}
	report("fork_exec_wait", (now() - t0) / 50);

	t0 = now();
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_create(&t, NULL, nothing, NULL);
		pthread_join(t, NULL);
	}
	report("pthread_create_join", (now() - t0) / n);

	size_t len = 64UL << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t0 = now();
	for (size_t i = 0; i < len; i += PG)
		buf[i] = 1;
	report("zero_fill_fault_per_page", (now() - t0) / (len / PG));

	/* fork with 64 MiB touched: page tables are copied, not pages. */
	t0 = now();
	pid_t p = fork();
	if (p == 0) {
		double c0 = now();
		for (size_t i = 0; i < len; i += PG)
			buf[i] = 2;
		report("cow_fault_per_page", (now() - c0) / (len / PG));
		fflush(stdout);
		_exit(0);
	}
	double forked = now() - t0;
	waitpid(p, NULL, 0);
	report("fork_with_64MiB_touched", forked);
	return 0;
}
