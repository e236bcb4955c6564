/* Boot test helper: a store to NULL must kill this process with SIGSEGV
 * (wait status 11, `make run` status 139), not crash the kernel. */
#include <stdio.h>

int main(void)
{
	printf("segv: storing to NULL\n");
	fflush(stdout);
	*(volatile int *)0 = 1;
	printf("segv: still alive (wrong)\n");
	return 0;
}
