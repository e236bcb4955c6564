/* Trap dispatch (arch/riscv/traps.c) and the oops report. */
#ifndef ARCH_RISCV_TRAPS_H
#define ARCH_RISCV_TRAPS_H
#include "arch/riscv/ptrace.h"

void do_trap(struct pt_regs *regs);
void __noreturn die(struct pt_regs *regs, const char *why);
void show_regs(const struct pt_regs *regs);
void dump_backtrace(unsigned long fp, unsigned long pc);
bool fixup_exception(struct pt_regs *regs);
void do_page_fault(struct pt_regs *regs);
void do_kernel_fault(struct pt_regs *regs);
/* Last work before returning to user mode: reschedule, deliver signals. */
void exit_to_user_mode(struct pt_regs *regs);
extern void handle_exception(void);
extern void ret_from_exception(void);
extern void ret_from_kernel_thread(void);

#endif
