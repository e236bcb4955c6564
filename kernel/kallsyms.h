/* Kernel symbol lookup for backtraces (table made by scripts/gen-kallsyms). */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H
#include "kernel/types.h"

/* Name of the function containing addr and the offset into it, or NULL. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

#endif
