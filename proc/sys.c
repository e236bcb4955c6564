/* Identity, limits, resource usage, clocks and uname system calls. */
#include "proc/task.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"

SYSCALL_DEFINE0(getpid) { return current->tgid; }
SYSCALL_DEFINE0(gettid) { return current->pid; }
SYSCALL_DEFINE0(getppid) { return 0; /* init's parent is the kernel */ }
SYSCALL_DEFINE0(getuid) { return 0; }
SYSCALL_DEFINE0(geteuid) { return 0; }
SYSCALL_DEFINE0(getgid) { return 0; }
SYSCALL_DEFINE0(getegid) { return 0; }

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

SYSCALL_DEFINE1(uname, struct new_utsname __user *, u)
{
	struct new_utsname n;

	memset(&n, 0, sizeof(n));
	strlcpy(n.sysname, "Linux", sizeof(n.sysname)); /* the ABI it speaks */
	strlcpy(n.nodename, "vireo", sizeof(n.nodename));
	strlcpy(n.release, "6.1.0-vireo", sizeof(n.release));
	strlcpy(n.version, "#1 SMP Vireo", sizeof(n.version));
	strlcpy(n.machine, "riscv64", sizeof(n.machine));
	strlcpy(n.domainname, "(none)", sizeof(n.domainname));
	return copy_to_user(u, &n, sizeof(n)) ? -EFAULT : 0;
}

/* RLIMIT_STACK is the one the kernel acts on so far (stack growth and
 * mmap_base at the next exec); the others are kept and reported. */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, res, const struct rlimit64 __user *, unew,
		struct rlimit64 __user *, uold)
{
	struct rlimit64 r, old;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (pid != 0 && pid != current->tgid)
		return -ESRCH;
	if (unew) {
		if (copy_from_user(&r, unew, sizeof(r)))
			return -EFAULT;
		if (r.rlim_cur > r.rlim_max)
			return -EINVAL;
	}
	old = current->rlim[res];
	if (unew)
		current->rlim[res] = r; /* root may raise the hard limit */
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

struct timespec64 {
	s64 tv_sec, tv_nsec;
};
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

static int clock_valid(int id)
{
	return id >= CLOCK_REALTIME && id <= CLOCK_BOOTTIME;
}

/* No RTC driver yet: real time counts from the epoch at boot. */
SYSCALL_DEFINE2(clock_gettime, int, id, struct timespec64 __user *, uts)
{
	u64 ns = ktime_get_ns();
	struct timespec64 ts = { (s64)(ns / 1000000000UL), (s64)(ns % 1000000000UL) };

	if (!clock_valid(id))
		return -EINVAL;
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, id, struct timespec64 __user *, uts)
{
	struct timespec64 ts = { 0, 100 }; /* the 10 MHz timebase */

	if (!clock_valid(id))
		return -EINVAL;
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(gettimeofday, void __user *, utv, void __user *, utz)
{
	u64 ns = ktime_get_ns();
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

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, uru)
{
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&ru, 0, sizeof(ru));
	if (who != RUSAGE_CHILDREN) {
		ru.ru_minflt = (long)current->min_flt;
		ru.ru_majflt = (long)current->maj_flt;
		ru.ru_nvcsw = (long)current->nvcsw;
		ru.ru_nivcsw = (long)current->nivcsw;
		if (current->mm)
			ru.ru_maxrss = (long)(current->mm->total_vm * (PAGE_SIZE / 1024));
	}
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
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
	si.procs = 1;
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}
