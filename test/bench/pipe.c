/* Benchmark: pipe round trip, as Linux's reference number measures it: two
 * processes pass one byte back and forth over two pipes; guest ns per
 * round trip (two writes, two reads, two wake-ups, two switches). */
#include <stdio.h>
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
	int ping[2], pong[2], n = 2000;
	char c = 'x';

	if (pipe(ping) || pipe(pong))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < n; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	long t0 = now();
	for (int i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	long t = now() - t0;
	int st;
	waitpid(pid, &st, 0);
	printf("bench pipe round_trip_ns=%ld\n", t / n);
	return !WIFEXITED(st) || WEXITSTATUS(st);
}
