/* CPU-time clocks and timers (Linux: kernel/time/posix-cpu-timers.c):
 * the process and thread CPU clocks that clock_gettime reads and
 * timer_create may arm, checked from the tick, and RLIMIT_CPU. CPU time
 * is the scheduler's exact run time (task_sched_runtime). */
#include "proc/posix_timers.h"
#include "proc/sched.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

/* CPU time of t's thread group: exited threads' and live ones'. t is
 * current, or kept alive by the caller (tasklist_lock). siglock keeps the
 * ring still (order: posix_timers_lock, siglock, rq). */
u64 thread_group_sched_runtime(struct task_struct *t)
{
	struct task_struct *p = t;
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	u64 ns = t->signal->sum_sched_runtime;

	do {
		ns += task_sched_runtime(p);
		p = list_entry(p->thread_group.next, struct task_struct, thread_group);
	} while (p != t);
	spin_unlock_irqrestore(&t->sighand->siglock, f);
	return ns;
}

static u64 group_cputime(void)
{
	return thread_group_sched_runtime(current);
}

/* glibc names the CPU-time clocks as Linux encodes them: a negative id
 * ~pid << 3 | perthread << 2 | type (MAKE_PROCESS_CPUCLOCK). Only the
 * scheduler clock (CPUCLOCK_SCHED) of this process or one of its threads
 * is taken; the plain ids 2 and 3 mean the same for pid 0. */
int decode_cpu_clock(int clock, struct task_struct **thread)
{
	int pid = ~(clock >> 3);

	*thread = NULL;
	if ((clock & 3) != CPUCLOCK_SCHED)
		return -EINVAL; /* CPUCLOCK_PROF, CPUCLOCK_VIRT, clock fds */
	if (!(clock & CPUCLOCK_PERTHREAD))
		return pid == 0 || pid == current->tgid ? CLOCK_PROCESS_CPUTIME_ID : -EINVAL;
	spin_lock(&tasklist_lock);
	struct task_struct *t = pid ? find_task_by_pid(pid) : current;
	if (t && t->tgid == current->tgid)
		get_task_struct(t);
	else
		t = NULL;
	spin_unlock(&tasklist_lock);
	*thread = t;
	return t ? CLOCK_THREAD_CPUTIME_ID : -EINVAL;
}

/* clock_gettime of a CPU-time clock: the plain ids (ours) or an encoded
 * one naming any process (pid) or thread (tid); -EINVAL if there is none. */
long posix_cpu_clock_get(int clock, u64 *ns)
{
	int pid = clock < 0 ? ~(clock >> 3) : 0;
	bool thread = clock < 0 ? (clock & CPUCLOCK_PERTHREAD) : clock == CLOCK_THREAD_CPUTIME_ID;
	long err = 0;

	if (clock < 0 && (clock & 3) != CPUCLOCK_SCHED)
		return -EINVAL;
	if (!pid) {
		*ns = thread ? task_sched_runtime(current) : group_cputime();
		return 0;
	}
	spin_lock(&tasklist_lock);
	struct task_struct *t = find_task_by_pid(pid);
	if (!t || !t->signal || t->exit_state || (!thread && !thread_group_leader(t)))
		err = -EINVAL;
	else
		*ns = thread ? task_sched_runtime(t) : thread_group_sched_runtime(t);
	spin_unlock(&tasklist_lock);
	return err;
}

/* RLIMIT_CPU (seconds of the process's CPU time): past the soft limit
 * SIGXCPU, and the soft limit moves a second on (as Linux does, so the
 * signal repeats every second); past the hard limit SIGKILL. The limit is
 * written here without do_prlimit's tasklist_lock (an interrupt may not
 * take it): a racing setrlimit may lose this one-second step. */
static void check_rlimit_cpu(struct task_struct *t)
{
	struct rlimit64 *rl = &t->signal->rlim[RLIMIT_CPU];
	u64 soft = READ_ONCE(rl->rlim_cur), hard = READ_ONCE(rl->rlim_max);
	u64 secs = group_cputime() / NSEC_PER_SEC;

	if (hard != RLIM_INFINITY && secs >= hard) {
		group_send_sig(SIGKILL, t);
	} else if (secs >= soft) {
		group_send_sig(SIGXCPU, t);
		if (soft < hard)
			WRITE_ONCE(rl->rlim_cur, soft + 1);
	}
}

/* From the tick of a hart running current: CPU-time timers are checked
 * at tick granularity (Linux's run_posix_cpu_timers), and RLIMIT_CPU. */
void run_posix_cpu_timers(void)
{
	struct task_struct *t = current;
	struct signal_struct *sig = t->signal;
	struct list_head *pos;
	u64 group_now = 0;
	bool have_group_now = false;

	if (!sig || (t->flags & PF_EXITING))
		return;
	if (READ_ONCE(sig->rlim[RLIMIT_CPU].rlim_cur) != RLIM_INFINITY)
		check_rlimit_cpu(t);
	if (!READ_ONCE(sig->nr_cpu_timers))
		return;
	unsigned long f = spin_lock_irqsave(&sig->posix_timers_lock);
	list_for_each(pos, &sig->posix_timers) {
		struct k_itimer *timr = list_entry(pos, struct k_itimer, it_list);
		u64 now;
		if (!timr->it_active || !is_cpu_clock(timr->it_clock))
			continue;
		if (timr->it_clock == CLOCK_THREAD_CPUTIME_ID) {
			if (timr->it_cpu_task != t)
				continue; /* its thread's own tick checks it */
			now = task_sched_runtime(t);
		} else {
			if (!have_group_now)
				group_now = group_cputime(), have_group_now = true;
			now = group_now;
		}
		if (now >= timr->it_expires)
			posix_timer_fire(timr, now);
	}
	spin_unlock_irqrestore(&sig->posix_timers_lock, f);
}
