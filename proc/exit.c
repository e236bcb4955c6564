/* do_exit: release the task's resources and leave the CPU for good. The
 * init process's exit powers the machine off with its status, which QEMU
 * passes on as its own exit status (this is what `make run` reports). */
#include "proc/exit.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "proc/sched.h"
#include "kernel/fs/file.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "mm/mm.h"
#include "arch/riscv/tlbflush.h"

static int wait_status_to_exit_code(int code)
{
	if (code & 0x7f)
		return 128 + (code & 0x7f); /* killed by a signal, as a shell reports it */
	return (code >> 8) & 0xff;
}

void do_exit(int code)
{
	struct task_struct *t = current;

	t->exit_code = code;
	if (t->pid == 1) {
		pr_info("init exited with status %d\n", wait_status_to_exit_code(code));
		kernel_power_off(wait_status_to_exit_code(code));
	}
	if (t->mm) {
		struct mm_struct *mm = t->mm;
		t->mm = NULL;
		switch_mm(mm, NULL);
		mmput(mm);
	}
	exit_files(t);
	t->state = TASK_DEAD;
	schedule();
	panic("do_exit: dead task %d was scheduled again", t->pid);
}

void do_group_exit(int code)
{
	/* Single-threaded processes only until clone threads exist. */
	do_exit(code);
}

void force_sig_fault(int sig, int code, unsigned long addr, struct pt_regs *regs)
{
	struct task_struct *t = current;

	if (sig == SIGSEGV)
		pr_err("%s[%d]: segfault at %lx pc %lx sp %lx (%s)\n", t->comm, t->pid, addr,
		       regs->epc, regs->sp, code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV_MAPERR");
	else
		pr_err("%s[%d]: fatal signal %d at pc %lx (addr %lx)\n", t->comm, t->pid, sig,
		       regs->epc, addr);
	do_group_exit(sig);
}

SYSCALL_DEFINE1(exit, int, status)
{
	do_exit((status & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, status)
{
	do_group_exit((status & 0xff) << 8);
}
