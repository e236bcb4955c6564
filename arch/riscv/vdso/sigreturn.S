/* __vdso_rt_sigreturn: where a signal handler returns (riscv has no
 * SA_RESTORER; arch/riscv/signal.c sets the handler's ra here). libgcc's
 * unwinder and gdb recognise a signal frame by exactly these two
 * instructions, so they stay uncompressed. */
#define NR_rt_sigreturn 139

	.text
	.globl	__vdso_rt_sigreturn
	.type	__vdso_rt_sigreturn, @function
	.balign	4
__vdso_rt_sigreturn:
	.cfi_startproc
	.cfi_signal_frame
	.option	push
	.option	norvc
	li	a7, NR_rt_sigreturn
	ecall
	.option	pop
	.cfi_endproc
	.size	__vdso_rt_sigreturn, . - __vdso_rt_sigreturn
