/* Interrupt dispatch: timer, IPI (software) and external via the PLIC. */
#ifndef ARCH_RISCV_IRQ_H
#define ARCH_RISCV_IRQ_H
#include "kernel/types.h"

struct pt_regs;
void handle_irq(unsigned long irq, struct pt_regs *regs);
int plic_init(u64 base_pa, u64 size, u32 ndev);
void plic_set_context(int cpu, int s_context);
void plic_enable_irq(int cpu, u32 irq);
void plic_init_hart(int cpu);
int plic_first_routed_cpu(void); /* where device interrupts can go, -1 if nowhere */

void time_init(u32 timebase_freq, bool sstc);
void timer_start_tick(void);
void timer_interrupt(struct pt_regs *regs);
void timer_reprogram(void);
void timer_tick_resume(void);
void timer_idle_enter(void);
void timers_init_cpu(int cpu);
void account_tick(struct pt_regs *regs);
extern bool timer_use_sstc;

#endif
