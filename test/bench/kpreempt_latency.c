/* Benchmark: wake-up latency of a SCHED_FIFO task that sleeps 1 ms in a
 * loop beside a task that is CPU-bound inside the kernel (sendfile of
 * /dev/zero to /dev/null, 16 MiB per call, back to back) on the same
 * hart, in guest ns. Without kernel preemption a wake-up waits for the
 * running call to return; with it, for the timer interrupt's return. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAKES 200

struct shared {
	volatile int done;
	volatile long sum, worst;
};

static long now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(void)
{
	struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY);
	cpu_set_t one;

	if (sh == MAP_FAILED || zero < 0 || null < 0)
		return 1;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	pid_t pid = fork();
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 50 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(1);
		for (int i = 0; i < WAKES; i++) {
			struct timespec d = { 0, 1000000 };
			long t0 = now();
			clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
			long lat = now() - t0 - 1000000;
			sh->sum += lat;
			sh->worst = lat > sh->worst ? lat : sh->worst;
		}
		sh->done = 1;
		_exit(0);
	}
	long bytes = 0;
	while (!sh->done)
		bytes += sendfile(null, zero, NULL, 16 << 20);
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	printf("bench kpreempt_latency fifo_beside_sendfile mean_latency_ns=%ld worst_latency_ns=%ld "
	       "kernel_MiB=%ld\n", sh->sum / WAKES, sh->worst, bytes >> 20);
	return 0;
}
