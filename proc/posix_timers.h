/* POSIX timers, internal to proc/posix_timers.c (the system calls, the
 * wall clocks) and proc/posix_cpu_timers.c (the CPU-time clocks). */
#ifndef PROC_POSIX_TIMERS_H
#define PROC_POSIX_TIMERS_H
#include "proc/signal.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"

#define CPUCLOCK_SCHED 2
#define CPUCLOCK_PERTHREAD 4

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4
#define TIMER_ABSTIME 1
#define SIGRTMAX _NSIG
#define NSEC_PER_SEC 1000000000ULL
#define TICK_NSEC 10000000ULL /* HZ = 100 */
#define DELAYTIMER_MAX 0x7fffffff

struct k_itimer {
	struct list_head it_list;        /* in signal_struct->posix_timers */
	int it_id;
	int it_clock;
	int it_sigev_notify;
	struct signal_struct *it_signal;
	struct task_struct *it_target;   /* gets the signal (a reference) */
	struct task_struct *it_cpu_task; /* CLOCK_THREAD_CPUTIME_ID: whose time (a reference) */
	struct sigqueue *sigq;
	struct timer it_timer;           /* the wall clocks' (not CPU-time clocks') */
	/* under posix_timers_lock: */
	u64 it_expires;                  /* on the clock's base (monotonic or CPU ns); 0: disarmed */
	u64 it_interval;                 /* ns; 0: one-shot */
	bool it_active;                  /* armed and not fired */
	bool it_requeue_pending;         /* fired, signal queued: re-armed when it is taken */
	int it_overrun_last;             /* timer_getoverrun */
};

static inline bool is_cpu_clock(int clock)
{
	return clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID;
}

/* The expiry came (timer function or tick); posix_timers_lock held. */
void posix_timer_fire(struct k_itimer *timr, u64 now);
/* An encoded CPU-time clock id of this process or one of its threads:
 * CLOCK_PROCESS_CPUTIME_ID, or CLOCK_THREAD_CPUTIME_ID with the thread
 * (a reference) in *thread; -EINVAL otherwise. */
int decode_cpu_clock(int clock, struct task_struct **thread);

#endif
