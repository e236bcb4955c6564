/* System-call dispatch: numbers from asm-generic/unistd.h, arguments in
 * a0-a5, number in a7, result (or -errno) back in a0. SYSCALL_DEFINEn
 * makes sys_NAME(regs) unpack the registers into typed arguments. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H
#include "arch/riscv/ptrace.h"

typedef long (*syscall_fn_t)(const struct pt_regs *);
void do_syscall(struct pt_regs *regs);

#define SYSCALL_DEFINE0(name)                                    \
	long sys_##name(const struct pt_regs *__r);                  \
	long sys_##name(const struct pt_regs *__r __attribute__((unused)))
#define SYSCALL_DEFINE1(name, t1, n1) \
	__SC_BODY(name, __do_sys_##name((t1)r->a0), t1 n1)
#define SYSCALL_DEFINE2(name, t1, n1, t2, n2) \
	__SC_BODY(name, __do_sys_##name((t1)r->a0, (t2)r->a1), t1 n1, t2 n2)
#define SYSCALL_DEFINE3(name, t1, n1, t2, n2, t3, n3) \
	__SC_BODY(name, __do_sys_##name((t1)r->a0, (t2)r->a1, (t3)r->a2), t1 n1, t2 n2, t3 n3)
#define SYSCALL_DEFINE4(name, t1, n1, t2, n2, t3, n3, t4, n4)                         \
	__SC_BODY(name, __do_sys_##name((t1)r->a0, (t2)r->a1, (t3)r->a2, (t4)r->a3), \
		  t1 n1, t2 n2, t3 n3, t4 n4)
#define SYSCALL_DEFINE5(name, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5)                  \
	__SC_BODY(name, __do_sys_##name((t1)r->a0, (t2)r->a1, (t3)r->a2, (t4)r->a3,   \
					(t5)r->a4), t1 n1, t2 n2, t3 n3, t4 n4, t5 n5)
#define SYSCALL_DEFINE6(name, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6)          \
	__SC_BODY(name, __do_sys_##name((t1)r->a0, (t2)r->a1, (t3)r->a2, (t4)r->a3,   \
					(t5)r->a4, (t6)r->a5), t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6)

#define __SC_BODY(name, call, ...)                               \
	static long __do_sys_##name(__VA_ARGS__);                    \
	long sys_##name(const struct pt_regs *r);                    \
	long sys_##name(const struct pt_regs *r) { return call; }    \
	static long __do_sys_##name(__VA_ARGS__)

#endif
