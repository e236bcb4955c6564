/* Benchmark: boot to init. run-bench.py boots with this program as init;
 * CLOCK_MONOTONIC counts from the kernel's first timekeeping (start_kernel),
 * so its value on entering main is the kernel's boot time, in guest ns. */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	printf("bench boot kernel_start_to_init_main_ns=%ld\n", t.tv_sec * 1000000000L + t.tv_nsec);
	return 0;
}
