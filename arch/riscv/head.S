/* Kernel entry. OpenSBI enters _start on the hart that won its boot
 * lottery, in S-mode with the MMU off: a0 = hartid, a1 = FDT. Other harts
 * arrive at secondary_start when started through SBI HSM. */
#include "arch/riscv/csr.h"
#include "arch/riscv/pgtable.h"
#include "proc/task.h"

	.section .head.text, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrw	sip, zero
	/* Only one hart may boot. OpenSBI 1.1 can send a hart being started
	 * through HSM here (the old entry) if it wakes before hart_start has
	 * stored the new address: such a hart becomes a secondary. */
	la	t0, boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, .Lnot_boot_hart
	la	t0, early_trap_spin
	csrw	stvec, t0
	/* Zero .bss (we run at physical addresses: la is pc-relative). */
	la	t0, __bss_start
	la	t1, __bss_stop
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	s0, a0
	mv	s1, a1
	la	sp, init_thread_union + THREAD_SIZE
	call	setup_vm		/* builds early_pg_dir, turns on Sv48 */
	call	relocate_to_va
	la	sp, init_thread_union + THREAD_SIZE
	la	tp, init_task
	csrw	sscratch, zero
	li	t0, 2			/* scounteren.TM: U-mode may rdtime (the vDSO) */
	csrw	scounteren, t0
	la	t0, handle_exception
	csrw	stvec, t0
	mv	a0, s0
	mv	a1, s1
	call	start_kernel
	j	early_trap_spin

/* Jump from the identity map to the same code in the direct map: adjust
 * the return address (and sp) by PAGE_OFFSET. */
relocate_to_va:
	li	t0, PAGE_OFFSET
	add	ra, ra, t0
	add	sp, sp, t0
	ret

/* A late hart at the boot entry: wait for the idle task the boot hart
 * published for it (secondary_idle[hartid]), then start as a secondary. */
.Lnot_boot_hart:
	la	t0, secondary_idle
	slli	t1, a0, 3
	add	t0, t0, t1
1:	fence	r, r
	ld	a1, 0(t0)
	beqz	a1, 1b
	j	secondary_start

	.globl secondary_start
secondary_start:
	/* a0 = hartid, a1 = this hart's idle task (virtual address). */
	csrw	sie, zero
	csrw	sip, zero
	la	t0, early_trap_spin
	csrw	stvec, t0
	la	t0, early_satp
	ld	t0, 0(t0)
	sfence.vma
	csrw	satp, t0
	sfence.vma
	mv	s0, a0
	mv	s1, a1
	li	sp, 0
	call	relocate_to_va
	la	t0, swapper_satp
	ld	t0, 0(t0)
	csrw	satp, t0
	sfence.vma
	mv	tp, s1
	ld	sp, TI_KERNEL_SP(tp)
	csrw	sscratch, zero
	li	t0, 2			/* scounteren.TM, as on the boot hart */
	csrw	scounteren, t0
	la	t0, handle_exception
	csrw	stvec, t0
	mv	a0, s0
	call	secondary_start_kernel
	j	early_trap_spin

	.balign 4
early_trap_spin:
	wfi
	j	early_trap_spin

	.section .data
	.balign 8
boot_lottery:
	.word	0
	.balign 8
	.globl secondary_idle
secondary_idle:			/* by hartid: the idle task a started hart takes */
	.fill	64, 8, 0
