/* TLB maintenance and address-space switching. Each mm gets an ASID so
 * a context switch needs no flush; a change to a live mapping is flushed
 * on this hart with sfence.vma and on the other harts that may cache the
 * mm (mm->cpu_mask) through SBI RFENCE, before the frame is reused. */
#ifndef ARCH_RISCV_TLBFLUSH_H
#define ARCH_RISCV_TLBFLUSH_H
#include "mm/mm_types.h"

static inline void local_flush_tlb_page(unsigned long addr)
{
	__asm__ __volatile__("sfence.vma %0" ::"r"(addr) : "memory");
}

void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr);

void asid_init(void);
/* Make next the hart's address space (NULL: kernel only). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);
extern unsigned long asid_bits;

#endif
