/* C side of every trap: interrupts go to their handlers, system calls to
 * the table, faults to do_page_fault; anything unexpected in S-mode is a
 * kernel bug and ends in an oops with registers and a backtrace. */
#include "arch/riscv/traps.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "kernel/kallsyms.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "proc/task.h"
#include "proc/signal.h"
#include "proc/sched.h"

static const char *const exc_names[16] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_INST_ILLEGAL] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store/AMO address misaligned",
	[EXC_STORE_ACCESS] = "store/AMO access fault",
	[EXC_SYSCALL] = "environment call from U-mode",
	[EXC_HYPERVISOR_SYSCALL] = "environment call from HS-mode",
	[EXC_SUPERVISOR_SYSCALL] = "environment call from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store/AMO page fault",
};

static const char *cause_name(unsigned long cause)
{
	if (cause < 16 && exc_names[cause])
		return exc_names[cause];
	return "reserved exception";
}

struct exception_table_entry {
	unsigned long insn, fixup;
};
extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* A fault at a known user-access instruction resumes at its fixup. */
bool fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++) {
		if (e->insn == regs->epc) {
			regs->epc = e->fixup;
			return true;
		}
	}
	return false;
}

static void print_sym(const char *label, unsigned long addr)
{
	unsigned long off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		pr_emerg("%s%016lx %s+0x%lx\n", label, addr, name, off);
	else
		pr_emerg("%s%016lx\n", label, addr);
}

void show_regs(const struct pt_regs *r)
{
	const unsigned long *x = (const unsigned long *)r;
	static const char *const names[32] = {
		"epc", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
		"a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
		"s10", "s11", "t3", "t4", "t5", "t6",
	};

	print_sym(" epc : ", r->epc);
	print_sym("  ra : ", r->ra);
	for (int i = 2; i < 32; i += 3)
		pr_emerg(" %-3s : %016lx %-3s : %016lx %-3s : %016lx\n", names[i], x[i],
			 i + 1 < 32 ? names[i + 1] : "", i + 1 < 32 ? x[i + 1] : 0,
			 i + 2 < 32 ? names[i + 2] : "", i + 2 < 32 ? x[i + 2] : 0);
	pr_emerg(" status: %016lx badaddr: %016lx cause: %016lx\n", r->status, r->badaddr,
		 r->cause);
}

/* Walk the frame-pointer chain: with -fno-omit-frame-pointer each frame
 * stores ra at fp-8 and the caller's fp at fp-16. Stop when fp leaves the
 * current kernel stack. */
void dump_backtrace(unsigned long fp, unsigned long pc)
{
	struct task_struct *t = current;
	unsigned long lo = (unsigned long)t->stack, hi = lo + THREAD_SIZE;

	pr_emerg("Call Trace:\n");
	print_sym(" [<pc>] ", pc);
	for (int depth = 0; depth < 32; depth++) {
		if (fp < lo + 16 || fp > hi || (fp & 7))
			break;
		unsigned long ra = ((unsigned long *)fp)[-1];
		unsigned long next = ((unsigned long *)fp)[-2];
		if (!kallsyms_lookup(ra, &(unsigned long){ 0 }))
			break;
		print_sym(" [<ra>] ", ra);
		if (next <= fp)
			break;
		fp = next;
	}
}

void die(struct pt_regs *regs, const char *why)
{
	oops_in_progress = 1;
	pr_emerg("Oops: %s [#1]\n", why);
	pr_emerg("CPU: %d hart: %lu PID: %d Comm: %s\n", smp_processor_id(), this_hart()->hartid,
		 current->pid, current->comm);
	show_regs(regs);
	dump_backtrace(regs->s0, regs->epc);
	panic("Fatal exception");
}

void do_kernel_fault(struct pt_regs *regs)
{
	if (fixup_exception(regs))
		return;
	die(regs, cause_name(regs->cause));
}

static void do_user_exception(struct pt_regs *regs)
{
	int sig = SIGILL;

	switch (regs->cause) {
	case EXC_BREAKPOINT:
		sig = SIGTRAP;
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		sig = SIGBUS;
		break;
	}
	force_sig_fault(sig, 0, regs->badaddr, regs);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		local_irq_disable(); /* no wake-up can slip in between check and sret */
		unsigned long flags = READ_ONCE(current->thread_info.flags);
		if (!(flags & ((1UL << TIF_NEED_RESCHED) | (1UL << TIF_SIGPENDING))))
			break;
		local_irq_enable();
		if (flags & (1UL << TIF_NEED_RESCHED))
			schedule();
		else
			do_signal(regs);
	}
}

/* Back to kernel code: kernel preemption (Linux: irqentry_exit's
 * cond_resched; riscv's old resume_kernel). Only if the interrupted code
 * had interrupts on (SPIE) and holds no spinlock or preempt_disable
 * (preempt_count 0): then it can be switched away, and it carries on
 * where it was when it runs again, on this hart or another. */
static void irqentry_exit_cond_resched(struct pt_regs *regs)
{
	local_irq_disable(); /* a page fault may have turned them on */
	if (!(regs->status & SR_SPIE) || preempt_count() != 0)
		return;
	if (need_resched())
		preempt_schedule_irq();
}

void do_trap(struct pt_regs *regs)
{
	unsigned long cause = regs->cause;

	if (cause & CAUSE_IRQ_FLAG) {
		handle_irq(cause & ~CAUSE_IRQ_FLAG, regs);
		if (user_mode(regs))
			exit_to_user_mode(regs);
		else
			irqentry_exit_cond_resched(regs);
		return;
	}
	switch (cause) {
	case EXC_SYSCALL:
		regs->epc += 4;
		local_irq_enable();
		do_syscall(regs);
		break;
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		do_page_fault(regs);
		break;
	default:
		if (user_mode(regs))
			do_user_exception(regs);
		else
			do_kernel_fault(regs);
	}
	if (user_mode(regs))
		exit_to_user_mode(regs);
	else
		irqentry_exit_cond_resched(regs);
}
