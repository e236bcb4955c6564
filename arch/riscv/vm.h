/* Kernel page-table interface (arch/riscv/pgtable.c). */
#ifndef ARCH_RISCV_VM_H
#define ARCH_RISCV_VM_H
#include "arch/riscv/pgtable.h"

extern pte_t swapper_pg_dir[PTRS_PER_PT];
extern unsigned long swapper_satp;

void paging_init(const phys_addr_t (*ram)[2], int nram);
void pgtable_use_buddy(void);
pte_t *pt_walk(pte_t *pgd, unsigned long va, int level, bool alloc);

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

#endif
