/* Job control on a terminal (Linux: drivers/tty/tty_jobctrl.c): which
 * session a tty controls and which of its process groups is in the
 * foreground; background groups get SIGTTIN/SIGTTOU; a session leader
 * acquires its controlling tty and lets go of it (TIOCNOTTY, exit).
 * current->signal->tty is the controlling tty; fork copies it. */
#include "kernel/tty/tty.h"
#include "kernel/fs/fs.h"
#include "kernel/uaccess.h"
#include "proc/sched.h"
#include "proc/signal.h"

struct tty_struct *get_current_tty(void)
{
	return READ_ONCE(current->signal->tty);
}

/* Referenced under tasklist_lock, which every change of signal->tty
 * holds: a hangup cannot free it between the read and the get. */
struct tty_struct *get_current_tty_ref(void)
{
	spin_lock(&tasklist_lock);
	struct tty_struct *tty = current->signal->tty;
	if (tty)
		tty_kref_get(tty);
	spin_unlock(&tasklist_lock);
	return tty;
}

void proc_clear_tty(struct signal_struct *sig)
{
	struct tty_struct *tty = sig->tty;

	sig->tty = NULL;
	if (tty)
		tty_kref_put(tty);
}

int tty_get_pgrp(struct tty_struct *tty)
{
	spin_lock(&tty->ctrl_lock);
	int pgrp = tty->pgrp;
	spin_unlock(&tty->ctrl_lock);
	return pgrp;
}

static int tty_get_session(struct tty_struct *tty)
{
	spin_lock(&tty->ctrl_lock);
	int sid = tty->session;
	spin_unlock(&tty->ctrl_lock);
	return sid;
}

void tty_signal_pgrp(struct tty_struct *tty, int sig)
{
	int pgrp = tty_get_pgrp(tty);

	if (pgrp > 0)
		kill_pgrp(pgrp, sig);
}

static bool current_leader(void)
{
	return current->signal->session == current->tgid;
}

/* Blocked or ignored by current: then no job control signal is sent. */
static bool is_ignored(int sig)
{
	return sigismember(&current->blocked, sig) ||
	       current->sighand->action[sig - 1].sa_handler == SIG_IGN;
}

/* An orphaned process group has no member whose parent is in another
 * group of the same session: nobody there could continue it after a
 * stop, so it is not stopped (Linux: will_become_orphaned_pgrp). Children
 * of init do not count. tasklist_lock held. */
static bool pgrp_is_orphaned(int pgrp)
{
	struct list_head *l;

	list_for_each(l, &init_task.tasks) {
		struct task_struct *p = list_entry(l, struct task_struct, tasks);
		struct task_struct *parent = p->real_parent;
		if (!p->signal || p->signal->pgrp != pgrp || p->exit_state)
			continue;
		if (!parent || parent->tgid <= 1 || !parent->signal)
			continue;
		if (parent->signal->pgrp != pgrp && parent->signal->session == p->signal->session)
			return false;
	}
	return true;
}

int tty_check_change_sig(struct tty_struct *tty, int sig)
{
	if (get_current_tty() != tty)
		return 0;
	int pgrp = READ_ONCE(current->signal->pgrp), tty_pgrp = tty_get_pgrp(tty);
	if (!tty_pgrp || pgrp == tty_pgrp)
		return 0;
	if (is_ignored(sig))
		return sig == SIGTTIN ? -EIO : 0;
	spin_lock(&tasklist_lock);
	bool orphaned = pgrp_is_orphaned(pgrp);
	spin_unlock(&tasklist_lock);
	if (orphaned)
		return -EIO;
	kill_pgrp(pgrp, sig);
	/* Another thread may have taken the signal: make sure this one goes
	 * through signal delivery, which restarts the call once it may. */
	set_tsk_thread_flag(current, TIF_SIGPENDING);
	return -ERESTARTSYS;
}

/* current becomes the controlling process of tty. tasklist_lock held. */
static void __proc_set_tty(struct tty_struct *tty)
{
	spin_lock(&tty->ctrl_lock);
	tty->session = current->signal->session;
	tty->pgrp = current->signal->pgrp;
	spin_unlock(&tty->ctrl_lock);
	tty_kref_get(tty);
	proc_clear_tty(current->signal);
	current->signal->tty = tty;
}

/* Every process of session sid loses its controlling tty. tasklist_lock held. */
static void session_clear_tty(int sid)
{
	struct list_head *l;

	list_for_each(l, &init_task.tasks) {
		struct task_struct *p = list_entry(l, struct task_struct, tasks);
		if (p->signal && p->signal->session == sid)
			proc_clear_tty(p->signal);
	}
}

void tty_signal_session_leader(struct tty_struct *tty)
{
	struct list_head *l;

	spin_lock(&tasklist_lock);
	spin_lock(&tty->ctrl_lock);
	tty->session = tty->pgrp = 0;
	spin_unlock(&tty->ctrl_lock);
	list_for_each(l, &init_task.tasks) {
		struct task_struct *p = list_entry(l, struct task_struct, tasks);
		if (!p->signal || p->signal->tty != tty)
			continue;
		if (p->signal->session == p->tgid && p->tgid == p->pid) {
			group_send_sig(SIGHUP, p);
			group_send_sig(SIGCONT, p);
		}
		proc_clear_tty(p->signal);
	}
	spin_unlock(&tasklist_lock);
}

/* Opening a tty without O_NOCTTY: a session leader that has no
 * controlling tty gets this one if no session has it. Write-only opens
 * do not count: the tty's control (tcsetattr, /dev/tty) needs read. */
void tty_open_proc_set_tty(struct file *f, struct tty_struct *tty)
{
	if (!(f->f_mode & FMODE_READ))
		return;
	spin_lock(&tasklist_lock);
	if (current_leader() && !current->signal->tty && !tty_get_session(tty))
		__proc_set_tty(tty);
	spin_unlock(&tasklist_lock);
}

/* TIOCSCTTY: steal (arg 1) takes it from another session; everyone is
 * root here, so that is always allowed. */
static long tiocsctty(struct tty_struct *tty, unsigned long steal)
{
	long ret = 0;

	spin_lock(&tasklist_lock);
	int sid = tty_get_session(tty);
	if (current_leader() && sid == current->signal->session)
		goto out; /* already ours */
	if (!current_leader() || current->signal->tty) {
		ret = -EPERM;
		goto out;
	}
	if (sid) {
		if (steal != 1) {
			ret = -EPERM;
			goto out;
		}
		session_clear_tty(sid);
	}
	__proc_set_tty(tty);
out:
	spin_unlock(&tasklist_lock);
	return ret;
}

void disassociate_ctty(int on_exit)
{
	(void)on_exit; /* exit and TIOCNOTTY signal alike (POSIX: SIGHUP on exit) */
	if (!current_leader())
		return;
	/* Referenced: a pty hangup may clear it meanwhile. */
	struct tty_struct *tty = get_current_tty_ref();
	if (!tty)
		return;
	int pgrp = tty_get_pgrp(tty);
	if (pgrp > 0) {
		kill_pgrp(pgrp, SIGHUP);
		kill_pgrp(pgrp, SIGCONT); /* a stopped group must wake to die */
	}
	spin_lock(&tasklist_lock);
	spin_lock(&tty->ctrl_lock);
	tty->session = tty->pgrp = 0;
	spin_unlock(&tty->ctrl_lock);
	session_clear_tty(current->signal->session);
	spin_unlock(&tasklist_lock);
	tty_kref_put(tty);
}

static long tiocnotty(struct tty_struct *tty)
{
	if (get_current_tty() != tty)
		return -ENOTTY;
	if (current_leader()) {
		disassociate_ctty(0);
	} else {
		spin_lock(&tasklist_lock);
		proc_clear_tty(current->signal);
		spin_unlock(&tasklist_lock);
	}
	return 0;
}

/* The session of process group pgrp, or of the process with that id if
 * there is no such group (as Linux does); -1 if neither exists.
 * tasklist_lock held. */
static int session_of_pgrp(int pgrp)
{
	struct list_head *l;
	int sid = -1;

	list_for_each(l, &init_task.tasks) {
		struct task_struct *p = list_entry(l, struct task_struct, tasks);
		if (!p->signal || p->exit_state)
			continue;
		if (p->signal->pgrp == pgrp)
			return p->signal->session;
		if (p->tgid == pgrp)
			sid = p->signal->session;
	}
	return sid;
}

/* tcsetpgrp: only on our controlling tty, to a group of our session; a
 * background caller is stopped first unless it ignores SIGTTOU (which is
 * how a shell takes the terminal back). */
static long tiocspgrp(struct tty_struct *tty, int __user *p)
{
	int pgrp;
	long ret;

	if (get_current_tty() != tty || tty_get_session(tty) != current->signal->session)
		return -ENOTTY;
	ret = tty_check_change(tty);
	if (ret == -EIO)
		return -ENOTTY;
	if (ret)
		return ret;
	if (get_user(pgrp, p))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	int sid = session_of_pgrp(pgrp);
	if (sid < 0) {
		ret = -ESRCH;
	} else if (sid != current->signal->session) {
		ret = -EPERM;
	} else {
		spin_lock(&tty->ctrl_lock);
		tty->pgrp = pgrp;
		spin_unlock(&tty->ctrl_lock);
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd, unsigned long arg)
{
	int __user *p = (int __user *)arg;
	/* On a pty master they concern its slave, and the master may ask
	 * for the slave's group and session without controlling it. */
	struct tty_struct *real = tty_pair_get_tty(tty);
	bool mine = real != tty || get_current_tty() == real;
	int v;

	(void)f;
	switch (cmd) {
	case TIOCNOTTY:
		return tiocnotty(real);
	case TIOCSCTTY:
		return tiocsctty(real, arg);
	case TIOCGPGRP:
		if (!mine)
			return -ENOTTY;
		return put_user(tty_get_pgrp(real), p) ? -EFAULT : 0;
	case TIOCSPGRP:
		return tiocspgrp(real, p);
	case TIOCGSID:
		if (!mine || !(v = tty_get_session(real)))
			return -ENOTTY;
		return put_user(v, p) ? -EFAULT : 0;
	}
	return -ENOIOCTLCMD;
}
