/* /proc/<pid>/stat, statm and status in Linux's formats (Linux:
 * fs/proc/array.c), from one snapshot of the task taken under
 * tasklist_lock, then the address space counted with its own reference. */
#include "kernel/fs/proc/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/tty/tty.h"
#include "kernel/fs/file.h"
#include "proc/sched/topology.h"
#include "mm/mm.h"
#include "proc/sched/sched.h"
#include "proc/signal.h"
#include "proc/cred.h"

/* Everything the three files print about one task (times in ns). */
struct task_snap {
	int pid, tgid, ppid, pgrp, session, tpgid;
	u32 tty_nr;                /* Linux's new_encode_dev of the tty, 0: none */
	char comm[16];
	char state;
	unsigned int flags;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	u64 utime, stime, cutime, cstime, start_time;
	long priority, nice;
	int nr_threads, exit_signal, cpu, exit_code, fdsize;
	unsigned int rt_priority, policy;
	unsigned long rsslim, sigq_limit, cpus_mask, nvcsw, nivcsw;
	u64 sig_pending, shd_pending, blocked, ignored, caught;
	struct mm_struct *mm;      /* referenced, or NULL */
};

char proc_task_state_char(const struct task_struct *t)
{
	long state = READ_ONCE(t->state);
	int exit_state = READ_ONCE(t->exit_state);

	/* The highest reported bit wins, as in Linux's task_state_index. */
	if (exit_state & EXIT_ZOMBIE)
		return 'Z';
	if (exit_state & EXIT_DEAD)
		return 'X';
	if (state & __TASK_STOPPED)
		return 'T';
	if (state & TASK_UNINTERRUPTIBLE)
		return 'D';
	if (state & TASK_INTERRUPTIBLE)
		return 'S';
	return 'R';
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

static u32 encode_dev(u32 dev)
{
	return (MINOR(dev) & 0xff) | (MAJOR(dev) << 8) | ((MINOR(dev) & ~0xffu) << 12);
}

/* Signals: pending, blocked, ignored and caught sets; siglock taken. */
static void snap_signals(struct task_struct *t, struct task_snap *s)
{
	if (!t->sighand)
		return;
	unsigned long f = spin_lock_irqsave(&t->sighand->siglock);
	s->sig_pending = t->pending.signal.sig;
	if (t->signal)
		s->shd_pending = t->signal->shared_pending.signal.sig;
	s->blocked = t->blocked.sig;
	for (int i = 0; i < _NSIG; i++) {
		void __user *h = t->sighand->action[i].sa_handler;
		if (h == (void __user *)1)
			s->ignored |= 1ULL << i;
		else if (h)
			s->caught |= 1ULL << i;
	}
	spin_unlock_irqrestore(&t->sighand->siglock, f);
}

/* Process-wide figures: the live threads plus what exited ones left in
 * signal_struct; per-thread ones for task/<tid>/. */
static void snap_usage(struct task_struct *t, bool whole, struct task_snap *s)
{
	struct signal_struct *sig = t->signal;

	if (!whole || !sig) {
		s->utime = t->utime, s->stime = t->stime;
		s->min_flt = t->min_flt, s->maj_flt = t->maj_flt;
		return;
	}
	struct task_struct *leader = t->group_leader;
	struct list_head *p;
	s->utime = sig->utime + leader->utime;
	s->stime = sig->stime + leader->stime;
	s->min_flt = sig->min_flt + leader->min_flt;
	s->maj_flt = sig->maj_flt + leader->maj_flt;
	list_for_each(p, &leader->thread_group) {
		struct task_struct *th = list_entry(p, struct task_struct, thread_group);
		s->utime += th->utime, s->stime += th->stime;
		s->min_flt += th->min_flt, s->maj_flt += th->maj_flt;
	}
}

static int task_snap(int pid, bool whole, struct task_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->tpgid = -1;
	spin_lock(&tasklist_lock);
	struct task_struct *t = proc_find_task(pid);
	if (!t) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	struct task_struct *parent = t->real_parent;
	struct signal_struct *sig = t->signal;
	s->pid = t->pid, s->tgid = t->tgid;
	s->ppid = parent && !(parent->flags & PF_IDLE) ? parent->tgid : 0;
	memcpy(s->comm, t->comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = 0;
	s->state = proc_task_state_char(t);
	s->flags = t->flags;
	if (sig) {
		s->pgrp = sig->pgrp, s->session = sig->session;
		s->nr_threads = sig->nr_threads;
		s->cutime = sig->cutime, s->cstime = sig->cstime;
		s->cmin_flt = sig->cmin_flt, s->cmaj_flt = sig->cmaj_flt;
		s->rsslim = sig->rlim[RLIMIT_RSS].rlim_cur;
		s->sigq_limit = sig->rlim[RLIMIT_SIGPENDING].rlim_cur;
		if (sig->tty) {
			s->tty_nr = encode_dev(sig->tty->dev);
			s->tpgid = tty_get_pgrp(sig->tty); /* ctrl_lock nests inside tasklist_lock */
			if (s->tpgid <= 0)
				s->tpgid = -1;
		}
	}
	snap_usage(t, whole, s);
	snap_signals(t, s);
	s->start_time = t->start_time;
	s->priority = t->prio - MAX_RT_PRIO;
	s->nice = task_has_rt_policy(t) ? 0 : PRIO_TO_NICE(t->static_prio);
	s->exit_signal = t->exit_signal;
	s->cpu = t->thread_info.cpu;
	s->rt_priority = t->rt_priority, s->policy = t->policy;
	s->exit_code = (t->flags & PF_EXITING) ? t->exit_code : 0;
	s->cpus_mask = t->cpus_mask;
	s->nvcsw = t->nvcsw, s->nivcsw = t->nivcsw;
	s->mm = proc_task_mm_locked(t);
	task_lock(t);
	struct files_struct *files = proc_task_files_locked(t);
	s->fdsize = files ? (int)READ_ONCE(files->max_fds) : 0;
	task_unlock(t);
	spin_unlock(&tasklist_lock);
	return 0;
}

static void snap_mm(struct task_snap *s, struct mm_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (s->mm) {
		proc_mm_counts(s->mm, c);
		mmput(s->mm);
		s->mm = NULL;
	}
}

static unsigned long ticks(u64 ns)
{
	return (unsigned long)(ns / NSEC_PER_TICK);
}

size_t proc_pid_stat_show(struct file *f, char *buf, size_t n)
{
	struct proc_inode *pi = PROC_I(f->f_inode);
	struct pbuf p = { buf, n, 0 };
	struct task_snap s;
	struct mm_counts c;

	if (task_snap(pi->pid, !pi->thread, &s))
		return 0;
	snap_mm(&s, &c);
	pb_printf(&p, "%d (%s) %c %d %d %d %u %d %u ", s.pid, s.comm, s.state, s.ppid, s.pgrp,
		  s.session, s.tty_nr, s.tpgid, s.flags);
	pb_printf(&p, "%lu %lu %lu %lu %lu %lu %lu %lu ", s.min_flt, s.cmin_flt, s.maj_flt, s.cmaj_flt,
		  ticks(s.utime), ticks(s.stime), ticks(s.cutime), ticks(s.cstime));
	pb_printf(&p, "%ld %ld %d 0 %lu %lu %lu %lu ", s.priority, s.nice, s.nr_threads,
		  ticks(s.start_time), c.total_vm * PAGE_SIZE, c.rss_anon + c.rss_file, s.rsslim);
	pb_printf(&p, "%lu %lu %lu 0 0 ", c.start_code, c.end_code, c.start_stack);
	pb_printf(&p, "%lu %lu %lu %lu 0 0 0 %d %d %u %u 0 0 0 ",
		  (unsigned long)(s.sig_pending | s.shd_pending), (unsigned long)s.blocked,
		  (unsigned long)s.ignored, (unsigned long)s.caught, s.exit_signal, s.cpu,
		  s.rt_priority, s.policy);
	pb_printf(&p, "%lu %lu %lu %lu %lu %lu %lu %d\n", c.start_data, c.end_data, c.start_brk,
		  c.arg_start, c.arg_end, c.env_start, c.env_end, s.exit_code);
	return p.len;
}

/* size resident shared text lib data dt, in pages (lib and dt are 0 as in Linux). */
size_t proc_pid_statm_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct task_snap s;
	struct mm_counts c;

	if (task_snap(PROC_I(f->f_inode)->pid, true, &s))
		return 0;
	snap_mm(&s, &c);
	unsigned long text = (ALIGN_UP(c.end_code, PAGE_SIZE) - ALIGN_DOWN(c.start_code, PAGE_SIZE)) >> PAGE_SHIFT;
	pb_printf(&p, "%lu %lu %lu %lu 0 %lu 0\n", c.total_vm, c.rss_anon + c.rss_file, c.rss_file,
		  text, c.data_vm + c.stack_vm);
	return p.len;
}

static void status_kb(struct pbuf *p, const char *name, unsigned long pages)
{
	pb_printf(p, "%s:\t%8lu kB\n", name, pages * (PAGE_SIZE / 1024));
}

static void status_mem(struct pbuf *p, const struct mm_counts *c)
{
	unsigned long rss = c->rss_anon + c->rss_file;
	unsigned long text = (ALIGN_UP(c->end_code, PAGE_SIZE) - ALIGN_DOWN(c->start_code, PAGE_SIZE)) >> PAGE_SHIFT;

	status_kb(p, "VmPeak", c->total_vm); /* no high-water marks kept: the current values */
	status_kb(p, "VmSize", c->total_vm);
	status_kb(p, "VmLck", c->locked_vm);
	status_kb(p, "VmPin", 0);
	status_kb(p, "VmHWM", rss);
	status_kb(p, "VmRSS", rss);
	status_kb(p, "RssAnon", c->rss_anon);
	status_kb(p, "RssFile", c->rss_file);
	status_kb(p, "RssShmem", 0);
	status_kb(p, "VmData", c->data_vm);
	status_kb(p, "VmStk", c->stack_vm);
	status_kb(p, "VmExe", text);
	status_kb(p, "VmLib", c->exec_vm > text ? c->exec_vm - text : 0);
	status_kb(p, "VmPTE", c->pt_pages);
	status_kb(p, "VmSwap", 0);
}

static void status_sigset(struct pbuf *p, const char *name, u64 set)
{
	pb_printf(p, "%s:\t%016lx\n", name, (unsigned long)set);
}

/* Real, effective, saved and fs ids, then the groups (and a trailing
 * space, as in Linux). */
static void status_ids(struct pbuf *p, const struct cred *c, int fdsize)
{
	pb_printf(p, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t", c->uid,
		  c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid, fdsize);
	for (int i = 0; i < c->group_info->ngroups; i++)
		pb_printf(p, i ? " %u" : "%u", c->group_info->gid[i]);
	pb_printf(p, " \n");
}

size_t proc_pid_status_show(struct file *f, char *buf, size_t n)
{
	struct proc_inode *pi = PROC_I(f->f_inode);
	struct pbuf p = { buf, n, 0 };
	struct task_snap s;
	struct mm_counts c;
	char cpus[128];

	if (task_snap(pi->pid, !pi->thread, &s))
		return 0;
	bool has_mm = s.mm != NULL;
	snap_mm(&s, &c);
	pb_printf(&p, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", s.comm, proc_get_task_umask(s.pid),
		  state_name(s.state));
	pb_printf(&p, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s.tgid, s.pid, s.ppid);
	const struct cred *cred = proc_get_task_cred(s.pid);
	if (cred)
		status_ids(&p, cred, s.fdsize);
	pb_printf(&p, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", s.tgid, s.pid, s.pgrp, s.session);
	if (has_mm)
		status_mem(&p, &c);
	pb_printf(&p, "CoreDumping:\t0\nThreads:\t%d\n", s.nr_threads);
	pb_printf(&p, "SigQ:\t0/%lu\n", s.sigq_limit);
	status_sigset(&p, "SigPnd", s.sig_pending);
	status_sigset(&p, "ShdPnd", s.shd_pending);
	status_sigset(&p, "SigBlk", s.blocked);
	status_sigset(&p, "SigIgn", s.ignored);
	status_sigset(&p, "SigCgt", s.caught);
	if (cred) {
		pb_printf(&p, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\n",
			  (unsigned long)cred->cap_inheritable, (unsigned long)cred->cap_permitted,
			  (unsigned long)cred->cap_effective, (unsigned long)cred->cap_bset);
		put_cred(cred);
	}
	pb_printf(&p, "CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n");
	u64 allowed = s.cpus_mask & (nr_cpus_possible >= 64 ? ~0ULL : (1ULL << nr_cpus_possible) - 1);
	cpumask64_format(allowed, cpus, sizeof(cpus));
	pb_printf(&p, "Cpus_allowed:\t%lx\nCpus_allowed_list:\t%s\n", (unsigned long)allowed, cpus);
	pb_printf(&p, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	pb_printf(&p, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", s.nvcsw,
		  s.nivcsw);
	return p.len;
}
