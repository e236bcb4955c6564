/* Benchmark of the vDSO, in guest ns per call (run by `make bench` on one
 * hart under -icount shift=0): clock_gettime(CLOCK_MONOTONIC) through
 * glibc, which calls __vdso_clock_gettime (rdtime, no trap), against the
 * same through syscall(SYS_clock_gettime); gettimeofday likewise. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define N 20000

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void report(const char *name, double ns)
{
	printf("bench vdso %s_ns=%.0f\n", name, ns);
}

int main(void)
{
	struct timespec ts;
	struct timeval tv;
	double t0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	t0 = now();
	for (int i = 0; i < N; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	report("clock_gettime_glibc", (now() - t0) / N);

	t0 = now();
	for (int i = 0; i < N; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	report("clock_gettime_syscall", (now() - t0) / N);

	t0 = now();
	for (int i = 0; i < N; i++)
		gettimeofday(&tv, NULL);
	report("gettimeofday_glibc", (now() - t0) / N);

	t0 = now();
	for (int i = 0; i < N; i++)
		syscall(SYS_gettimeofday, &tv, NULL);
	report("gettimeofday_syscall", (now() - t0) / N);
	return 0;
}
