/* Mapping device registers (MMIO) into the kernel's IOREMAP window. */
#ifndef MM_IOREMAP_H
#define MM_IOREMAP_H
#include "kernel/types.h"

void *ioremap(phys_addr_t pa, size_t size);

#endif
