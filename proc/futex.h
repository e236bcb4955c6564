/* Fast user-space mutexes (proc/futex.c): futex(2) and the robust-list
 * calls, plus the exit/exec-time cleanup that robust mutexes and
 * pthread_join (clear_child_tid) rely on. */
#ifndef PROC_FUTEX_H
#define PROC_FUTEX_H
#include "proc/task.h"

/* At exit: walk the robust list, then clear and wake *clear_child_tid.
 * t must be current, with its mm still attached. */
void exit_robust_list(struct task_struct *t);
/* Wake up to nr waiters on the private or shared futex at uaddr. */
int futex_wake_addr(u32 __user *uaddr, bool shared, int nr);
/* Set up the wait table; call once at boot, before the first futex call. */
void futex_init(void);

/* System calls (numbers are asm-generic's, for kernel/syscall.c). */
long sys_futex(const struct pt_regs *r);           /* 98 */
long sys_set_robust_list(const struct pt_regs *r); /* 99 */
long sys_get_robust_list(const struct pt_regs *r); /* 100 */

#endif
