/* CPU time and load (Linux: fs/proc/stat.c, uptime.c, loadavg.c and
 * kernel/sched/loadavg.c): /proc/stat, /proc/uptime and /proc/loadavg.
 *
 * The scheduler keeps exact per-task times but no per-hart user/system/
 * idle counters (Linux's kernel_cpustat), so each hart's line is rebuilt
 * at read time: the live threads' times on the hart they last ran on, the
 * time of exited tasks (kept by their parents' signal_struct) shared
 * evenly, idle the rest of the time since boot. Counters never go
 * backwards: each is reported as at least its previous value, so tools
 * that compute rates from differences (top) see sane numbers.
 *
 * The load average is Linux's: every 5 s a timer folds the number of
 * runnable tasks into three exponentially decaying averages (1, 5, 15
 * minutes) in 11-bit fixed point. Tasks in uninterruptible sleep are not
 * counted (the scheduler keeps no count of them). */
#include "kernel/fs/proc/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/sched/sched.h"

/* ---- per-hart times ---- */

enum { CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, NR_CPU_TIMES };

static DEFINE_SPINLOCK(cpu_times_lock); /* protects reported[] and max_pid_seen */
static u64 reported[NR_CPUS][NR_CPU_TIMES]; /* ns: what readers were told last */
static int max_pid_seen;

struct task_totals {
	u64 cpu[NR_CPUS][NR_CPU_TIMES];
	u64 gone_user, gone_system;   /* exited threads and reaped children */
	int nr_threads, nr_blocked, max_pid;
};

static void add_thread(struct task_totals *tt, struct task_struct *t)
{
	int cpu = task_cpu(t);

	if (cpu < 0 || cpu >= nr_cpus_possible)
		cpu = 0;
	tt->cpu[cpu][t->static_prio > DEFAULT_PRIO ? CPU_NICE : CPU_USER] += t->utime;
	tt->cpu[cpu][CPU_SYSTEM] += t->stime;
	tt->nr_threads++;
	if (READ_ONCE(t->state) & TASK_UNINTERRUPTIBLE)
		tt->nr_blocked++;
	tt->max_pid = MAX(tt->max_pid, t->pid);
}

/* Every process (init_task.tasks holds the group leaders) and its threads. */
static void sum_tasks(struct task_totals *tt)
{
	struct list_head *p, *q;

	memset(tt, 0, sizeof(*tt));
	spin_lock(&tasklist_lock);
	list_for_each(p, &init_task.tasks) {
		struct task_struct *leader = list_entry(p, struct task_struct, tasks);
		struct signal_struct *sig = leader->signal;
		add_thread(tt, leader);
		list_for_each(q, &leader->thread_group)
			add_thread(tt, list_entry(q, struct task_struct, thread_group));
		if (sig) {
			tt->gone_user += sig->utime + sig->cutime;
			tt->gone_system += sig->stime + sig->cstime;
		}
	}
	spin_unlock(&tasklist_lock);
}

/* Fill out[cpu][]: this read's values, never below the last ones reported. */
static void cpu_times(u64 out[][NR_CPU_TIMES], struct task_totals *tt)
{
	int ncpu = nr_cpus_possible;
	u64 now = ktime_get_ns();

	sum_tasks(tt);
	spin_lock(&cpu_times_lock);
	for (int c = 0; c < ncpu; c++) {
		u64 *v = tt->cpu[c];
		v[CPU_USER] += tt->gone_user / (u64)ncpu;
		v[CPU_SYSTEM] += tt->gone_system / (u64)ncpu;
		u64 busy = v[CPU_USER] + v[CPU_NICE] + v[CPU_SYSTEM];
		v[CPU_IDLE] = now > busy ? now - busy : 0;
		for (int i = 0; i < NR_CPU_TIMES; i++) {
			reported[c][i] = MAX(reported[c][i], v[i]);
			out[c][i] = reported[c][i];
		}
	}
	max_pid_seen = MAX(max_pid_seen, tt->max_pid);
	tt->max_pid = max_pid_seen;
	spin_unlock(&cpu_times_lock);
}

static unsigned long ticks(u64 ns)
{
	return (unsigned long)(ns / NSEC_PER_TICK);
}

static void cpu_line(struct pbuf *p, const char *name, const u64 *v)
{
	pb_printf(p, "%s %lu %lu %lu %lu 0 0 0 0 0 0\n", name, ticks(v[CPU_USER]), ticks(v[CPU_NICE]),
		  ticks(v[CPU_SYSTEM]), ticks(v[CPU_IDLE]));
}

static unsigned int nr_running_now(void)
{
	unsigned int n = 0;

	for (int c = 0; c < nr_cpus_possible; c++)
		n += READ_ONCE(cpu_rq(c)->nr_running);
	return n;
}

/* One read's figures (2 KiB: kmalloc'd rather than on the kernel stack). */
struct cpu_snapshot {
	struct task_totals tt;
	u64 times[NR_CPUS][NR_CPU_TIMES];
};

size_t proc_stat_show(struct file *f, char *buf, size_t n)
{
	struct cpu_snapshot *s = kmalloc(sizeof(*s));
	struct pbuf p = { buf, n, 0 };
	u64 sum[NR_CPU_TIMES] = { 0 };
	unsigned long irqs = 0, ctxt = 0;

	(void)f;
	if (!s)
		return 0;
	cpu_times(s->times, &s->tt);
	for (int c = 0; c < nr_cpus_possible; c++) {
		for (int i = 0; i < NR_CPU_TIMES; i++)
			sum[i] += s->times[c][i];
		irqs += READ_ONCE(harts[c].irqs) + READ_ONCE(harts[c].ticks);
		ctxt += READ_ONCE(cpu_rq(c)->nr_switches);
	}
	cpu_line(&p, "cpu ", sum);
	for (int c = 0; c < nr_cpus_possible; c++) {
		char name[8];
		snprintf(name, sizeof(name), "cpu%d", c);
		cpu_line(&p, name, s->times[c]);
	}
	struct timespec64 wall = current_time();
	s64 btime = wall.tv_sec - (s64)(ktime_get_ns() / 1000000000UL);
	pb_printf(&p, "intr %lu\nctxt %lu\nbtime %ld\nprocesses %d\nprocs_running %u\nprocs_blocked %d\n",
		  irqs, ctxt, (long)btime, s->tt.max_pid, nr_running_now(), s->tt.nr_blocked);
	pb_printf(&p, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	kfree(s);
	return p.len;
}

/* Seconds since boot, and the idle time of all harts together. */
size_t proc_uptime_show(struct file *f, char *buf, size_t n)
{
	struct cpu_snapshot *s = kmalloc(sizeof(*s));
	struct pbuf p = { buf, n, 0 };
	u64 now = ktime_get_ns(), idle = 0;

	(void)f;
	if (!s)
		return 0;
	cpu_times(s->times, &s->tt);
	for (int c = 0; c < nr_cpus_possible; c++)
		idle += s->times[c][CPU_IDLE];
	kfree(s);
	pb_printf(&p, "%lu.%02lu %lu.%02lu\n", (unsigned long)(now / 1000000000UL),
		  (unsigned long)(now / 10000000UL % 100), (unsigned long)(idle / 1000000000UL),
		  (unsigned long)(idle / 10000000UL % 100));
	return p.len;
}

/* ---- load average ---- */

#define FSHIFT 11                    /* bits of fraction */
#define FIXED_1 (1UL << FSHIFT)
#define LOAD_FREQ_NS (5000000000ULL + NSEC_PER_TICK) /* Linux: 5 s + 1 tick */
#define EXP_1 1884                   /* FIXED_1 / e^(5 s / 1 min) */
#define EXP_5 2014                   /* FIXED_1 / e^(5 s / 5 min) */
#define EXP_15 2037                  /* FIXED_1 / e^(5 s / 15 min) */

static unsigned long avenrun[3];     /* written by the timer only; readers take a snapshot */
static struct timer loadavg_timer;

static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1; /* round up while rising, so it can reach the target */
	return newload / FIXED_1;
}

/* Timer (interrupt context): only lock-free reads of the run queues. */
static void calc_global_load(struct timer *t)
{
	unsigned long active = (unsigned long)nr_running_now() * FIXED_1;

	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
	timer_add(t, t->expires + LOAD_FREQ_NS);
}

void proc_loadavg_init(void)
{
	timer_init(&loadavg_timer, calc_global_load, NULL);
	timer_add(&loadavg_timer, ktime_get_ns() + LOAD_FREQ_NS);
}

#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

size_t proc_loadavg_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct task_totals *tt = kmalloc(sizeof(*tt));
	unsigned long a[3];

	(void)f;
	if (!tt)
		return 0;
	for (int i = 0; i < 3; i++)
		a[i] = READ_ONCE(avenrun[i]) + FIXED_1 / 200; /* round to 2 decimals */
	sum_tasks(tt);
	pb_printf(&p, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n", LOAD_INT(a[0]), LOAD_FRAC(a[0]),
		  LOAD_INT(a[1]), LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]), nr_running_now(),
		  tt->nr_threads, MAX(tt->max_pid, READ_ONCE(max_pid_seen)));
	kfree(tt);
	return p.len;
}
