/* Minimal KTAP emitter for host unit tests: each CHECK prints one
 * "ok N name" or "not ok N name" line; main returns non-zero on failure. */
#ifndef TEST_HOST_KTEST_H
#define TEST_HOST_KTEST_H
#include <stdio.h>

static int ktest_n, ktest_failed;

#define CHECK(cond, name)                                                   \
	do {                                                                \
		ktest_n++;                                                  \
		if (cond) {                                                 \
			printf("ok %d %s\n", ktest_n, name);                \
		} else {                                                    \
			ktest_failed++;                                     \
			printf("not ok %d %s # %s:%d: %s\n", ktest_n, name, \
			       __FILE__, __LINE__, #cond);                  \
		}                                                           \
	} while (0)

/* A repeatable pseudo-random sequence (xorshift64) for randomized tests. */
static unsigned long ktest_rng = 88172645463325252UL;
static inline unsigned long ktest_rand(void)
{
	ktest_rng ^= ktest_rng << 13;
	ktest_rng ^= ktest_rng >> 7;
	ktest_rng ^= ktest_rng << 17;
	return ktest_rng;
}

#define KTEST_DONE() (printf("# %d tests, %d failed\n", ktest_n, ktest_failed), ktest_failed != 0)

#endif
