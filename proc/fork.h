/* Process creation (proc/fork.c): kernel_clone and its helpers. */
#ifndef PROC_FORK_H
#define PROC_FORK_H
#include "kernel/types.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000UL

/* RLIMIT_NPROC would be passed by one more task (proc/rlimit.c);
 * tasklist_lock held. */
bool nproc_limit_reached(void);
#define CLONE_NEWTIME 0x00000080

struct kernel_clone_args {
	u64 flags;
	int __user *child_tid;
	int __user *parent_tid;
	int exit_signal;
	unsigned long stack;       /* lowest address (clone3) or top (clone: size 0) */
	unsigned long stack_size;
	unsigned long tls;
	int (*fn)(void *);         /* kernel threads */
	void *fn_arg;
};

struct task_struct;
long kernel_clone(struct kernel_clone_args *args);
struct mm_struct *dup_mm(struct mm_struct *old);
/* At exit and exec: robust futexes, clear_child_tid, release a vfork parent. */
void mm_release(struct task_struct *t);

#endif
