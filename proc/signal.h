/* Signals (proc/signal.c, arch/riscv/signal.c): POSIX semantics as Linux
 * implements them, with the riscv64 rt_sigframe/ucontext layouts. */
#ifndef PROC_SIGNAL_H
#define PROC_SIGNAL_H
#include "arch/riscv/ptrace.h"
#include "proc/task.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define ILL_ILLOPC 1
#define TRAP_BRKPT 1
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

static inline unsigned long sigmask(int sig) { return 1UL << (sig - 1); }

/* Set up a new process's signal state (init) and fork's copies. */
struct sighand_struct *sighand_alloc(void);
struct signal_struct *signal_alloc(void);
int copy_sighand(unsigned long clone_flags, struct task_struct *p);
int copy_signal(unsigned long clone_flags, struct task_struct *p);
void exit_signals(struct task_struct *t);          /* do_exit: stop receiving */
void put_sighand(struct sighand_struct *sh);
void put_signal(struct signal_struct *sig);
void flush_signal_handlers(struct task_struct *t); /* exec: handlers back to SIG_DFL */

/* Sending. */
int send_sig(int sig, struct task_struct *t, int priv);          /* thread-directed */
int group_send_sig(int sig, struct task_struct *t);              /* process-directed */
int kill_pgrp(int pgrp, int sig);
void force_sig(int sig);                                          /* to current, unblockable */
void force_sig_fault(int sig, int code, unsigned long addr, struct pt_regs *regs);
/* The parent learns of a child's exit (exit.c calls it, tasklist_lock held):
 * true if the child is to be reaped at once (parent ignores SIGCHLD). */
bool do_notify_parent(struct task_struct *child, int sig);
/* Kill every other thread of current's group (exec, exit_group). */
void zap_other_threads(struct task_struct *t);
bool fatal_signal_pending(struct task_struct *t);

/* On the way back to user mode with TIF_SIGPENDING: deliver one signal
 * (a handler frame, or the default action) and handle syscall restart. */
void do_signal(struct pt_regs *regs);
/* Whether a sleep in `state` should be interrupted now. */
bool signal_pending_state(long state, struct task_struct *t);
void recalc_sigpending(void);

/* ---- added for the signal subsystem's two halves (proc/signal.c and
 * arch/riscv/signal.c) and for later users (ppoll, pselect) ---- */

#define SIG_DFL ((void __user *)0)
#define SIG_IGN ((void __user *)1)

/* sa_flags (Linux riscv values) */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

/* rt_sigprocmask how */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048

#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define RLIMIT_SIGPENDING 11

/* More signal_struct->flags (Linux values). */
#define SIGNAL_CLD_STOPPED 0x00000010   /* the parent is still to hear of a stop... */
#define SIGNAL_CLD_CONTINUED 0x00000020 /* ...or of a SIGCONT */
#define SIGNAL_CLD_MASK (SIGNAL_CLD_STOPPED | SIGNAL_CLD_CONTINUED)
#define SIGNAL_UNKILLABLE 0x00000040    /* init: ignores signals it has no handler for */

/* struct siginfo exactly as riscv64 user space sees it (128 bytes). */
typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct { int si_pid; unsigned int si_uid; u64 si_value; } kill; /* kill, sigqueue */
		struct { int si_tid; int si_overrun; u64 si_value; int si_sys_private; } timer;
		struct {
			int si_pid;
			unsigned int si_uid;
			int si_status;
			int __pad1;
			long si_utime, si_stime; /* clock ticks */
		} chld;
		struct { unsigned long si_addr; } fault;
		u8 __pad[128 - 16];
	};
} siginfo_t;
_Static_assert(sizeof(siginfo_t) == 128, "siginfo is 128 bytes");

/* stack_t (sigaltstack, uc_stack). */
typedef struct sigaltstack {
	void __user *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

/* A signal chosen for delivery to a handler (get_signal's answer). */
struct ksignal {
	struct k_sigaction ka; /* the action as it was when the signal was taken */
	siginfo_t info;
	int sig;
};

static inline bool sigismember(const sigset_t *s, int sig) { return (s->sig >> (sig - 1)) & 1; }
static inline void sigaddset(sigset_t *s, int sig) { s->sig |= sigmask(sig); }
static inline void sigdelset(sigset_t *s, int sig) { s->sig &= ~sigmask(sig); }

/* Take the next deliverable signal of current, carrying out default
 * actions (ignore, stop, terminate) on the way; true with *ksig filled
 * when a handler is to run. */
bool get_signal(struct ksignal *ksig);
/* After building the handler frame: failed → SIGSEGV, else block the
 * handler's mask (signal_delivered). */
void signal_setup_done(int failed, struct ksignal *ksig);
/* Take t's next pending signal not in mask (a blocked-style set), its
 * siginfo in *info; 0 if none. siglock held (rt_sigtimedwait, signalfd). */
int dequeue_signal(struct task_struct *t, const sigset_t *mask, siginfo_t *info);
/* Replace current->blocked (SIGKILL/SIGSTOP never blocked). */
void set_current_blocked(const sigset_t *newset);
/* The mask a handler frame saves: saved_sigmask after sigsuspend. */
sigset_t *sigmask_to_save(void);
/* No handler ran: put a sigsuspend/ppoll saved mask back. */
void restore_saved_sigmask(void);
/* The alternate signal stack, as seen from user stack pointer sp. */
bool on_sig_stack(unsigned long sp);
int sas_ss_flags(unsigned long sp);
/* Fill *ss with current's altstack (for uc_stack); SS_AUTODISARM resets it. */
void save_altstack(stack_t *ss, unsigned long sp);
/* sigaltstack(2) with kernel copies; sp is the user stack pointer. */
int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp);
/* ITIMER_REAL (proc/itimer.c): stop it when the group dies, free it
 * with the signal_struct. proc/signal.c calls these. */
void exit_itimers(struct signal_struct *sig);
/* dequeue_signal took a SIGALRM: re-arm a periodic ITIMER_REAL. */
void itimer_dequeued(struct signal_struct *sig);
void free_itimers(struct signal_struct *sig);
/* Send to thread t or to its group, with no permission check (the
 * kernel's own signals: mq_notify's SI_MESGQ). The caller keeps t alive. */
int do_send_sig_info(int sig, const siginfo_t *info, struct task_struct *t, bool group);
/* With siginfo, to p's group (kill(2)'s path; pidfd_send_signal uses it). */
int group_send_sig_info(int sig, const siginfo_t *info, struct task_struct *p);
/* POSIX timers (proc/posix_timers.c): their preallocated sigqueue,
 * queued at most once (0: queued, 1: already pending, an overrun was
 * counted, -1: ignored or nobody to take it); give it back with
 * posix_sigqueue_free. */
struct sigqueue *posix_sigqueue_alloc(void);
void posix_sigqueue_free(struct sigqueue *q);
int send_sigqueue(struct sigqueue *q, struct task_struct *t, bool group);
/* A timer signal was dequeued: re-arm a periodic timer, set si_overrun. */
void posixtimer_rearm(siginfo_t *info);
void posix_timers_init(struct signal_struct *sig);
void exit_posix_timers(struct signal_struct *sig); /* exit of the group, exec */
/* CPU-time clocks (proc/posix_cpu_timers.c): the tick's check for
 * current (timers, RLIMIT_CPU); clock_gettime of ids 2, 3 and glibc's
 * encoded ones; a thread group's CPU time. */
void run_posix_cpu_timers(void);
long posix_cpu_clock_get(int clock, u64 *ns);
u64 thread_group_sched_runtime(struct task_struct *t);

#endif
