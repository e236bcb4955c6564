/* KTAP output for user-space boot tests: each check prints
 * "ok N name" or "not ok N name"; ktap_done() gives the exit status. */
#ifndef TEST_USER_KTAP_H
#define TEST_USER_KTAP_H
#include <stdio.h>

static int ktap_n, ktap_failed;

#define KTAP_START(prog) (printf("KTAP version 1\n# %s\n", prog), fflush(stdout))
#define CHECK(cond, name)                                                          \
	do {                                                                       \
		ktap_n++;                                                          \
		if (cond) {                                                        \
			printf("ok %d %s\n", ktap_n, name);                        \
		} else {                                                           \
			ktap_failed++;                                             \
			printf("not ok %d %s # %s:%d: %s\n", ktap_n, name,         \
			       __FILE__, __LINE__, #cond);                         \
		}                                                                  \
		fflush(stdout);                                                    \
	} while (0)

static inline int ktap_done(void)
{
	printf("1..%d\n# %d passed, %d failed\n", ktap_n, ktap_n - ktap_failed, ktap_failed);
	fflush(stdout);
	return ktap_failed ? 1 : 0;
}

#endif
