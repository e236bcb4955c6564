/* Trap entry and exit, and the context switch. As on Linux riscv: in the
 * kernel sscratch is 0 and tp is the current task; in user mode sscratch
 * holds the task, so one csrrw tells where the trap came from. */
#include "arch/riscv/csr.h"
#include "arch/riscv/ptrace.h"
#include "proc/task.h"

	.text
	.balign 4
	.globl handle_exception
handle_exception:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lsave_context	/* from user: tp = task, sscratch = user tp */
	csrr	tp, sscratch		/* from kernel: keep using this stack */
	sd	sp, TI_KERNEL_SP(tp)
.Lsave_context:
	sd	sp, TI_USER_SP(tp)
	ld	sp, TI_KERNEL_SP(tp)
	addi	sp, sp, -PT_SIZE
	sd	x1, 8(sp)
	sd	x3, 24(sp)
	sd	x5, 40(sp)
	sd	x6, 48(sp)
	sd	x7, 56(sp)
	sd	x8, 64(sp)
	sd	x9, 72(sp)
	sd	x10, 80(sp)
	sd	x11, 88(sp)
	sd	x12, 96(sp)
	sd	x13, 104(sp)
	sd	x14, 112(sp)
	sd	x15, 120(sp)
	sd	x16, 128(sp)
	sd	x17, 136(sp)
	sd	x18, 144(sp)
	sd	x19, 152(sp)
	sd	x20, 160(sp)
	sd	x21, 168(sp)
	sd	x22, 176(sp)
	sd	x23, 184(sp)
	sd	x24, 192(sp)
	sd	x25, 200(sp)
	sd	x26, 208(sp)
	sd	x27, 216(sp)
	sd	x28, 224(sp)
	sd	x29, 232(sp)
	sd	x30, 240(sp)
	sd	x31, 248(sp)
	/* The kernel runs with SUM clear (no stray user accesses) and FP off. */
	li	t0, SR_SUM | SR_FS
	ld	s0, TI_USER_SP(tp)
	csrrc	s1, sstatus, t0
	csrr	s2, sepc
	csrr	s3, stval
	csrr	s4, scause
	csrr	s5, sscratch
	sd	s0, PT_SP(sp)
	sd	s1, PT_STATUS(sp)
	sd	s2, PT_EPC(sp)
	sd	s3, PT_BADADDR(sp)
	sd	s4, PT_CAUSE(sp)
	sd	s5, PT_TP(sp)
	csrw	sscratch, zero
	mv	a0, sp
	la	ra, ret_from_exception
	tail	do_trap

/* do_trap has done the work due on the way out: signals and rescheduling
 * before user mode (exit_to_user_mode), kernel preemption before kernel
 * code (irqentry_exit_cond_resched). A task preempted in the kernel comes
 * back here later, possibly on another hart: sstatus (SUM, FS, SPIE) comes
 * from its own saved frame, so nothing here depends on the hart. */
	.globl ret_from_exception
ret_from_exception:
	csrc	sstatus, SR_SIE
	ld	s0, PT_STATUS(sp)
	andi	s0, s0, SR_SPP
	bnez	s0, 1f
	/* Back to user: the next trap starts from an empty kernel stack. */
	addi	s0, sp, PT_SIZE
	sd	s0, TI_KERNEL_SP(tp)
	csrw	sscratch, tp
1:
	ld	a0, PT_STATUS(sp)
	ld	a2, PT_EPC(sp)
	csrw	sstatus, a0
	csrw	sepc, a2
	ld	x1, 8(sp)
	ld	x3, 24(sp)
	ld	x4, 32(sp)
	ld	x5, 40(sp)
	ld	x6, 48(sp)
	ld	x7, 56(sp)
	ld	x8, 64(sp)
	ld	x9, 72(sp)
	ld	x10, 80(sp)
	ld	x11, 88(sp)
	ld	x12, 96(sp)
	ld	x13, 104(sp)
	ld	x14, 112(sp)
	ld	x15, 120(sp)
	ld	x16, 128(sp)
	ld	x17, 136(sp)
	ld	x18, 144(sp)
	ld	x19, 152(sp)
	ld	x20, 160(sp)
	ld	x21, 168(sp)
	ld	x22, 176(sp)
	ld	x23, 184(sp)
	ld	x24, 192(sp)
	ld	x25, 200(sp)
	ld	x26, 208(sp)
	ld	x27, 216(sp)
	ld	x28, 224(sp)
	ld	x29, 232(sp)
	ld	x30, 240(sp)
	ld	x31, 248(sp)
	ld	x2, 16(sp)
	sret

/* A new task's first run. __switch_to returned here with a0 = the task
 * switched away from: finish that switch, then for a kernel thread call
 * fn(arg) from s0/s1 and leave through the pt_regs at the top of its
 * stack (for init, exec filled them in: the jump to user mode). */
	.globl ret_from_kernel_thread
ret_from_kernel_thread:
	call	schedule_tail
	mv	a0, s1
	jalr	s0
	j	ret_from_exception	/* sp is task_pt_regs(current) again */

/* A forked user task: back to user mode with the copied registers. */
	.globl ret_from_fork
ret_from_fork:
	call	ret_from_fork_c
	j	ret_from_exception

/* struct task_struct *__switch_to(prev, next): save prev's callee-saved
 * registers, load next's, and return in next's context with prev in a0. */
	.globl __switch_to
__switch_to:
	addi	t0, a0, TASK_THREAD
	addi	t1, a1, TASK_THREAD
	sd	ra, THREAD_RA(t0)
	sd	sp, THREAD_SP(t0)
	sd	s0, 16(t0)
	sd	s1, 24(t0)
	sd	s2, 32(t0)
	sd	s3, 40(t0)
	sd	s4, 48(t0)
	sd	s5, 56(t0)
	sd	s6, 64(t0)
	sd	s7, 72(t0)
	sd	s8, 80(t0)
	sd	s9, 88(t0)
	sd	s10, 96(t0)
	sd	s11, 104(t0)
	ld	ra, THREAD_RA(t1)
	ld	sp, THREAD_SP(t1)
	ld	s0, 16(t1)
	ld	s1, 24(t1)
	ld	s2, 32(t1)
	ld	s3, 40(t1)
	ld	s4, 48(t1)
	ld	s5, 56(t1)
	ld	s6, 64(t1)
	ld	s7, 72(t1)
	ld	s8, 80(t1)
	ld	s9, 88(t1)
	ld	s10, 96(t1)
	ld	s11, 104(t1)
	mv	tp, a1
	ret
