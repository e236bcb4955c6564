/* do_page_fault: the RISC-V page-fault entry (Linux: arch/riscv/mm/fault.c).
 * scause says fetch, load or store; stval is the address. A fault in a VMA
 * that allows the access is handled by handle_mm_fault; otherwise the
 * process gets SIGSEGV (SEGV_MAPERR: no VMA; SEGV_ACCERR: not allowed), or,
 * for a kernel access to user memory, the exception-table fixup runs. */
#include "arch/riscv/traps.h"
#include "arch/riscv/csr.h"
#include "kernel/printk.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"
#include "mm/vma.h"
#include "proc/exit.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/task.h"

static bool access_error(unsigned long cause, struct vm_area_struct *vma)
{
	switch (cause) {
	case EXC_INST_PAGE_FAULT:
		return !(vma->vm_flags & VM_EXEC);
	case EXC_LOAD_PAGE_FAULT:
		return !(vma->vm_flags & (VM_READ | VM_WRITE));
	case EXC_STORE_PAGE_FAULT:
		return !(vma->vm_flags & VM_WRITE);
	}
	return true;
}

static void bad_area(struct pt_regs *regs, int code, unsigned long addr)
{
	if (user_mode(regs))
		force_sig_fault(SIGSEGV, code, addr, regs);
	else
		do_kernel_fault(regs);
}

/* Find the VMA for addr, growing a stack VMA down to it if that is how
 * it can be reached. Returns with the mmap lock held for reading. */
static struct vm_area_struct *lock_vma_for(struct mm_struct *mm, unsigned long addr)
{
	mmap_read_lock(mm);
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma || vma->vm_start <= addr || !(vma->vm_flags & VM_GROWSDOWN))
		return vma;
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start > addr && expand_stack(vma, addr))
		vma = NULL;
	mmap_write_unlock(mm);
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	return vma && vma->vm_start <= addr ? vma : NULL;
}

void do_page_fault(struct pt_regs *regs)
{
	unsigned long addr = regs->badaddr, cause = regs->cause;
	struct mm_struct *mm = current->mm;
	unsigned int flags = 0;

	/* Kernel-half addresses, and faults without a user mm, are never
	 * handled here: a user access is refused, a kernel one is a bug. */
	if (addr >= USER_VA_END || !mm) {
		bad_area(regs, SEGV_MAPERR, addr);
		return;
	}
	if (!user_mode(regs) && !(regs->status & SR_SUM)) {
		die(regs, "kernel access to user memory outside a user copy");
		return;
	}
	/* As the faulting code had them (always on in user mode): a kernel
	 * copy to or from user memory stays preemptible through its faults. */
	if (regs->status & SR_SPIE)
		local_irq_enable();
	if (cause == EXC_STORE_PAGE_FAULT)
		flags |= FAULT_FLAG_WRITE;
	if (cause == EXC_INST_PAGE_FAULT)
		flags |= FAULT_FLAG_INSTRUCTION;
	if (user_mode(regs))
		flags |= FAULT_FLAG_USER;

	struct vm_area_struct *vma = lock_vma_for(mm, addr);
	if (!vma || vma->vm_start > addr) {
		mmap_read_unlock(mm);
		bad_area(regs, SEGV_MAPERR, addr);
		return;
	}
	if (access_error(cause, vma)) {
		mmap_read_unlock(mm);
		bad_area(regs, SEGV_ACCERR, addr);
		return;
	}
	int ret = handle_mm_fault(vma, addr, flags);
	mmap_read_unlock(mm);
	if (!(ret & VM_FAULT_ERROR))
		return;
	if (ret & VM_FAULT_OOM) {
		/* Linux's pagefault_out_of_memory: the biggest process is killed
		 * and this fault is retried once memory has had time to return. */
		bool retry = fatal_signal_pending(current) || out_of_memory();
		if (!user_mode(regs) && fixup_exception(regs))
			return; /* the system call fails with -EFAULT */
		if (!retry) {
			pr_err("Out of memory: nothing to kill; killed process %d (%s) on a fault at %lx\n",
			       current->pid, current->comm, addr);
			do_group_exit(SIGKILL);
		}
		schedule_timeout(10 * 1000 * 1000, TASK_KILLABLE);
		return;
	}
	if (ret & VM_FAULT_SIGBUS) {
		if (user_mode(regs))
			force_sig_fault(SIGBUS, 2 /* BUS_ADRERR */, addr, regs);
		else
			do_kernel_fault(regs);
		return;
	}
	bad_area(regs, SEGV_ACCERR, addr);
}
