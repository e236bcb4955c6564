/* User-memory copies. SUM is set only for the copy; each instruction that
 * touches user memory has an __ex_table entry, so a fault resumes at the
 * fixup, which reports how many bytes were not copied. */
#include "arch/riscv/csr.h"

	.macro EX insn, reg, addr
100:	\insn	\reg, \addr
	.pushsection __ex_table, "a"
	.balign 8
	.quad 100b, .Lfixup
	.popsection
	.endm

	.text
/* unsigned long __asm_copy_user(void *dst, const void *src, unsigned long n)
 * Either side may be user memory (the caller checked which). Returns the
 * number of bytes left uncopied (0 on success). */
	.globl __asm_copy_user
__asm_copy_user:
	li	t6, SR_SUM
	csrs	sstatus, t6
	beqz	a2, 2f
	/* 8 bytes at a time when both are aligned. */
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 1f
3:	li	t1, 8
	bltu	a2, t1, 1f
	EX ld, t0, 0(a1)
	EX sd, t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	3b
1:	beqz	a2, 2f
	EX lb, t0, 0(a1)
	EX sb, t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	1b
2:	csrc	sstatus, t6
	mv	a0, a2
	ret

/* long __asm_strncpy_from_user(char *dst, const char *src, long n):
 * length of the string copied (without NUL), n if no NUL in n bytes, or
 * -1 after a fault (the caller turns it into -EFAULT). */
	.globl __asm_strncpy_from_user
__asm_strncpy_from_user:
	li	t6, SR_SUM
	csrs	sstatus, t6
	li	t1, 0
1:	beq	t1, a2, 2f
	add	t2, a1, t1
	EX lb, t0, 0(t2)
	add	t3, a0, t1
	sb	t0, 0(t3)
	beqz	t0, 2f
	addi	t1, t1, 1
	j	1b
2:	csrc	sstatus, t6
	mv	a0, t1
	ret

/* long __asm_clear_user(void *dst, unsigned long n): bytes left unzeroed. */
	.globl __asm_clear_user
__asm_clear_user:
	li	t6, SR_SUM
	csrs	sstatus, t6
1:	beqz	a1, 2f
	EX sb, zero, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, -1
	j	1b
2:	csrc	sstatus, t6
	mv	a0, a1
	ret

/* After a fault every routine returns -1: non-zero ("not all copied")
 * for the copies, negative for strncpy; callers turn it into -EFAULT. */
.Lfixup:
	csrc	sstatus, t6
	li	a0, -1
	ret
