/* Benchmark: cost of mmap + first touch + munmap, and of a fault in an
 * existing mapping, with 100 and with 10,000 other VMAs in the process.
 * With O(log n) VMA lookups the two columns stay close. Under QEMU
 * -icount shift=0 the guest clock counts instructions: repeatable. */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#define PG 4096UL

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* n VMAs that cannot merge: alternate protections page by page. */
static char *make_vmas(int n)
{
	char *base = mmap(NULL, (unsigned long)n * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < n; i += 2)
		mprotect(base + i * PG, PG, PROT_READ | PROT_WRITE);
	return base;
}

static void measure(int n)
{
	char *base = make_vmas(n);
	const int rounds = 2000;
	double t0 = now_ns();
	for (int i = 0; i < rounds; i++) {
		char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p[0] = 1;
		munmap(p, PG);
	}
	double t1 = now_ns();
	for (int i = 0; i < rounds && i < n; i += 2) /* first-touch faults spread over the VMAs */
		base[(unsigned long)(i * 37 % n & ~1) * PG] = 1;
	double t2 = now_ns();
	int faults = (rounds < n ? rounds : n) / 2;
	printf("bench vma_scale vmas=%d mmap_touch_munmap_ns=%.0f fault_ns=%.0f\n", n,
	       (t1 - t0) / rounds, (t2 - t1) / faults);
	munmap(base, (unsigned long)n * PG);
}

int main(void)
{
	measure(100);
	measure(10000);
	return 0;
}
