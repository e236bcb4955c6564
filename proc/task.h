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
#include "kernel/spinlock.h"
#include "proc/wait_queue.h"
#include "mm/rbtree.h"
#include "arch/riscv/ptrace.h"
#include "kernel/ipc/ipc.h"

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

/* task->state (Linux values). */
#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001   /* sleeping; signals wake it */
#define TASK_UNINTERRUPTIBLE 0x0002 /* sleeping; only its event wakes it */
#define __TASK_STOPPED 0x0004       /* group stop (SIGSTOP, SIGTSTP...) */
#define TASK_DEAD 0x0080
#define TASK_WAKEKILL 0x0100        /* fatal signals wake it too */
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED (TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* task->exit_state */
#define EXIT_ZOMBIE 0x0020
#define EXIT_DEAD 0x0010

/* thread_info.flags bits */
#define TIF_SIGPENDING 1   /* a signal may be deliverable: check on the way to user */
#define TIF_NEED_RESCHED 2 /* schedule() before returning to user (or at preempt_enable) */

struct mm_struct;
struct files_struct;
struct fs_struct;
struct completion;
struct timer;
struct tty_struct;
struct cred;

/* Resource limits (Linux numbering), per process in signal_struct. */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_MSGQUEUE 12
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0UL)
struct rlimit64 {
	u64 rlim_cur, rlim_max;
};

/* ---- signals (the structures; the code is proc/signal.c) ---- */
#define _NSIG 64
typedef struct {
	unsigned long sig; /* bit (n-1) for signal n */
} sigset_t;

struct k_sigaction {       /* Linux riscv's kernel struct sigaction: no sa_restorer */
	void __user *sa_handler; /* SIG_DFL (0), SIG_IGN (1) or a function */
	unsigned long sa_flags;
	sigset_t sa_mask;
};

struct sigqueue {          /* one queued signal with its siginfo */
	struct list_head list;   /* a preallocated one: empty while not queued */
	u8 info[128];            /* struct siginfo as user space sees it */
	unsigned int flags;      /* SIGQUEUE_PREALLOC: a POSIX timer owns it */
};
#define SIGQUEUE_PREALLOC 1

struct sigpending {
	struct list_head list;   /* of struct sigqueue */
	sigset_t signal;
};

struct sighand_struct {
	int count;               /* tasks sharing it (CLONE_SIGHAND) */
	spinlock_t siglock;      /* protects action[], signalfd_wq, and the pending and
				  * blocked sets of the tasks and signal_struct using it */
	struct signalfd_wq *signalfd_wq; /* signalfd pollers (kernel/fs/signalfd.c), made on first use */
	struct k_sigaction action[_NSIG];
};


/* signal_struct->flags */
#define SIGNAL_STOP_STOPPED 0x00000001   /* the group is stopped */
#define SIGNAL_STOP_CONTINUED 0x00000002 /* SIGCONT since the last report */
#define SIGNAL_GROUP_EXIT 0x00000004     /* exiting (exit_group, fatal signal) */

/* What a process (thread group) shares: Linux's signal_struct. */
struct signal_struct {
	int count;               /* references */
	int nr_threads;          /* live threads */
	struct sigpending shared_pending; /* process-directed signals */
	wait_queue_head_t wait_chldexit;  /* wait4/waitid sleep here */
	unsigned int flags;      /* SIGNAL_* */
	int group_exit_code;     /* wait status of an exiting group */
	struct task_struct *group_exit_task;
	int group_stop_count;    /* threads still to stop */
	int stop_signr;          /* the signal that stopped the group (WUNTRACED) */
	bool stop_reported, cont_reported;
	int pgrp, session;       /* process group and session ids */
	struct tty_struct *tty;  /* controlling terminal (kernel/tty/), or NULL */
	bool is_child_subreaper; /* prctl(PR_SET_CHILD_SUBREAPER): orphans below come here */
	struct rlimit64 rlim[RLIM_NLIMITS];
	/* resource usage of reaped children, and of this group's exited threads */
	u64 cutime, cstime;      /* ns */
	unsigned long cnvcsw, cnivcsw, cmin_flt, cmaj_flt;
	u64 utime, stime;
	unsigned long nvcsw, nivcsw, min_flt, maj_flt;
	u64 sum_sched_runtime;   /* CPU time of exited threads (CLOCK_PROCESS_CPUTIME_ID) */
	/* ITIMER_REAL and alarm() */
	struct timer *real_timer;
	u64 it_real_incr;        /* ns; 0: one-shot */
	wait_queue_head_t wait_pidfd; /* pidfds poll here: woken when the group has exited */
	/* POSIX timers (proc/posix_timers.c) */
	spinlock_t posix_timers_set_lock; /* serializes arming, disarming and deleting */
	spinlock_t posix_timers_lock;     /* protects posix_timers and each timer's state */
	struct list_head posix_timers;    /* struct k_itimer, by it_list */
	int next_posix_timer_id;
	int nr_posix_timers;
	int nr_cpu_timers;                /* armed CPU-time timers: the tick checks them */
};

/* ---- scheduling entity (the code is proc/sched/) ---- */
struct load_weight {
	unsigned long weight;
	u32 inv_weight;
};

struct sched_entity {
	struct load_weight load;
	struct rb_node run_node; /* in cfs_rq->tasks_timeline, by vruntime */
	unsigned int on_rq;
	u64 exec_start;          /* rq clock when it last started running */
	u64 sum_exec_runtime;    /* ns on a CPU, ever */
	u64 prev_sum_exec_runtime; /* at the start of the current slice */
	u64 vruntime;
	u64 nr_migrations;
	u64 wait_start, wait_sum; /* time spent runnable but waiting */
	/* PELT (scheduler issue) */
	u64 last_update_time;
	unsigned long load_avg, util_avg;
	u32 load_sum, util_sum, period_contrib;
};

struct sched_class;

/* Saved user floating-point state (F/D extensions). */
struct user_fpstate {
	u64 f[32];
	u32 fcsr;
};

struct task_struct {
	struct thread_info thread_info; /* first: entry.S finds it at tp */
	struct thread_struct thread;    /* at TASK_THREAD */
	void *stack;                    /* base of the THREAD_SIZE kernel stack */
	volatile long state;            /* TASK_* */
	int usage;                      /* references to this struct (get/put_task_struct) */
	unsigned int flags;             /* PF_* */
	int on_cpu;                     /* running, or being switched away from */
	int on_rq;                      /* queued on a run queue */
	int prio, static_prio, normal_prio;
	unsigned int policy;            /* SCHED_NORMAL... */
	unsigned int rt_priority;
	const struct sched_class *sched_class;
	struct sched_entity se;
	struct list_head rt_run_list;   /* on an rt_rq priority list (scheduler issue) */
	unsigned int rt_time_slice;
	bool sched_reset_on_fork;       /* SCHED_RESET_ON_FORK: children start as SCHED_NORMAL, nice >= 0 */
	unsigned long cpus_mask;        /* harts it may run on (sched_setaffinity) */
	int wake_cpu;                   /* where it should be woken */
	spinlock_t pi_lock;             /* serializes wake-ups of this task */
	struct user_fpstate fpstate;    /* valid while it is not running */

	/* identity and family (tasklist_lock protects the lists) */
	int pid, tgid;
	struct task_struct *group_leader;
	struct task_struct *real_parent; /* who forked us (or a reaper after reparenting) */
	struct task_struct *parent;      /* who gets SIGCHLD and waits (== real_parent: no ptrace) */
	struct list_head children;       /* our children, linked by their sibling */
	struct list_head sibling;
	struct list_head thread_group;   /* the other threads of our group */
	struct list_head tasks;          /* every task, from init_task */
	int exit_state;                  /* EXIT_ZOMBIE / EXIT_DEAD */
	int exit_code;                   /* wait status */
	int exit_signal;                 /* sent to the parent at exit; -1: reap at once */
	int pdeath_signal;
	char comm[16];
	unsigned int personality;        /* PER_LINUX (0) and its flags: personality(2) */

	spinlock_t alloc_lock;           /* task_lock(): protects mm, files, fs, real_cred pointers
					  * against readers of other tasks (/proc) */
	struct mm_struct *mm, *active_mm;
	struct files_struct *files;
	struct fs_struct *fs;
	/* credentials (proc/cred.h): real_cred is what others see and changes
	 * under task_lock; cred is what this task acts with, read only by it */
	const struct cred *real_cred;
	const struct cred *cred;

	int __user *set_child_tid;       /* CLONE_CHILD_SETTID */
	int __user *clear_child_tid;     /* CLONE_CHILD_CLEARTID / set_tid_address */
	void __user *robust_list;        /* set_robust_list */
	size_t robust_list_len;
	struct completion *vfork_done;   /* the vfork parent waits on it */
	struct sysv_sem sysvsem;         /* SEM_UNDO adjustments (kernel/ipc/sem_undo.c) */

	/* signals */
	struct signal_struct *signal;
	struct sighand_struct *sighand;
	sigset_t blocked, real_blocked, saved_sigmask;
	bool restore_sigmask;            /* sigsuspend/ppoll: put saved_sigmask back after delivery */
	struct sigpending pending;       /* thread-directed signals */
	unsigned long sas_ss_sp;
	size_t sas_ss_size;
	unsigned int sas_ss_flags;

	/* accounting */
	u64 utime, stime;                /* ns in user / kernel mode */
	u64 start_time;                  /* ns since boot */
	unsigned long min_flt, maj_flt;
	unsigned long nvcsw, nivcsw;     /* voluntary / involuntary switches */
};

static inline void task_lock(struct task_struct *t) { spin_lock(&t->alloc_lock); }
static inline void task_unlock(struct task_struct *t) { spin_unlock(&t->alloc_lock); }

#define PF_IDLE 0x00000002
#define PF_EXITING 0x00000004    /* in do_exit */
#define PF_FORKNOEXEC 0x00000040 /* forked but did not exec */
#define PF_KTHREAD 0x00200000

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

static inline bool test_tsk_thread_flag(struct task_struct *t, int f)
{
	return (__atomic_load_n(&t->thread_info.flags, __ATOMIC_RELAXED) >> f) & 1;
}
static inline void set_tsk_thread_flag(struct task_struct *t, int f)
{
	__atomic_fetch_or(&t->thread_info.flags, 1UL << f, __ATOMIC_RELAXED);
}
static inline void clear_tsk_thread_flag(struct task_struct *t, int f)
{
	__atomic_fetch_and(&t->thread_info.flags, ~(1UL << f), __ATOMIC_RELAXED);
}
static inline bool signal_pending(struct task_struct *t)
{
	return test_tsk_thread_flag(t, TIF_SIGPENDING);
}
static inline bool need_resched(void)
{
	return test_tsk_thread_flag(get_current(), TIF_NEED_RESCHED);
}
static inline bool thread_group_leader(struct task_struct *t)
{
	return t->group_leader == t;
}
/* The task's process-wide limits. */
#define task_rlimit(t, r) ((t)->signal->rlim[(r)].rlim_cur)

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
