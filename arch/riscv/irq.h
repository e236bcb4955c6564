/* Interrupt dispatch: timer, IPI (software) and external via the PLIC. */
#ifndef ARCH_RISCV_IRQ_H
#define ARCH_RISCV_IRQ_H
#include "kernel/types.h"

void handle_irq(unsigned long irq);
int plic_init(u64 base_pa, u64 size, u32 ndev);
void plic_set_context(int cpu, int s_context);
void plic_enable_irq(int cpu, u32 irq);
void plic_init_hart(int cpu);

void time_init(u32 timebase_freq, bool sstc);
void timer_start_tick(void);
void timer_interrupt(void);
extern bool timer_use_sstc;

#endif
