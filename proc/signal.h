/* Signal numbers and the fault-signal entry point. Until signal delivery
 * exists (processes issue), a fault signal terminates the process as the
 * default action would: wait status = signal number. */
#ifndef PROC_SIGNAL_H
#define PROC_SIGNAL_H
#include "arch/riscv/ptrace.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2

void force_sig_fault(int sig, int code, unsigned long addr, struct pt_regs *regs);

#endif
