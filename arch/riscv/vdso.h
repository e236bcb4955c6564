/* The vDSO: a small ELF shared object (built from arch/riscv/vdso/) mapped
 * in every user address space, [vdso], right above its read-only data page
 * [vvar]. It serves clock_gettime/gettimeofday/clock_getres without a
 * trap (rdtime) and holds the signal return trampoline (Linux riscv has no
 * SA_RESTORER: a handler's ra is __vdso_rt_sigreturn). */
#ifndef ARCH_RISCV_VDSO_H
#define ARCH_RISCV_VDSO_H
#include "kernel/types.h"

struct mm_struct;

/* Map [vvar] and [vdso] into mm (exec calls it once mm->mmap_base is set,
 * with mm's mmap_lock not held); *base_out = the image's address, for
 * AT_SYSINFO_EHDR. 0 or -ENOMEM. */
int arch_setup_additional_pages(struct mm_struct *mm, unsigned long *base_out);

/* The user address of __vdso_rt_sigreturn in mm, or 0 if mm has no vDSO
 * (never mapped, or unmapped by the program). Takes mm's mmap_lock. */
unsigned long vdso_rt_sigreturn_addr(struct mm_struct *mm);
/* CLOCK_REALTIME moved (clock_settime): update [vvar]. */
void vdso_set_realtime_offset(s64 off);

#endif
