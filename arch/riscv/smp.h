/* Secondary hart start-up (arch/riscv/smp.c). */
#ifndef ARCH_RISCV_SMP_H
#define ARCH_RISCV_SMP_H

int smp_boot_secondaries(void); /* returns the number of harts online */
void secondary_start_kernel(unsigned long hartid);

#endif
