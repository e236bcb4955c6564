/* Stress: copy-on-write under concurrency. Workers on every hart keep a
 * pattern in stack and heap pages, fork children that rewrite (COW-break)
 * some of those pages and exit, and check after every wait that their own
 * memory still holds their pattern: a frame freed while still mapped, or
 * a copy taken from the wrong frame, shows up as a changed word.
 * usage: cowstress [SECONDS [WORKERS]]. Passes under qemu-riscv64. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define STACK_WORDS (16384 / 8)
#define HEAP_PAGES 32

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int check(const uint64_t *w, size_t n, uint64_t tag, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (w[i] != (tag ^ i)) {
			printf("# pid %d: %s word %zu (page offset %#zx) is %#llx, not %#llx\n", getpid(),
			       what, i, (size_t)((uintptr_t)&w[i] & 4095), (unsigned long long)w[i],
			       (unsigned long long)(tag ^ i));
			return 0;
		}
	return 1;
}

static void fill(uint64_t *w, size_t n, uint64_t tag)
{
	for (size_t i = 0; i < n; i++)
		w[i] = tag ^ i;
}

/* One round: fork a child that rewrites half of everything and checks its
 * own copy, then check ours. The stack array lives in this frame, so the
 * return path reads saved registers from pages that were shared. */
static __attribute__((noinline)) int round_trip(uint64_t *heap, uint64_t tag, unsigned int r)
{
	volatile uint64_t stack[STACK_WORDS];

	fill((uint64_t *)stack, STACK_WORDS, tag);
	pid_t p = fork();
	if (p < 0)
		return 1; /* out of resources is not corruption */
	if (p == 0) {
		uint64_t mine = tag * 31 + 7;
		for (size_t i = (r & 1); i < STACK_WORDS; i += 2 * 512)
			stack[i] = mine;
		for (size_t pg = r % 2; pg < HEAP_PAGES; pg += 2)
			heap[pg * 512 + (r % 512)] = mine;
		_exit(0);
	}
	siginfo_t si;
	if (waitid(P_PID, (id_t)p, &si, WEXITED) != 0 || si.si_code != CLD_EXITED || si.si_status != 0) {
		printf("# pid %d: child %d ended with code %d status %d\n", getpid(), p, si.si_code,
		       si.si_status);
		return 0;
	}
	return check((uint64_t *)stack, STACK_WORDS, tag, "stack") &&
	       check(heap, HEAP_PAGES * 512, tag ^ 0xabcdef, "heap");
}

static int worker(int id, long until)
{
	uint64_t *heap = mmap(NULL, HEAP_PAGES * 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int rounds = 0;

	if (heap == MAP_FAILED)
		return 2;
	while (now_ms() < until) {
		uint64_t tag = ((uint64_t)id << 40) ^ ((uint64_t)rounds << 8) ^ 0x1234567;
		fill(heap, HEAP_PAGES * 512, tag ^ 0xabcdef);
		if (!round_trip(heap, tag, rounds))
			return 1;
		rounds++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 5;
	int n = argc > 2 ? atoi(argv[2]) : 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	long until = now_ms() + seconds * 1000;
	int bad = 0;
	pid_t pids[64];

	KTAP_START("cowstress");
	if (n < 1 || n > 64)
		n = 4;
	for (int i = 0; i < n; i++)
		if ((pids[i] = fork()) == 0)
			_exit(worker(i, until));
	for (int i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("# worker %d: %s %d\n", i, WIFEXITED(st) ? "exit" : "signal",
			       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			bad++;
		}
	}
	CHECK(bad == 0, "cowstress: parents' stack and heap intact across COW forks on all harts");
	return ktap_done();
}
