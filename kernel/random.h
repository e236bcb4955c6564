/* Kernel random numbers: an xoshiro256** generator seeded from
 * the timer at boot and stirred with timer values at every call. Good
 * enough for AT_RANDOM and getrandom in an emulator; not cryptographic. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H
#include "kernel/types.h"

void get_random_bytes(void *buf, size_t n);

#endif
