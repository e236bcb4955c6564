/* The [vdso]: one read+exec ELF page in every user address space; so far
 * only the signal return trampoline (Linux riscv has no SA_RESTORER: a
 * handler's ra is __vdso_rt_sigreturn). */
#ifndef ARCH_RISCV_VDSO_H
#define ARCH_RISCV_VDSO_H
#include "kernel/types.h"

struct mm_struct;

/* Map the vDSO into mm (exec calls it once mm->mmap_base is set, with
 * mm's mmap_lock not held); *base_out = its address, for AT_SYSINFO_EHDR.
 * 0 or -ENOMEM. */
int arch_setup_additional_pages(struct mm_struct *mm, unsigned long *base_out);

/* The user address of __vdso_rt_sigreturn in mm, or 0 if mm has no vDSO
 * (never mapped, or unmapped by the program). Takes mm's mmap_lock. */
unsigned long vdso_rt_sigreturn_addr(struct mm_struct *mm);

#endif
