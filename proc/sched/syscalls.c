/* The scheduling system calls (Linux: the syscalls of kernel/sched/core.c,
 * kernel/sys.c's setpriority/getpriority and getcpu): policies and RT
 * priorities, nice values, CPU affinity, and the calls that report them.
 *
 * Everyone is root here, so no call fails with EPERM. A task's policy,
 * priority, weight and class change only under its rq lock, with the task
 * taken off its queue meanwhile (see sched_change). */
#include "proc/sched/sched.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

/* sched_setscheduler's policy may carry this flag; sched_setattr's
 * sched_flags have their own bits (Linux's uapi/linux/sched.h). */
#define SCHED_RESET_ON_FORK 0x40000000
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_RECLAIM 0x02
#define SCHED_FLAG_DL_OVERRUN 0x04
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40
#define SCHED_FLAG_UTIL_CLAMP (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)
#define SCHED_FLAG_ALL 0x7f
#define SETPARAM_POLICY (-1) /* sched_setparam: keep the policy */

#define MAX_USER_RT_PRIO 100
#define MIN_NICE (-20)
#define MAX_NICE 19
#ifndef SCHED_CAPACITY_SCALE
#define SCHED_CAPACITY_SCALE 1024UL
#endif

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

#define RR_INTERVAL_NS 100000000ULL /* RR_TIMESLICE in rt.c: 10 ticks of 10 ms */

struct sched_param {
	int sched_priority;
};

/* struct sched_attr as user space sees it (56 bytes: SCHED_ATTR_SIZE_VER1). */
struct sched_attr {
	u32 size;
	u32 sched_policy;
	u64 sched_flags;
	s32 sched_nice;
	u32 sched_priority;
	u64 sched_runtime, sched_deadline, sched_period; /* SCHED_DEADLINE only */
	u32 sched_util_min, sched_util_max;              /* utilization clamps */
};
#define SCHED_ATTR_SIZE_VER0 48
#define SCHED_ATTR_SIZE_VER1 56
_Static_assert(sizeof(struct sched_attr) == SCHED_ATTR_SIZE_VER1, "sched_attr");

struct kernel_timespec {
	s64 tv_sec, tv_nsec;
};

/* The hart's NUMA node. proc/sched/topology.c is to provide the real one;
 * until it does, this weak default says every hart is on node 0. */
int cpu_to_node(int cpu);
__attribute__((weak)) int cpu_to_node(int cpu)
{
	(void)cpu;
	return 0;
}

static inline bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static inline bool fair_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE;
}

static inline int task_nice(const struct task_struct *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

static inline int clamp_nice(long nice)
{
	return nice < MIN_NICE ? MIN_NICE : nice > MAX_NICE ? MAX_NICE : (int)nice;
}

/* The task a scheduling call names (pid 0: the caller; else any thread
 * id), with a reference the caller drops with put_task_struct. */
static struct task_struct *find_get_task(int pid)
{
	struct task_struct *p;

	if (pid == 0) {
		get_task_struct(current);
		return current;
	}
	spin_lock(&tasklist_lock);
	p = find_task_by_pid(pid);
	if (p && (p->flags & PF_IDLE))
		p = NULL;
	if (p)
		get_task_struct(p);
	spin_unlock(&tasklist_lock);
	return p;
}

/* Give p a new policy and RT priority (SETPARAM_POLICY: keep both) and,
 * if set_nice, a new nice value. Under
 * its rq lock: off its queue (and, if it runs, out of its class's "curr"
 * slot), change, back on the queue of its (maybe new) class. A running
 * task is asked to reschedule; a queued one may preempt the current. */
static void sched_change(struct task_struct *p, int policy, unsigned int rt_priority, int nice,
			 bool set_nice)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(p, &flags);
	const struct sched_class *old_class = p->sched_class;
	int old_prio = p->prio;

	update_rq_clock(rq);
	if (policy == SETPARAM_POLICY) {
		policy = (int)p->policy;
		rt_priority = p->rt_priority;
	}
	bool queued = p->on_rq, running = rq->curr == p;
	if (queued)
		deactivate_task(rq, p, 0);
	if (running)
		old_class->put_prev_task(rq, p);

	p->policy = (unsigned int)policy;
	p->rt_priority = rt_policy(policy) ? rt_priority : 0;
	if (set_nice)
		p->static_prio = NICE_TO_PRIO(nice);
	p->normal_prio = rt_policy(policy) ? MAX_RT_PRIO - 1 - (int)p->rt_priority : p->static_prio;
	p->prio = p->normal_prio; /* no priority inheritance (no rt_mutex) */
	p->sched_class = rt_policy(policy) ? &rt_sched_class : &fair_sched_class;
	set_task_weight(p);
	if (p->policy == SCHED_RR && old_class != &rt_sched_class)
		p->rt_time_slice = 0; /* a fresh slice when it is queued */

	if (queued) {
		/* Back from RT, its vruntime is stale: place it like a waking
		 * sleeper near min_vruntime. A nice change keeps vruntime. */
		int eflags = old_class == &rt_sched_class && p->sched_class == &fair_sched_class
				     ? ENQUEUE_WAKEUP
				     : 0;
		activate_task(rq, p, eflags);
	}
	if (running) {
		p->sched_class->set_next_task(rq, p);
		resched_curr(rq); /* let schedule() decide with the new settings */
		if (old_class == &rt_sched_class && p->prio > old_prio)
			rt_queue_pull(rq); /* an RT task waiting elsewhere may beat it now */
	} else if (queued) {
		check_preempt_curr(rq, p, 0);
	}
	task_rq_unlock(rq, flags);
}

/* Linux's __sched_setscheduler checks, then the change. attr->sched_policy
 * may be SETPARAM_POLICY (keep the policy). SCHED_DEADLINE is not
 * implemented: it is refused with EINVAL, as if its parameters were bad. */
static int sched_setattr_task(struct task_struct *p, const struct sched_attr *attr)
{
	int policy = (int)attr->sched_policy;
	/* sched_setparam and KEEP_POLICY keep the flag too (Linux). */
	bool reset_on_fork = policy == SETPARAM_POLICY
				     ? READ_ONCE(p->sched_reset_on_fork)
				     : (attr->sched_flags & SCHED_FLAG_RESET_ON_FORK) != 0;

	if (policy == SETPARAM_POLICY)
		policy = (int)p->policy;
	else if (!fair_policy(policy) && !rt_policy(policy))
		return -EINVAL; /* unknown policy, or SCHED_DEADLINE */
	if (attr->sched_flags & ~(u64)SCHED_FLAG_ALL)
		return -EINVAL;
	if (attr->sched_flags & SCHED_FLAG_UTIL_CLAMP)
		return -EOPNOTSUPP; /* no utilization clamping (Linux without UCLAMP_TASK) */
	if (attr->sched_priority > MAX_USER_RT_PRIO - 1)
		return -EINVAL;
	if (rt_policy(policy) != (attr->sched_priority != 0))
		return -EINVAL; /* FIFO/RR need 1..99, the others 0 */
	/* Read by the task itself when it forks (sched_fork). */
	WRITE_ONCE(p->sched_reset_on_fork, reset_on_fork);
	if (attr->sched_flags & SCHED_FLAG_KEEP_PARAMS)
		return 0; /* only the clamps would change (Linux leaves policy and params) */
	if (fair_policy(policy))
		sched_change(p, policy, 0, clamp_nice(attr->sched_nice), true);
	else
		sched_change(p, policy, attr->sched_priority, 0, false);
	return 0;
}

/* The settings of p as sched_getattr reports them (and KEEP_PARAMS keeps). */
static void get_params(const struct task_struct *p, struct sched_attr *attr)
{
	if (task_has_rt_policy(p))
		attr->sched_priority = p->rt_priority;
	else
		attr->sched_nice = task_nice(p);
}

static long do_sched_setscheduler(int pid, int policy, const struct sched_param __user *param)
{
	struct sched_param lp;
	struct sched_attr attr;

	if (!param || pid < 0)
		return -EINVAL;
	if (copy_from_user(&lp, param, sizeof(lp)))
		return -EFAULT;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	memset(&attr, 0, sizeof(attr));
	attr.sched_policy = (u32)policy;
	attr.sched_priority = (u32)lp.sched_priority; /* negative: out of range */
	attr.sched_nice = task_nice(p);                /* sched_setscheduler keeps nice */
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		attr.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
		attr.sched_policy = (u32)(policy & ~SCHED_RESET_ON_FORK);
	}
	long ret = sched_setattr_task(p, &attr);
	put_task_struct(p);
	return ret;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, const struct sched_param __user *, param)
{
	if (policy < 0)
		return -EINVAL;
	return do_sched_setscheduler(pid, policy, param);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, const struct sched_param __user *, param)
{
	return do_sched_setscheduler(pid, SETPARAM_POLICY, param);
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	if (pid < 0)
		return -EINVAL;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	long policy = p->policy;
	if (READ_ONCE(p->sched_reset_on_fork))
		policy |= SCHED_RESET_ON_FORK;
	put_task_struct(p);
	return policy;
}

SYSCALL_DEFINE2(sched_getparam, int, pid, struct sched_param __user *, param)
{
	struct sched_param lp = { 0 };

	if (!param || pid < 0)
		return -EINVAL;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	if (task_has_rt_policy(p))
		lp.sched_priority = (int)p->rt_priority;
	put_task_struct(p);
	return copy_to_user(param, &lp, sizeof(lp)) ? -EFAULT : 0;
}

/* Linux's sched_copy_attr: the user says how big its struct is; a smaller
 * (older) one is zero-extended, a bigger (newer) one must be zero past our
 * end. A size we cannot take gives E2BIG with our size written back. */
static int sched_copy_attr(struct sched_attr __user *uattr, struct sched_attr *attr)
{
	u32 size;

	memset(attr, 0, sizeof(*attr));
	if (get_user(size, &uattr->size))
		return -EFAULT;
	if (size == 0)
		size = SCHED_ATTR_SIZE_VER0; /* ABI quirk: 0 means the first version */
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto err_size;
	if (copy_from_user(attr, uattr, MIN(size, (u32)sizeof(*attr))))
		return -EFAULT;
	for (u32 off = sizeof(*attr); off < size;) {
		u8 buf[64];
		u32 n = MIN(size - off, (u32)sizeof(buf));
		if (copy_from_user(buf, (const u8 __user *)uattr + off, n))
			return -EFAULT;
		for (u32 i = 0; i < n; i++)
			if (buf[i])
				goto err_size; /* a newer field we do not know is in use */
		off += n;
	}
	if ((attr->sched_flags & SCHED_FLAG_UTIL_CLAMP) && size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	attr->sched_nice = clamp_nice(attr->sched_nice);
	return 0;
err_size:
	if (put_user((u32)sizeof(*attr), &uattr->size))
		return -EFAULT;
	return -E2BIG;
}

SYSCALL_DEFINE3(sched_setattr, int, pid, struct sched_attr __user *, uattr, unsigned int, flags)
{
	struct sched_attr attr;

	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	int err = sched_copy_attr(uattr, &attr);
	if (err)
		return err;
	if ((int)attr.sched_policy < 0)
		return -EINVAL;
	if (attr.sched_flags & SCHED_FLAG_KEEP_POLICY)
		attr.sched_policy = (u32)SETPARAM_POLICY;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	if (attr.sched_flags & SCHED_FLAG_KEEP_PARAMS)
		get_params(p, &attr);
	err = sched_setattr_task(p, &attr);
	put_task_struct(p);
	return err;
}

SYSCALL_DEFINE4(sched_getattr, int, pid, struct sched_attr __user *, uattr, unsigned int, usize,
		unsigned int, flags)
{
	struct sched_attr k;

	if (!uattr || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	memset(&k, 0, sizeof(k));
	k.sched_policy = p->policy;
	if (READ_ONCE(p->sched_reset_on_fork))
		k.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	get_params(p, &k);
	k.sched_util_min = 0; /* no clamping: the full range */
	k.sched_util_max = SCHED_CAPACITY_SCALE;
	put_task_struct(p);
	/* A bigger user struct is from a newer ABI: size tells it ours. */
	k.size = MIN(usize, (u32)sizeof(k));
	return copy_to_user(uattr, &k, k.size) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return MAX_USER_RT_PRIO - 1;
	if (fair_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	if (fair_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

/* p's CFS slice if it ran now: its weight's share of the latency period
 * (fair.c's sched_slice, counting p as queued). */
static u64 fair_slice(struct task_struct *p)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(p, &flags);
	unsigned long w = p->se.load.weight, total = rq->cfs.load.weight;
	unsigned int nr = rq->cfs.nr_running;

	if (!p->se.on_rq) {
		total += w;
		nr++;
	}
	task_rq_unlock(rq, flags);
	unsigned int nr_latency = sysctl_sched_latency / sysctl_sched_min_granularity;
	u64 period = nr > nr_latency ? (u64)nr * sysctl_sched_min_granularity : sysctl_sched_latency;
	return total ? period * w / total : period;
}

/* RR: its time slice; FIFO: 0 (no slice); CFS: its current slice. */
SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, struct kernel_timespec __user *, interval)
{
	u64 ns = 0;

	if (pid < 0)
		return -EINVAL;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	if (p->policy == SCHED_RR)
		ns = RR_INTERVAL_NS;
	else if (!task_has_rt_policy(p))
		ns = fair_slice(p);
	put_task_struct(p);
	struct kernel_timespec ts = { (s64)(ns / 1000000000ULL), (s64)(ns % 1000000000ULL) };
	return copy_to_user(interval, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* ---- nice: setpriority / getpriority ---- */

/* Does t match (which, who)? who is already resolved (0 replaced by the
 * caller's pgrp or uid). Everyone is uid 0. tasklist_lock held. */
static bool prio_match(struct task_struct *t, int which, int who)
{
	if (t->flags & PF_IDLE)
		return false;
	if (which == PRIO_PGRP)
		return t->signal && t->signal->pgrp == who;
	return who == 0; /* PRIO_USER */
}

/* RT tasks keep policy and priority; their nice applies if they go back
 * to CFS (Linux's set_user_nice). */
static void set_user_nice(struct task_struct *p, int nice)
{
	sched_change(p, SETPARAM_POLICY, 0, nice, true);
}

/* Raw syscall ABI: getpriority returns 20 - nice (1..40), the best (lowest
 * nice) of the matching tasks; glibc turns it back into a nice value. */
static long prio_walk(int which, int who, bool set, int nice)
{
	long ret = -ESRCH;
	struct list_head *l;

	if (which == PRIO_PROCESS) {
		spin_lock(&tasklist_lock);
		struct task_struct *p = who ? find_task_by_pid(who) : current;
		if (p && !(p->flags & PF_IDLE)) {
			if (set)
				set_user_nice(p, nice);
			ret = set ? 0 : 20 - task_nice(p);
		}
		spin_unlock(&tasklist_lock);
		return ret;
	}
	spin_lock(&tasklist_lock);
	if (which == PRIO_PGRP && who == 0)
		who = current->signal->pgrp;
	/* Every thread of every process: leaders are on init_task.tasks, the
	 * others on their leader's thread_group ring. */
	list_for_each(l, &init_task.tasks) {
		struct task_struct *g = list_entry(l, struct task_struct, tasks), *t = g;
		do {
			if (prio_match(t, which, who)) {
				if (set) {
					set_user_nice(t, nice);
					ret = 0;
				} else if (20 - task_nice(t) > ret) {
					ret = 20 - task_nice(t);
				}
			}
			t = list_entry(t->thread_group.next, struct task_struct, thread_group);
		} while (t != g);
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	return prio_walk(which, who, true, clamp_nice(niceval));
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	return prio_walk(which, who, false, 0);
}

/* ---- affinity ---- */

static unsigned long online_mask(void)
{
	unsigned long m = 0;

	for (int cpu = 0; cpu < nr_cpus_possible; cpu++)
		if (READ_ONCE(harts[cpu].online))
			m |= 1UL << cpu;
	return m;
}

/* The least busy online hart p may run on (-1 if none). */
static int pick_allowed_cpu(const struct task_struct *p)
{
	unsigned long ok = READ_ONCE(p->cpus_mask) & online_mask();
	unsigned int best_nr = ~0U;
	int best = -1;

	for (int cpu = 0; cpu < nr_cpus_possible; cpu++) {
		if (!(ok & (1UL << cpu)))
			continue;
		unsigned int nr = READ_ONCE(cpu_rq(cpu)->nr_running);
		if (nr < best_nr) {
			best_nr = nr;
			best = cpu;
		}
	}
	return best;
}

/* Lock p's rq and dst together (p's rq may change while we wait). */
static struct rq *lock_task_and(struct task_struct *p, struct rq *dst, unsigned long *flags)
{
	for (;;) {
		*flags = local_irq_save();
		struct rq *src = cpu_rq(task_cpu(p));
		double_rq_lock(src, dst);
		if (src == cpu_rq(task_cpu(p)))
			return src;
		double_rq_unlock(src, dst);
		local_irq_restore(*flags);
	}
}

/* Store p's new mask; if p is queued or runs on a hart it may no longer
 * use, move it. */
static int set_cpus_allowed(struct task_struct *p, unsigned long mask)
{
	unsigned long possible =
		nr_cpus_possible >= (int)(8 * sizeof(long)) ? ~0UL : (1UL << nr_cpus_possible) - 1;
	unsigned long flags;

	mask &= possible; /* bits past our harts are ignored, as Linux does */
	if (!(mask & online_mask()))
		return -EINVAL;
	struct rq *rq = task_rq_lock(p, &flags);
	p->cpus_mask = mask;
	task_rq_unlock(rq, flags);

	for (;;) {
		int cpu = pick_allowed_cpu(p);
		if (cpu < 0)
			return 0; /* the mask changed under us to one with no hart: its setter moves it */
		struct rq *dst = cpu_rq(cpu);
		struct rq *src = lock_task_and(p, dst, &flags);
		if (p->cpus_mask & (1UL << src->cpu)) {
			double_rq_unlock(src, dst);
			local_irq_restore(flags);
			return 0; /* where it is, it may stay */
		}
		if (!(p->cpus_mask & (1UL << cpu))) { /* the mask changed meanwhile: pick again */
			double_rq_unlock(src, dst);
			local_irq_restore(flags);
			continue;
		}
		if (src->curr == p) {
			/* It runs there and cannot be dequeued from under its
			 * feet: schedule() takes a running task off a hart it
			 * may not use (migrate_disallowed_prev) and moves it
			 * once it has switched away. Ask for that schedule. */
			resched_curr(src);
			double_rq_unlock(src, dst);
			local_irq_restore(flags);
			if (p != current)
				return 0;
			schedule(); /* we come back on an allowed hart */
			continue;
		}
		/* Queued, not running: move it now. Asleep: nothing to do, the
		 * wake-up (select_task_rq_fair) queues it on an allowed hart. */
		if (p->on_rq) {
			update_rq_clock(src);
			update_rq_clock(dst);
			move_queued_task(src, dst, p);
		}
		double_rq_unlock(src, dst);
		local_irq_restore(flags);
		return 0;
	}
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len, const unsigned long __user *, umask)
{
	unsigned long mask = 0;

	/* A short mask is zero-extended; a long one is read up to our size. */
	if (copy_from_user(&mask, umask, MIN(len, (unsigned int)sizeof(mask))))
		return -EFAULT;
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -ESRCH;
	int err = set_cpus_allowed(p, mask);
	put_task_struct(p);
	return err;
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpup, unsigned int __user *, nodep, void __user *, unused)
{
	int cpu = smp_processor_id();
	int err = 0;

	(void)unused; /* the old getcpu_cache: ignored, as Linux does */
	if (cpup)
		err |= put_user((unsigned int)cpu, cpup);
	if (nodep)
		err |= put_user((unsigned int)cpu_to_node(cpu), nodep);
	return err ? -EFAULT : 0;
}
