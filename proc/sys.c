/* Identity, limits, resource usage, clocks and uname system calls. */
#include "proc/task.h"
#include "proc/cred.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "proc/sched.h"
#include "proc/pid.h"
#include "proc/signal.h"
#include "mm/page_alloc.h"
#include "kernel/tty/tty.h"

SYSCALL_DEFINE0(getpid) { return current->tgid; }
SYSCALL_DEFINE0(gettid) { return current->pid; }

SYSCALL_DEFINE0(getppid)
{
	spin_lock(&tasklist_lock);
	struct task_struct *p = current->group_leader->real_parent;
	int pid = p && !(p->flags & PF_IDLE) ? p->tgid : 0; /* init's parent is the kernel */
	spin_unlock(&tasklist_lock);
	return pid;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static int nr_processes(void)
{
	int n = 0;
	struct list_head *l;

	spin_lock(&tasklist_lock);
	list_for_each(l, &init_task.tasks)
		n++;
	spin_unlock(&tasklist_lock);
	return n;
}

/* The system's names (Linux: init_uts_ns); sethostname/setdomainname
 * change the last two. */
static struct new_utsname utsname = {
	.sysname = "Linux", /* the ABI it speaks */
	.nodename = "vireo",
	.release = "6.1.0-vireo",
	.version = "#1 SMP PREEMPT Vireo",
	.machine = "riscv64",
	.domainname = "(none)",
};
static DEFINE_SPINLOCK(uts_lock); /* protects utsname */

SYSCALL_DEFINE1(uname, struct new_utsname __user *, u)
{
	struct new_utsname n;

	spin_lock(&uts_lock);
	n = utsname;
	spin_unlock(&uts_lock);
	return copy_to_user(u, &n, sizeof(n)) ? -EFAULT : 0;
}

static long set_uts_name(char *field, const char __user *name, int len)
{
	char k[65];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > 64)
		return -EINVAL;
	if (copy_from_user(k, name, (unsigned long)len))
		return -EFAULT;
	k[len] = 0;
	spin_lock(&uts_lock);
	memcpy(field, k, (size_t)len + 1);
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_name(utsname.nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_name(utsname.domainname, name, len);
}

struct timespec64 {
	s64 tv_sec, tv_nsec;
};

static int clock_valid(int id)
{
	return id >= CLOCK_REALTIME && id <= CLOCK_BOOTTIME;
}

/* Real time is the boot-relative clock plus kernel/timekeeping.c's offset. */
SYSCALL_DEFINE2(clock_gettime, int, id, struct timespec64 __user *, uts)
{
	u64 ns;
	long err;

	if (id < 0 || id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID) {
		/* CPU time, of this process or (clock_getcpuclockid) another */
		if ((err = posix_cpu_clock_get(id, &ns)))
			return err;
	} else if (!clock_valid(id)) {
		return -EINVAL;
	} else if (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)
		ns = ktime_get_real_ns();
	else
		ns = ktime_get_ns();
	struct timespec64 ts = { (s64)(ns / 1000000000UL), (s64)(ns % 1000000000UL) };
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, id, struct timespec64 __user *, uts)
{
	/* One tick of the time CSR, rounded up (100 ns on QEMU's 10 MHz);
	 * the vDSO computes the same. */
	struct timespec64 ts = { 0, (s64)((1000000000UL + timebase_freq - 1) / timebase_freq) };
	u64 ns;

	if (id < 0 ? posix_cpu_clock_get(id, &ns) != 0 : !clock_valid(id))
		return -EINVAL;
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/* Setting the time moves CLOCK_REALTIME only; it needs CAP_SYS_TIME. */
SYSCALL_DEFINE2(clock_settime, int, id, const struct timespec64 __user *, uts)
{
	struct timespec64 ts;

	if (!clock_valid(id))
		return -EINVAL;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (id != CLOCK_REALTIME)
		return -EINVAL;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	do_settimeofday((u64)ts.tv_sec * 1000000000UL + (u64)ts.tv_nsec);
	return 0;
}

SYSCALL_DEFINE2(settimeofday, const s64 __user *, utv, const void __user *, utz)
{
	s64 tv[2];

	(void)utz; /* the time zone is not the kernel's business any more */
	if (!utv)
		return 0;
	if (copy_from_user(tv, utv, sizeof(tv)))
		return -EFAULT;
	if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	do_settimeofday((u64)tv[0] * 1000000000UL + (u64)tv[1] * 1000);
	return 0;
}

SYSCALL_DEFINE2(gettimeofday, void __user *, utv, void __user *, utz)
{
	u64 ns = ktime_get_real_ns();
	s64 tv[2] = { (s64)(ns / 1000000000UL), (s64)(ns % 1000000000UL / 1000) };

	if (utv && copy_to_user(utv, tv, sizeof(tv)))
		return -EFAULT;
	if (utz && clear_user(utz, 8))
		return -EFAULT;
	return 0;
}

struct rusage {
	s64 ru_utime[2], ru_stime[2];
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

static void fill_timeval(s64 tv[2], u64 ns)
{
	tv[0] = (s64)(ns / 1000000000UL);
	tv[1] = (s64)(ns % 1000000000UL / 1000);
}

/* RUSAGE_SELF: every thread of the process (live ones and exited ones);
 * RUSAGE_THREAD: this thread; RUSAGE_CHILDREN: reaped children. */
SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, uru)
{
	struct rusage ru;
	struct signal_struct *sig = current->signal;
	u64 ut = 0, st = 0;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	spin_lock(&tasklist_lock);
	if (who == RUSAGE_CHILDREN) {
		ut = sig->cutime, st = sig->cstime;
		ru.ru_minflt = (long)sig->cmin_flt, ru.ru_majflt = (long)sig->cmaj_flt;
		ru.ru_nvcsw = (long)sig->cnvcsw, ru.ru_nivcsw = (long)sig->cnivcsw;
	} else {
		struct task_struct *t = current;
		if (who == RUSAGE_SELF) {
			ut = sig->utime, st = sig->stime;
			ru.ru_minflt = (long)sig->min_flt, ru.ru_majflt = (long)sig->maj_flt;
			ru.ru_nvcsw = (long)sig->nvcsw, ru.ru_nivcsw = (long)sig->nivcsw;
		}
		do {
			ut += t->utime, st += t->stime;
			ru.ru_minflt += (long)t->min_flt, ru.ru_majflt += (long)t->maj_flt;
			ru.ru_nvcsw += (long)t->nvcsw, ru.ru_nivcsw += (long)t->nivcsw;
			t = list_entry(t->thread_group.next, struct task_struct, thread_group);
		} while (who == RUSAGE_SELF && t != current);
		if (current->mm)
			ru.ru_maxrss = (long)(current->mm->total_vm * (PAGE_SIZE / 1024));
	}
	spin_unlock(&tasklist_lock);
	fill_timeval(ru.ru_utime, ut);
	fill_timeval(ru.ru_stime, st);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

struct tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

/* Clock ticks (USER_HZ = 100) since boot, and the process's times in them. */
SYSCALL_DEFINE1(times, struct tms __user *, ubuf)
{
	if (ubuf) {
		struct signal_struct *sig = current->signal;
		u64 ut = sig->utime, st = sig->stime;
		spin_lock(&tasklist_lock);
		struct task_struct *t = current;
		do {
			ut += t->utime, st += t->stime;
			t = list_entry(t->thread_group.next, struct task_struct, thread_group);
		} while (t != current);
		spin_unlock(&tasklist_lock);
		struct tms tm = { (long)(ut / 10000000), (long)(st / 10000000),
				  (long)(sig->cutime / 10000000), (long)(sig->cstime / 10000000) };
		if (copy_to_user(ubuf, &tm, sizeof(tm)))
			return -EFAULT;
	}
	return (long)(ktime_get_ns() / 10000000);
}

struct sysinfo {
	long uptime;
	unsigned long loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	u16 procs, pad;
	unsigned long totalhigh, freehigh;
	u32 mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};

/* Memory counts in pages of mem_unit bytes: how tests see free memory. */
SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, uinfo)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ktime_get_ns() / 1000000000UL);
	si.totalram = nr_total_pages();
	si.freeram = nr_free_pages();
	si.procs = (u16)nr_processes();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

/* Process groups and sessions (tasklist_lock protects the ids). */
SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task_struct *p;
	int err = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	p = pid ? find_task_by_pid(pid) : current->group_leader;
	if (!pgid && p)
		pgid = p->tgid;
	if (!p || !thread_group_leader(p) ||
	    (p != current->group_leader && p->real_parent != current->group_leader)) {
		err = -ESRCH;
	} else if (p->signal->session == p->tgid) {
		err = -EPERM; /* a session leader keeps its group */
	} else if (p->signal->session != current->signal->session) {
		err = -EPERM;
	} else if ((p->flags & PF_FORKNOEXEC) == 0 && p != current->group_leader) {
		err = -EACCES; /* the child has already exec'd */
	} else if (pgid != p->tgid) {
		/* Joining a group: it must exist in the same session. */
		bool found = false;
		struct list_head *l;
		list_for_each(l, &init_task.tasks) {
			struct task_struct *t = list_entry(l, struct task_struct, tasks);
			if (t->signal && t->signal->pgrp == pgid && t->signal->session == p->signal->session)
				found = true;
		}
		if (!found)
			err = -EPERM;
	}
	if (!err && p->signal->pgrp != pgid) {
		pid_release(p->signal->pgrp);
		p->signal->pgrp = pgid;
		pid_hold(pgid);
	}
	spin_unlock(&tasklist_lock);
	return err;
}

static long get_id(int pid, bool session)
{
	long ret;

	spin_lock(&tasklist_lock);
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;
	if (!p || !p->signal)
		ret = -ESRCH;
	else
		ret = session ? p->signal->session : p->signal->pgrp;
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid) { return get_id(pid, false); }
SYSCALL_DEFINE1(getsid, int, pid) { return get_id(pid, true); }

SYSCALL_DEFINE0(setsid)
{
	struct task_struct *leader = current->group_leader;
	long ret = leader->tgid;

	spin_lock(&tasklist_lock);
	/* Not allowed for a group leader, or if the id names a group already. */
	struct list_head *l;
	list_for_each(l, &init_task.tasks) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		if (t->signal && t->signal->pgrp == leader->tgid)
			ret = -EPERM;
	}
	if (ret > 0) {
		pid_release(leader->signal->pgrp);
		pid_release(leader->signal->session);
		leader->signal->pgrp = leader->signal->session = leader->tgid;
		proc_clear_tty(leader->signal); /* a new session has no controlling tty */
		pid_hold(leader->tgid);
		pid_hold(leader->tgid);
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3, unsigned long, arg4,
		unsigned long, arg5)
{
	char name[16];

	(void)arg3, (void)arg4, (void)arg5;
	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, (const char __user *)arg2, sizeof(name)) < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;
		memcpy(current->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void __user *)arg2, current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		if (arg2 > _NSIG)
			return -EINVAL;
		current->pdeath_signal = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(current->pdeath_signal, (int __user *)arg2) ? -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		current->signal->is_child_subreaper = arg2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user((int)current->signal->is_child_subreaper, (int __user *)arg2) ? -EFAULT : 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, unsigned long __user *, umask)
{
	unsigned long mask = 0;

	if (len < sizeof(unsigned long) || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	spin_lock(&tasklist_lock);
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;
	if (p)
		mask = p->cpus_mask;
	spin_unlock(&tasklist_lock);
	if (!p)
		return -ESRCH;
	for (int cpu = nr_cpus_possible; cpu < (int)(8 * sizeof(mask)); cpu++)
		mask &= ~(1UL << cpu);
	if (copy_to_user(umask, &mask, sizeof(mask)) || clear_user(umask + 1, len - sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}
