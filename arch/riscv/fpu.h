/* Saving and restoring a task's user floating-point registers (F and D
 * extensions). The kernel never uses FP itself, so the user's registers
 * stay live in the hart while it runs kernel code. */
#ifndef ARCH_RISCV_FPU_H
#define ARCH_RISCV_FPU_H
#include "proc/task.h"

void fstate_save(struct user_fpstate *st);
void fstate_restore(const struct user_fpstate *st);

#endif
