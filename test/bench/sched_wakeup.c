/* Benchmark: wake-up latency of a task that sleeps 1 ms in a loop beside
 * 4 CPU-bound tasks on the same hart (wake-up preemption), in guest ns. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(void)
{
	volatile int *stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t hogs[4];

	for (int i = 0; i < 4; i++)
		if ((hogs[i] = fork()) == 0) {
			while (!*stop)
				;
			_exit(0);
		}
	struct timespec d = { 0, 1000000 };
	long sum = 0, worst = 0;
	int n = 200;
	for (int i = 0; i < n; i++) {
		long t0 = now();
		nanosleep(&d, NULL);
		long lat = now() - t0 - 1000000;
		sum += lat;
		worst = lat > worst ? lat : worst;
	}
	*stop = 1;
	for (int i = 0; i < 4; i++)
		waitpid(hogs[i], NULL, 0);
	printf("bench sched_wakeup beside_4_hogs mean_latency_ns=%ld worst_latency_ns=%ld\n", sum / n, worst);
	return 0;
}
