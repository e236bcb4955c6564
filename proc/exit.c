/* Leaving: do_exit releases what the task holds, exit_notify hands its
 * children to a reaper and tells the parent; the parent's wait4/waitid
 * reaps the zombie (release_task). The init process's exit powers the
 * machine off with its status (how `make run` reports it). */
#include "proc/exit.h"
#include "proc/cred.h"
#include "proc/fork.h"
#include "proc/pid.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"
#include "arch/riscv/tlbflush.h"
#include "arch/riscv/csr.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/ipc/ipc.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/tty/tty.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"

static int exit_status_of(int code)
{
	if (code & 0x7f)
		return 128 + (code & 0x7f); /* killed by a signal, as a shell reports it */
	return (code >> 8) & 0xff;
}

static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	mm_release(t);
	if (!mm)
		return;
	task_lock(t);
	t->mm = NULL;
	task_unlock(t);
	switch_mm(mm, NULL); /* off its page tables before they may go */
	t->active_mm = NULL;
	mmput(mm);
}

/* Fold a dead thread's usage into its process (for getrusage and wait). */
static void account_exit(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	sig->utime += t->utime;
	sig->stime += t->stime;
	sig->min_flt += t->min_flt;
	sig->maj_flt += t->maj_flt;
	sig->nvcsw += t->nvcsw;
	sig->nivcsw += t->nivcsw;
	sig->sum_sched_runtime += task_sched_runtime(t);
}

/* The task a dead parent's children go to: a live thread of its group,
 * else init. tasklist_lock held. */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct list_head *p;

	list_for_each(p, &father->thread_group) {
		struct task_struct *t = list_entry(p, struct task_struct, thread_group);
		if (!(t->flags & PF_EXITING))
			return t;
	}
	if (!thread_group_leader(father) && !(father->group_leader->flags & PF_EXITING))
		return father->group_leader;
	/* The nearest ancestor that asked to be a subreaper, else init. */
	for (struct task_struct *a = father->group_leader->real_parent; a && a->pid > 1;
	     a = a->group_leader->real_parent)
		if (a->signal && a->signal->is_child_subreaper && !(a->flags & PF_EXITING))
			return a;
	return find_task_by_pid(1);
}

static void reparent_children(struct task_struct *father, struct list_head *dead)
{
	struct task_struct *reaper = find_new_reaper(father);

	while (!list_empty(&father->children)) {
		struct task_struct *c = list_first_entry(&father->children, struct task_struct, sibling);
		list_del(&c->sibling);
		if (!reaper || reaper == father) { /* init itself is going: nobody reaps */
			INIT_LIST_HEAD(&c->sibling);
			continue;
		}
		c->real_parent = c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		/* Linux's reparent_leader: "we don't want people slaying init"
		 * (clone's exit signal could be SIGKILL or SIGTERM). */
		if (reaper->group_leader != father->group_leader)
			c->exit_signal = SIGCHLD;
		if (c->exit_state == EXIT_ZOMBIE && c->signal->nr_threads == 0) {
			/* Tell the new parent about a zombie it now owns. */
			if (do_notify_parent(c, c->exit_signal)) {
				c->exit_state = EXIT_DEAD;
				list_move_tail(&c->sibling, dead);
			}
		}
	}
}

/* A group leader whose threads are all gone can be reported now. */
static bool leader_ready(struct task_struct *leader)
{
	return leader->exit_state == EXIT_ZOMBIE && leader->signal->nr_threads == 0;
}

static void exit_notify(struct task_struct *t, bool group_dead)
{
	LIST_HEAD(dead);
	bool autoreap = false;

	spin_lock(&tasklist_lock);
	reparent_children(t, &dead);
	t->exit_state = EXIT_ZOMBIE;
	if (thread_group_leader(t)) {
		if (group_dead)
			autoreap = do_notify_parent(t, t->exit_signal);
	} else {
		autoreap = true; /* threads reap themselves */
		struct task_struct *leader = t->group_leader;
		if (group_dead && leader_ready(leader) && do_notify_parent(leader, leader->exit_signal)) {
			leader->exit_state = EXIT_DEAD;
			list_move_tail(&leader->sibling, &dead);
		}
	}
	if (autoreap)
		t->exit_state = EXIT_DEAD;
	spin_unlock(&tasklist_lock);
	while (!list_empty(&dead)) {
		struct task_struct *z = list_first_entry(&dead, struct task_struct, sibling);
		list_del_init(&z->sibling);
		release_task(z);
	}
	if (autoreap)
		release_task(t);
}

void do_exit(int code)
{
	struct task_struct *t = current;

	if (t->flags & PF_EXITING)
		panic("do_exit: task %d exited twice", t->pid);
	t->flags |= PF_EXITING;
	t->exit_code = code;
	exit_signals(t);
	bool group_dead = __atomic_sub_fetch(&t->signal->nr_threads, 1, __ATOMIC_ACQ_REL) == 0;
	if (group_dead && t->tgid == 1) {
		int status = t->signal->flags & SIGNAL_GROUP_EXIT ? t->signal->group_exit_code : code;
		pr_info("init exited with status %d\n", exit_status_of(status));
		kernel_power_off(exit_status_of(status));
	}
	exit_mm(t);
	exit_sem(t); /* SEM_UNDO adjustments; shm attachments went with the mm */
	exit_files(t);
	exit_fs(t);
	if (group_dead)
		disassociate_ctty(1); /* a session leader lets go of its terminal */
	account_exit(t);
	if (group_dead && (t->signal->flags & SIGNAL_GROUP_EXIT))
		code = t->signal->group_exit_code;
	if (thread_group_leader(t))
		t->exit_code = code;
	exit_notify(t, group_dead);
	local_irq_disable();
	t->state = TASK_DEAD;
	schedule();
	panic("do_exit: dead task %d was scheduled again", t->pid);
}

void do_group_exit(int code)
{
	struct signal_struct *sig = current->signal;

	unsigned long f = spin_lock_irqsave(&current->sighand->siglock);
	if (sig->flags & SIGNAL_GROUP_EXIT) {
		code = sig->group_exit_code;
	} else {
		sig->flags |= SIGNAL_GROUP_EXIT;
		sig->group_exit_code = code;
		sig->group_exit_task = current;
	}
	spin_unlock_irqrestore(&current->sighand->siglock, f);
	zap_other_threads(current);
	do_exit(code);
}

/* Unlink a dead task and drop the reference its existence held. */
void release_task(struct task_struct *p)
{
	spin_lock(&tasklist_lock);
	if (thread_group_leader(p)) {
		list_del_init(&p->sibling);
		list_del_init(&p->tasks);
		pid_release(p->signal->pgrp);
		pid_release(p->signal->session);
	}
	unsigned long f = spin_lock_irqsave(&p->sighand->siglock);
	list_del_init(&p->thread_group);
	spin_unlock_irqrestore(&p->sighand->siglock, f);
	free_pid(p->pid);
	spin_unlock(&tasklist_lock);
	put_sighand(p->sighand);
	put_signal(p->signal);
	p->sighand = NULL;
	p->signal = NULL;
	put_task_struct(p);
}

SYSCALL_DEFINE1(exit, int, status)
{
	do_exit((status & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, status)
{
	do_group_exit((status & 0xff) << 8);
}

/* ---- wait4 / waitid ---- */

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define P_ALL 0
#define P_PID 1
#define P_PGID 2

struct wait_opts {
	int type;                /* P_ALL, P_PID, P_PGID */
	int id;
	unsigned int flags;
	/* the answer */
	int pid, status, si_code, si_status;
	u32 uid;                 /* the child's real uid (waitid's si_uid) */
	struct task_struct *reaped;
	u64 utime, stime;
	unsigned long minflt, majflt, nvcsw, nivcsw;
};

static bool eligible(struct wait_opts *wo, struct task_struct *c)
{
	if (wo->type == P_PID && c->pid != wo->id)
		return false;
	if (wo->type == P_PGID && c->signal->pgrp != wo->id)
		return false;
	if (wo->flags & __WALL)
		return true;
	/* A "clone" child signals its parent with something other than SIGCHLD. */
	return !!(wo->flags & __WCLONE) == (c->exit_signal != SIGCHLD);
}

static void wo_set_child(struct wait_opts *wo, struct task_struct *c)
{
	const struct cred *tc = get_task_cred(c);

	wo->pid = c->pid;
	wo->uid = tc->uid;
	put_cred(tc);
}

/* Take a zombie's status and usage; tasklist_lock held. */
static void reap_zombie(struct wait_opts *wo, struct task_struct *c)
{
	struct signal_struct *cs = c->signal, *ps = current->signal;
	int code = c->exit_code;

	wo_set_child(wo, c);
	wo->status = code;
	wo->si_code = (code & 0x7f) ? ((code & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;
	wo->si_status = (code & 0x7f) ? (code & 0x7f) : (code >> 8) & 0xff;
	wo->utime = c->utime + cs->utime + cs->cutime;
	wo->stime = c->stime + cs->stime + cs->cstime;
	wo->minflt = c->min_flt + cs->min_flt + cs->cmin_flt;
	wo->majflt = c->maj_flt + cs->maj_flt + cs->cmaj_flt;
	wo->nvcsw = c->nvcsw + cs->nvcsw + cs->cnvcsw;
	wo->nivcsw = c->nivcsw + cs->nivcsw + cs->cnivcsw;
	if (wo->flags & WNOWAIT)
		return;
	ps->cutime += wo->utime;
	ps->cstime += wo->stime;
	ps->cmin_flt += wo->minflt;
	ps->cmaj_flt += wo->majflt;
	ps->cnvcsw += wo->nvcsw;
	ps->cnivcsw += wo->nivcsw;
	c->exit_state = EXIT_DEAD;
	wo->reaped = c;
}

/* One child: 1 if it gave an answer, 0 if not (yet). tasklist_lock held. */
static int wait_one(struct wait_opts *wo, struct task_struct *c)
{
	struct signal_struct *cs = c->signal;

	if (c->exit_state == EXIT_ZOMBIE && cs->nr_threads == 0) {
		if (!(wo->flags & WEXITED))
			return 0;
		reap_zombie(wo, c);
		return 1;
	}
	if (c->exit_state)
		return 0;
	if ((wo->flags & WSTOPPED) && (cs->flags & SIGNAL_STOP_STOPPED) && !cs->stop_reported) {
		wo_set_child(wo, c);
		wo->status = (cs->stop_signr << 8) | 0x7f;
		wo->si_code = CLD_STOPPED;
		wo->si_status = cs->stop_signr;
		if (!(wo->flags & WNOWAIT))
			cs->stop_reported = true;
		return 1;
	}
	if ((wo->flags & WCONTINUED) && (cs->flags & SIGNAL_STOP_CONTINUED) && !cs->cont_reported) {
		wo_set_child(wo, c);
		wo->status = 0xffff;
		wo->si_code = CLD_CONTINUED;
		wo->si_status = SIGCONT;
		if (!(wo->flags & WNOWAIT))
			cs->cont_reported = true;
		return 1;
	}
	return 0;
}

/* The children of current's thread group (or of current alone with
 * __WNOTHREAD): -ECHILD if none qualify, 1 with an answer, 0 to wait. */
static int scan_children(struct wait_opts *wo)
{
	struct task_struct *t = current;
	bool any = false;

	do {
		struct list_head *p;
		list_for_each(p, &t->children) {
			struct task_struct *c = list_entry(p, struct task_struct, sibling);
			if (!eligible(wo, c))
				continue;
			any = true;
			if (wait_one(wo, c))
				return 1;
		}
		if (wo->flags & __WNOTHREAD)
			break;
		t = list_entry(t->thread_group.next, struct task_struct, thread_group);
	} while (t != current);
	return any ? 0 : -ECHILD;
}

static long do_wait(struct wait_opts *wo)
{
	struct wait_queue_entry w = { .task = current };
	long ret;

	for (;;) {
		prepare_to_wait(&current->signal->wait_chldexit, &w, TASK_INTERRUPTIBLE);
		spin_lock(&tasklist_lock);
		ret = scan_children(wo);
		spin_unlock(&tasklist_lock);
		if (ret)
			break;
		if (wo->flags & WNOHANG)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&current->signal->wait_chldexit, &w);
	if (wo->reaped)
		release_task(wo->reaped);
	return ret;
}

struct rusage_user {
	s64 ru_utime[2], ru_stime[2];
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

static int put_rusage(struct wait_opts *wo, struct rusage_user __user *ru)
{
	struct rusage_user r;

	memset(&r, 0, sizeof(r));
	r.ru_utime[0] = (s64)(wo->utime / 1000000000UL);
	r.ru_utime[1] = (s64)(wo->utime % 1000000000UL / 1000);
	r.ru_stime[0] = (s64)(wo->stime / 1000000000UL);
	r.ru_stime[1] = (s64)(wo->stime % 1000000000UL / 1000);
	r.ru_minflt = (long)wo->minflt;
	r.ru_majflt = (long)wo->majflt;
	r.ru_nvcsw = (long)wo->nvcsw;
	r.ru_nivcsw = (long)wo->nivcsw;
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(wait4, int, pid, int __user *, ustatus, int, options, struct rusage_user __user *, ru)
{
	struct wait_opts wo = { .flags = (unsigned)options | WEXITED };

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == -1) {
		wo.type = P_ALL;
	} else if (pid < -1) {
		if (pid == -2147483647 - 1)
			return -ESRCH;
		wo.type = P_PGID, wo.id = -pid;
	} else if (pid == 0) {
		wo.type = P_PGID, wo.id = current->signal->pgrp;
	} else {
		wo.type = P_PID, wo.id = pid;
	}
	long ret = do_wait(&wo);
	if (ret > 0) {
		ret = wo.pid;
		if (ustatus && put_user(wo.status, ustatus))
			return -EFAULT;
		if (ru && put_rusage(&wo, ru))
			return -EFAULT;
	}
	return ret;
}

SYSCALL_DEFINE5(waitid, int, which, int, upid, siginfo_t __user *, infop, int, options,
		struct rusage_user __user *, ru)
{
	struct wait_opts wo = { .flags = (unsigned)options };

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which == P_ALL) {
		wo.type = P_ALL;
	} else if (which == P_PID && upid > 0) {
		wo.type = P_PID, wo.id = upid;
	} else if (which == P_PGID && upid >= 0) {
		wo.type = P_PGID, wo.id = upid ? upid : current->signal->pgrp;
	} else {
		return -EINVAL;
	}
	long ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	if (infop) {
		siginfo_t si; /* 128 bytes, as user space has them: no more */
		memset(&si, 0, sizeof(si));
		if (ret > 0) {
			si.si_signo = SIGCHLD;
			si.si_code = wo.si_code;
			si.chld.si_pid = wo.pid;
			si.chld.si_uid = wo.uid;
			si.chld.si_status = wo.si_status;
		}
		if (copy_to_user(infop, &si, sizeof(si)))
			return -EFAULT;
	}
	if (ret > 0 && ru && put_rusage(&wo, ru))
		return -EFAULT;
	return 0;
}
