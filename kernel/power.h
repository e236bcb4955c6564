/* Powering the machine off with an exit status QEMU passes on. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H
#include "kernel/types.h"

#define PANIC_EXIT_STATUS 255
void power_init(u64 test_finisher_pa);
void __noreturn kernel_power_off(int status);

#endif
