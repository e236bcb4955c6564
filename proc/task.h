/* struct task_struct, the task descriptor, and the per-hart data found
 * from it. In the kernel, tp holds the running task (Linux riscv's
 * convention); while a hart runs user code, sscratch holds it instead. */
#ifndef PROC_TASK_H
#define PROC_TASK_H

#define TI_FLAGS 0
#define TI_PREEMPT_COUNT 8
#define TI_KERNEL_SP 16
#define TI_USER_SP 24
#define TI_CPU 32
#define TASK_THREAD 40
#define THREAD_RA 0
#define THREAD_SP 8
#define THREAD_S0 16

#define THREAD_SIZE (16 * 1024) /* kernel stack, pt_regs at its top */
#define THREAD_ORDER 2

#ifndef __ASSEMBLY__
#include "kernel/types.h"
#include "kernel/list.h"
#include "arch/riscv/ptrace.h"

struct thread_info {
	unsigned long flags;    /* TIF_* */
	int preempt_count;
	long kernel_sp;         /* entry.S: stack to use on a trap from user mode */
	long user_sp;           /* entry.S: scratch for the user sp */
	int cpu;                /* index of the hart running the task */
	int pad;
};

/* Callee-saved registers kept across __switch_to. */
struct thread_struct {
	unsigned long ra, sp;
	unsigned long s[12];
};

enum task_state { TASK_RUNNING, TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, TASK_DEAD };

struct mm_struct;
struct files_struct;

/* Resource limits (Linux numbering); per task until signal_struct exists. */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0UL)
struct rlimit64 {
	u64 rlim_cur, rlim_max;
};

struct task_struct {
	struct thread_info thread_info; /* first: entry.S finds it at tp */
	struct thread_struct thread;    /* at TASK_THREAD */
	void *stack;                    /* base of the THREAD_SIZE kernel stack */
	volatile long state;
	int pid, tgid;
	unsigned int flags;             /* PF_* */
	char comm[16];
	struct mm_struct *mm, *active_mm;
	struct files_struct *files;
	int __user *clear_child_tid;    /* set_tid_address */
	int exit_code;
	unsigned long min_flt, maj_flt;
	unsigned long nvcsw, nivcsw;
	u64 start_time;                 /* ns since boot */
	struct rlimit64 rlim[RLIM_NLIMITS];
};

#define PF_KTHREAD 0x00200000
#define PF_IDLE    0x00000002

_Static_assert(offsetof(struct task_struct, thread_info.kernel_sp) == TI_KERNEL_SP, "ti");
_Static_assert(offsetof(struct task_struct, thread_info.user_sp) == TI_USER_SP, "ti");
_Static_assert(offsetof(struct task_struct, thread_info.cpu) == TI_CPU, "ti");
_Static_assert(offsetof(struct task_struct, thread) == TASK_THREAD, "thread");

static inline struct task_struct *get_current(void)
{
	struct task_struct *t;
	__asm__("mv %0, tp" : "=r"(t));
	return t;
}
#define current get_current()

static inline struct pt_regs *task_pt_regs(struct task_struct *t)
{
	return (struct pt_regs *)((char *)t->stack + THREAD_SIZE) - 1;
}

#define NR_CPUS 32

/* Per-hart data, indexed by the dense cpu number (not the hartid). */
struct hart {
	unsigned long hartid;
	int cpu;
	bool online;
	struct task_struct *idle;
	unsigned long ticks;
	unsigned long irqs;
};
extern struct hart harts[NR_CPUS];
extern int nr_cpus_possible;

static inline int smp_processor_id(void) { return current->thread_info.cpu; }
static inline struct hart *this_hart(void) { return &harts[smp_processor_id()]; }
#endif

#endif
