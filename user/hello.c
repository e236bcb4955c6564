/* hello: the first user program. Prints a greeting (and its arguments);
 * `hello --exit N` exits with status N, for checking `make run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("Hello from Vireo user space!\n");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--exit") && i + 1 < argc)
			return atoi(argv[i + 1]);
		printf("argv[%d] = %s\n", i, argv[i]);
	}
	return 0;
}
