/* The scheduler core (Linux: kernel/sched/core.c): one run queue per hart,
 * schedule() asking each class in turn for the next task, the context
 * switch, wake-ups, fork placement, the tick and sleeping with a timeout.
 *
 * A hart's rq->lock is held across the switch itself and released by the
 * task switched to (finish_task_switch), so a waker on another hart cannot
 * queue a task whose stack is still in use. */
#include "proc/sched/sched.h"
#include "proc/cred.h"
#include "proc/wait.h"
#include "kernel/preempt.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/fpu.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/tlbflush.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "proc/signal.h"
#include "arch/riscv/ptrace.h"
#include "mm/mm.h"

struct rq runqueues[NR_CPUS];
static bool class_above(const struct sched_class *a, const struct sched_class *b);

void update_rq_clock(struct rq *rq)
{
	u64 now = ktime_get_ns();

	if (now > rq->clock)
		rq->clock = now;
}

/* Ask rq's hart to schedule: set the flag on its current task, and kick
 * the hart with an IPI if it is not this one (an idle hart is in wfi). */
void resched_curr(struct rq *rq)
{
	struct task_struct *curr = rq->curr;

	if (test_tsk_thread_flag(curr, TIF_NEED_RESCHED))
		return;
	set_tsk_thread_flag(curr, TIF_NEED_RESCHED);
	if (rq->cpu != smp_processor_id())
		sbi_send_ipi(1UL << harts[rq->cpu].hartid, 0);
}

void resched_curr_task(struct task_struct *t)
{
	preempt_disable(); /* "another hart" must stay true until the IPI */
	if (t->on_cpu && task_cpu(t) != smp_processor_id())
		sbi_send_ipi(1UL << harts[task_cpu(t)].hartid, 0);
	preempt_enable();
}

void activate_task(struct rq *rq, struct task_struct *p, int flags)
{
	p->sched_class->enqueue_task(rq, p, flags);
	p->on_rq = 1;
	rq->nr_running++;
}

void deactivate_task(struct rq *rq, struct task_struct *p, int flags)
{
	p->sched_class->dequeue_task(rq, p, flags);
	p->on_rq = 0;
	rq->nr_running--;
}

void check_preempt_curr(struct rq *rq, struct task_struct *p, int flags)
{
	if (p->sched_class == rq->curr->sched_class)
		p->sched_class->check_preempt_curr(rq, p, flags);
	else if (class_above(p->sched_class, rq->curr->sched_class))
		resched_curr(rq);
}

void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

void double_rq_unlock(struct rq *a, struct rq *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

void move_queued_task(struct rq *src, struct rq *dst, struct task_struct *p)
{
	deactivate_task(src, p, 0);
	p->se.vruntime -= src->cfs.min_vruntime; /* vruntime is relative to the queue */
	p->thread_info.cpu = dst->cpu;
	p->se.nr_migrations++;
	p->se.vruntime += dst->cfs.min_vruntime;
	activate_task(dst, p, 0);
	dst->nr_migrations_in++;
	check_preempt_curr(dst, p, 0);
}

/* Is class a above class b in the chain rt → fair → idle? */
static bool class_above(const struct sched_class *a, const struct sched_class *b)
{
	for (const struct sched_class *c = a->next; c; c = c->next)
		if (c == b)
			return true;
	return false;
}

static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *prev)
{
	prev->sched_class->put_prev_task(rq, prev);
	for (const struct sched_class *c = &rt_sched_class; c; c = c->next) {
		struct task_struct *p = c->pick_next_task(rq);
		if (p)
			return p;
	}
	panic("sched: no task to run on cpu %d (not even idle)", rq->cpu);
}

/* The user FP registers of a task stay in the hart until another user
 * task needs them: save when dirty, restore when the next one uses FP. */
static void switch_fpu(struct task_struct *prev, struct task_struct *next)
{
	struct pt_regs *pr = task_pt_regs(prev), *nr = task_pt_regs(next);

	if (prev->mm && (pr->status & SR_FS) == SR_FS_DIRTY) {
		fstate_save(&prev->fpstate);
		pr->status = (pr->status & ~SR_FS) | SR_FS_CLEAN;
	}
	if (next->mm && (nr->status & SR_FS) != 0)
		fstate_restore(&next->fpstate);
}

/* The rq lock taken by the task switched away from is released here, by
 * the task switched to: its count is one higher for it, as every task's
 * was when it switched away (or, new, as schedule_tail makes it). */
static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	/* Read while prev surely is not running: a dead task switched away
	 * for good (do_exit's schedule, interrupts off, so never preempted). */
	long prev_state = prev->state;

	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	spin_unlock(&rq->lock);
	if (current != rq->idle)
		timer_tick_resume(); /* the tick stops while the hart idles */
	if (rq->push_task == prev)
		active_balance_after_switch(rq, prev);
	local_irq_enable();
	if (prev_state == TASK_DEAD) {
		if (prev->sched_class->task_dead)
			prev->sched_class->task_dead(prev);
		put_task_struct(prev); /* the reference the running task held */
	}
}

/* What a task switched to holds: schedule()'s preempt_disable and the
 * rq lock. A new task has not been through schedule(), so it is given it. */
#define FORK_PREEMPT_COUNT 2

/* Called by a new task first thing (ret_from_fork in entry.S). */
void schedule_tail(struct task_struct *prev)
{
	current->thread_info.preempt_count = FORK_PREEMPT_COUNT;
	finish_task_switch(prev);
	preempt_enable();
}

static void context_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	/* A kernel thread (or idle) runs on the kernel-only page table: a
	 * borrowed user mm could be freed by its last user on another hart
	 * while this hart still had it in satp. */
	if (next->mm)
		switch_mm(prev->active_mm, next->mm);
	else if (prev->active_mm) /* not prev->mm: exit_mm may have cleared it, satp not yet */
		switch_mm(prev->active_mm, NULL);
	next->active_mm = next->mm;
	switch_fpu(prev, next);
	next->on_cpu = 1;
	rq->curr = next;
	prev = __switch_to(prev, next);
	finish_task_switch(prev);
}

/* Pick the next task and switch to it. Called with preemption disabled
 * once (schedule(), preempt_schedule*()); takes the rq lock, which the
 * task switched to releases.
 *
 * preempt: the task is being preempted, not giving up the hart. Its state
 * then says nothing: a task preempted between prepare_to_wait (state
 * TASK_INTERRUPTIBLE) and its schedule() call must stay queued, or it
 * would sleep with no waker to come (Linux's "if (!preempt && prev->state)").
 * It calls schedule() itself when it runs again. */
static void __schedule(bool preempt)
{
	struct task_struct *prev = current, *next;

	local_irq_disable();
	struct rq *rq = this_rq(); /* stable: preemption is off */
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	bool voluntary = !preempt && prev->state != TASK_RUNNING;
	if (voluntary && prev->on_rq) {
		if ((prev->state & TASK_INTERRUPTIBLE) && signal_pending(prev))
			prev->state = TASK_RUNNING; /* a signal arrived before we slept */
		else if ((prev->state & TASK_WAKEKILL) && fatal_signal_pending(prev))
			prev->state = TASK_RUNNING;
		else
			deactivate_task(rq, prev, DEQUEUE_SLEEP);
	}
	/* Not a task preempted in a sleeping state: off the queue, it would
	 * look asleep to a waker, which would queue it a second time. It
	 * moves at its next switch in TASK_RUNNING. */
	if (prev->state == TASK_RUNNING)
		migrate_disallowed_prev(rq, prev);
	balance_rt(rq, prev); /* RT push/pull between harts (rt.c); may drop and retake rq->lock */
	if (rq->nr_running == 0)
		newidle_balance(rq); /* about to idle: pull work first */
	next = pick_next_task(rq, prev);
	clear_tsk_thread_flag(prev, TIF_NEED_RESCHED);
	if (next == prev) {
		if (rq->push_task == prev && !rq->push_dequeued)
			rq->push_task = NULL; /* it keeps running: nothing to push */
		spin_unlock(&rq->lock);
		local_irq_enable();
		return;
	}
	rq->nr_switches++;
	if (voluntary)
		prev->nvcsw++;
	else
		prev->nivcsw++;
	context_switch(rq, prev, next);
}

/* Give up the hart: to sleep if the state says so, else to let another
 * task run. Never with a spinlock held or preemption disabled. */
void schedule(void)
{
	BUG_ON(preempt_count() != 0);
	do {
		preempt_disable();
		__schedule(false);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* preempt_enable() found TIF_NEED_RESCHED set as the count reached 0. */
void preempt_schedule(void)
{
	if (!preemptible())
		return; /* interrupts off: the reschedule waits for a later point */
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

/* An interrupt or exception is about to return to kernel code that had
 * interrupts on, with preempt_count 0 and TIF_NEED_RESCHED set
 * (irqentry_exit_cond_resched in arch/riscv/traps.c). Entered and left
 * with interrupts off; __schedule turns them on for the switch. */
void preempt_schedule_irq(void)
{
	BUG_ON(preempt_count() != 0 || !irqs_disabled());
	do {
		preempt_disable();
		__schedule(true);
		local_irq_disable();
		preempt_enable_no_resched();
	} while (need_resched());
}

/* Exact CPU time of t, including the part of its current slice. */
u64 task_sched_runtime(struct task_struct *t)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(t, &flags);

	if (rq->curr == t && t->sched_class->update_curr) {
		update_rq_clock(rq);
		t->sched_class->update_curr(rq);
	}
	u64 ns = t->se.sum_exec_runtime;
	spin_unlock_irqrestore(&rq->lock, flags);
	return ns;
}

void set_current_state(long state)
{
	__atomic_store_n(&current->state, state, __ATOMIC_SEQ_CST);
}

/* Lock the rq that t is on (it can change while we wait for the lock). */
struct rq *task_rq_lock(struct task_struct *t, unsigned long *flags)
{
	for (;;) {
		struct rq *rq = cpu_rq(task_cpu(t));
		*flags = spin_lock_irqsave(&rq->lock);
		if (rq == cpu_rq(task_cpu(t)))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

/* try_to_wake_up: make p runnable if its state matches. A task still on
 * its run queue (it has not switched away yet) just becomes RUNNING; one
 * that is fully asleep is queued on the hart select_task_rq picks, after
 * its old hart has finished switching away from it (on_cpu == 0). */
bool wake_up_state(struct task_struct *p, unsigned int state)
{
	unsigned long pf = spin_lock_irqsave(&p->pi_lock), flags;
	bool woken = false;

	if (!(READ_ONCE(p->state) & state))
		goto out;
	struct rq *rq = task_rq_lock(p, &flags);
	if (p->on_rq) {
		__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
		task_rq_unlock(rq, flags);
		woken = true;
		goto out;
	}
	task_rq_unlock(rq, flags);
	while (__atomic_load_n(&p->on_cpu, __ATOMIC_ACQUIRE))
		;
	int cpu = select_task_rq(p, task_cpu(p), 0);
	p->thread_info.cpu = cpu;
	rq = cpu_rq(cpu);
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	__atomic_store_n(&p->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
	activate_task(rq, p, ENQUEUE_WAKEUP);
	check_preempt_curr(rq, p, 0);
	spin_unlock(&rq->lock);
	woken = true;
out:
	spin_unlock_irqrestore(&p->pi_lock, pf);
	return woken;
}

bool wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

void yield(void)
{
	unsigned long f = local_irq_save(); /* before this_rq(): no migration in between */
	struct rq *rq = this_rq();

	spin_lock(&rq->lock);
	current->sched_class->yield_task(rq);
	spin_unlock(&rq->lock);
	local_irq_restore(f);
	schedule();
}

void sched_fork(struct task_struct *p)
{
	p->state = TASK_RUNNING;
	p->on_rq = 0;
	p->on_cpu = 0;
	spin_lock_init(&p->pi_lock);
	memset(&p->se, 0, sizeof(p->se));
	RB_CLEAR_NODE(&p->se.run_node);
	/* SCHED_RESET_ON_FORK: the child of an RT parent starts as SCHED_NORMAL
	 * nice 0, a negative nice goes back to 0, and the child does not pass
	 * the flag on (Linux's sched_fork). copy_task_fields copied the
	 * policy and priorities, not the flag. */
	if (current->sched_reset_on_fork) {
		if (task_has_rt_policy(p)) {
			p->policy = SCHED_NORMAL;
			p->static_prio = NICE_TO_PRIO(0);
			p->rt_priority = 0;
		} else if (PRIO_TO_NICE(p->static_prio) < 0) {
			p->static_prio = NICE_TO_PRIO(0);
		}
		p->normal_prio = p->static_prio;
	}
	p->sched_reset_on_fork = false;
	p->prio = p->normal_prio; /* the parent's normal priority, not a boosted one */
	p->sched_class = task_has_rt_policy(p) ? &rt_sched_class : &fair_sched_class;
	set_task_weight(p);
	p->thread_info.cpu = task_cpu(current);
	if (p->sched_class->task_fork)
		p->sched_class->task_fork(p);
}

void wake_up_new_task(struct task_struct *p)
{
	unsigned long flags;
	int cpu = select_task_rq(p, task_cpu(current), WF_FORK);
	u64 vr = p->se.vruntime - cpu_rq(task_cpu(p))->cfs.min_vruntime;

	/* vruntime is relative to the min_vruntime of the queue it joins. */
	p->thread_info.cpu = cpu;
	struct rq *rq = task_rq_lock(p, &flags);
	update_rq_clock(rq);
	p->se.vruntime = vr + rq->cfs.min_vruntime;
	activate_task(rq, p, ENQUEUE_NEW);
	check_preempt_curr(rq, p, WF_FORK);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* From each hart's timer interrupt while a task (not idle) runs. */
void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr;

	spin_lock(&rq->lock);
	update_rq_clock(rq);
	curr = rq->curr;
	curr->sched_class->task_tick(rq, curr);
	spin_unlock(&rq->lock);
	trigger_load_balance(rq);
}

static void timeout_wake(struct timer *t)
{
	wake_up_process(t->data);
}

u64 schedule_timeout(u64 ns, long state)
{
	struct timer t;
	u64 deadline = ktime_get_ns() + ns;

	set_current_state(state);
	if (ns == ~0ULL) {
		schedule();
		return ~0ULL;
	}
	timer_init(&t, timeout_wake, current);
	timer_add(&t, deadline);
	schedule();
	timer_del(&t);
	u64 now = ktime_get_ns();
	return now >= deadline ? 0 : deadline - now;
}

/* The idle task: sleep in wfi until there is something to run. The tick
 * is stopped meanwhile (only timers wake the hart). */
void cpu_idle(void)
{
	for (;;) {
		while (!need_resched()) {
			nohz_balance_check(this_rq());
			local_irq_disable();
			if (!need_resched()) {
				timer_idle_enter();
				wait_for_interrupt(); /* wakes on a pending interrupt even with SIE off */
			}
			local_irq_enable();
		}
		schedule();
	}
}

static void init_rq(int cpu, struct task_struct *idle)
{
	struct rq *rq = cpu_rq(cpu);

	spin_lock_init(&rq->lock);
	rq->cpu = cpu;
	rq->cfs.tasks_timeline = RB_ROOT;
	rq->cfs.min_vruntime = (u64)(-(1LL << 20));
	rq->curr = rq->idle = idle;
	idle->sched_class = &idle_sched_class;
	idle->on_cpu = 1;
	idle->on_rq = 0;
	idle->thread_info.cpu = cpu;
	idle->cpus_mask = 1UL << cpu;
}

union thread_union {
	u8 stack[THREAD_SIZE];
} init_thread_union __aligned(THREAD_SIZE);

struct task_struct init_task = {
	.thread_info = { .cpu = 0 },
	.stack = &init_thread_union,
	.state = TASK_RUNNING,
	.usage = 1,
	.flags = PF_KTHREAD | PF_IDLE,
	.static_prio = DEFAULT_PRIO, .normal_prio = DEFAULT_PRIO, .prio = DEFAULT_PRIO,
	.cpus_mask = ~0UL,
	.group_leader = &init_task,
	.real_parent = &init_task,
	.parent = &init_task,
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.thread_group = LIST_HEAD_INIT(init_task.thread_group),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.pending = { .list = LIST_HEAD_INIT(init_task.pending.list) },
	.comm = "swapper/0",
	.real_cred = &init_cred,
	.cred = &init_cred,
};

struct hart harts[NR_CPUS];
int nr_cpus_possible = 1;

/* Time: a tick from user mode counts as user time, else as system time
 * (Linux's tick-based accounting); the exact run time is in the sched_entity. */
void account_tick(struct pt_regs *regs)
{
	struct task_struct *t = current;

	if (t->flags & PF_IDLE)
		return;
	if (user_mode(regs))
		t->utime += 10000000;
	else
		t->stime += 10000000;
	run_posix_cpu_timers(); /* CPU-time POSIX timers expire at tick granularity */
}

void sched_init(void)
{
	init_rq(0, &init_task);
}

void sched_init_secondary(int cpu)
{
	init_rq(cpu, harts[cpu].idle);
}
