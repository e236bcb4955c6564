/* Boot test helper: makes one bad access chosen by argv[1] and must die
 * of it (SIGSEGV, or SIGKILL for "oom"); the harness checks the status
 * and the kernel's log line. Printing "survived" means the check failed. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096UL

static int recurse(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	if (n < 0) /* never: keeps the compiler from calling this infinite */
		return 0;
	return recurse(n + 1) + pad[0];
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("mmfault: %s\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "munmap-middle")) {
		memset(p, 1, 3 * PG);
		munmap(p + PG, PG);
		p[PG + 10] = 1;
	} else if (!strcmp(mode, "mprotect-ro")) {
		p[0] = 1;
		mprotect(p, PG, PROT_READ);
		p[8] = 2;
	} else if (!strcmp(mode, "stack-overflow")) {
		recurse(0);
	} else if (!strcmp(mode, "null8")) {
		volatile int *volatile bad = (int *)8;
		*bad = 1;
	} else if (!strcmp(mode, "kernel-addr")) {
		volatile int *volatile kern = (int *)0xffff800080200000UL;
		(void)*kern;
	} else if (!strcmp(mode, "exec-data")) {
		p[0] = 0x73; /* not executable: PROT_READ|PROT_WRITE */
		((void (*)(void))p)();
	} else if (!strcmp(mode, "oom")) {
		size_t len = 2UL << 30; /* more than the machine has */
		char *big = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t i = 0; big != MAP_FAILED && i < len; i += PG)
			big[i] = 1;
	}
	printf("mmfault: survived (wrong)\n");
	return 0;
}
