/* Internal to proc/signal*.c: the signal classes and the helpers that
 * signal.c (state, sending), signal_deliver.c (taking) and
 * signal_syscalls.c (system calls) share. Not for the rest of the kernel. */
#ifndef PROC_SIGNAL_INTERNAL_H
#define PROC_SIGNAL_INTERNAL_H

#include "proc/signal.h"

#define NSEC_PER_SEC 1000000000ULL

/* ---- signal classes (the default actions) ---- */

#define M(s) (1UL << ((s) - 1))
#define SIG_KERNEL_ONLY_MASK (M(SIGKILL) | M(SIGSTOP))
#define SIG_KERNEL_STOP_MASK (M(SIGSTOP) | M(SIGTSTP) | M(SIGTTIN) | M(SIGTTOU))
#define SIG_KERNEL_COREDUMP_MASK (M(SIGQUIT) | M(SIGILL) | M(SIGTRAP) | M(SIGABRT) | M(SIGFPE) | \
				  M(SIGSEGV) | M(SIGBUS) | M(SIGSYS) | M(SIGXCPU) | M(SIGXFSZ))
#define SIG_KERNEL_IGNORE_MASK (M(SIGCONT) | M(SIGCHLD) | M(SIGWINCH) | M(SIGURG))
/* Signals the hardware raises: delivered before any other pending one. */
#define SYNCHRONOUS_MASK (M(SIGSEGV) | M(SIGBUS) | M(SIGILL) | M(SIGTRAP) | M(SIGFPE) | M(SIGSYS))

/* signal.c */
bool sig_kernel_only(int sig);
bool sig_kernel_stop(int sig);
bool sig_kernel_coredump(int sig);
bool sig_kernel_ignore(int sig);
bool valid_signal(int sig);
bool sig_handler_ignored(void __user *handler, int sig);
struct task_struct *next_thread(struct task_struct *t);
int sq_signo(const struct sigqueue *q);
void sigqueue_free(struct sigqueue *q);
void flush_group_mask(struct task_struct *p, unsigned long mask);
bool stop_in_effect(struct signal_struct *sig);
bool recalc_sigpending_tsk(struct task_struct *t);
void signal_wake_up(struct task_struct *t, bool fatal);
void fill_kill_info(siginfo_t *info, int sig, int code);
int __kill_pgrp_info(int sig, const siginfo_t *info, int pgrp);
/* signal_syscalls.c */
int check_kill_permission(int sig, const siginfo_t *info, struct task_struct *t);
void force_sigsegv(int sig);
void do_notify_parent_cldstop(struct task_struct *tsk, int why);

/* signal_deliver.c */
bool complete_group_stop(struct task_struct *p);
void retarget_shared_pending(struct task_struct *t, unsigned long which);
void __set_task_blocked(struct task_struct *t, const sigset_t *newset);

#endif /* PROC_SIGNAL_INTERNAL_H */
