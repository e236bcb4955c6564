/* POSIX message queues, the messages (Linux: ipc/mqueue.c): mq_timedsend,
 * mq_timedreceive, mq_notify, mq_getsetattr, poll and the queue file's
 * status line. A message goes straight to a receiver already asleep (and
 * a sleeping sender's message straight into the space a receive made), as
 * Linux's pipelined_send/receive, so no wake-up is lost or stolen. */
#include "kernel/ipc/mqueue.h"
#include "kernel/ipc/util.h"
#include "kernel/fs/file.h"
#include "kernel/net/net.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timekeeping.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"
#include "proc/posix_timers.h"
#include "proc/sched.h"
#include "proc/signal.h"

#define NOTIFY_COOKIE_LEN 32

struct sigevent_k { /* struct sigevent, 64 bytes on riscv64 */
	u64 sigev_value;
	int sigev_signo;
	int sigev_notify;
	int __pad[12];
};

void free_mq_msg(struct mq_msg *m)
{
	kfree(m);
}

/* After the last message of a higher or equal priority. */
static void msg_insert(struct mq_msg *m, struct mqueue_inode_info *info)
{
	struct list_head *pos = info->messages.prev;

	while (pos != &info->messages && list_entry(pos, struct mq_msg, m_list)->m_prio < m->m_prio)
		pos = pos->prev;
	list_add(&m->m_list, pos);
	info->attr.mq_curmsgs++;
	info->qsize += m->m_ts;
}

static struct mq_msg *msg_get(struct mqueue_inode_info *info)
{
	struct mq_msg *m = list_entry(info->messages.next, struct mq_msg, m_list);

	list_del(&m->m_list);
	info->attr.mq_curmsgs--;
	info->qsize -= m->m_ts;
	return m;
}

static struct ext_wait_queue *wq_get_first_waiter(struct mqueue_inode_info *info, int sr)
{
	struct list_head *l = &info->e_wait_q[sr];

	return list_empty(l) ? NULL : list_entry(l->next, struct ext_wait_queue, list);
}

/* Mark a waiter done and wake it; info->lock held, which the waiter takes
 * before it looks, so its (stack) entry is not used after this. */
static void wq_wake(struct ext_wait_queue *w)
{
	list_del(&w->list);
	w->ready = true;
	wake_up_process(w->task);
}

/* Sleep as a sender or receiver until handed over to, a signal, or the
 * deadline (monotonic ns, 0: none). info->lock held on entry and return. */
static int wq_sleep(struct mqueue_inode_info *info, int sr, u64 deadline, struct ext_wait_queue *w)
{
	int ret;

	w->task = current;
	w->ready = false;
	list_add_tail(&w->list, &info->e_wait_q[sr]);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&info->lock);
		/* A signal sent before the state was set would not wake us. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!signal_pending(current))
			ipc_sleep(deadline);
		set_current_state(TASK_RUNNING);
		spin_lock(&info->lock);
		if (w->ready)
			return 0;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS; /* as Linux: SA_RESTART restarts it */
			break;
		}
		if (deadline && ktime_get_ns() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	list_del(&w->list);
	return ret;
}

void remove_notification(struct mqueue_inode_info *info, struct task_struct **put)
{
	*put = info->notify_owner;
	info->notify_owner = NULL;
}

/* A message went into an empty queue with nobody waiting: the registered
 * process hears of it, once (Linux: __do_notify). info->lock held. */
static void __do_notify(struct mqueue_inode_info *info, struct task_struct **put)
{
	if (info->notify_owner && info->attr.mq_curmsgs == 1) {
		if (info->notify_sigev_notify == SIGEV_SIGNAL && info->notify_signo) {
			siginfo_t si = { .si_signo = info->notify_signo, .si_code = SI_MESGQ };
			si.kill.si_pid = current->tgid;
			si.kill.si_uid = current_uid();
			si.kill.si_value = info->notify_value;
			/* Our reference keeps the task_struct, not its signal
			 * state: send only while it is still in the pid table. */
			struct task_struct *owner = info->notify_owner;
			spin_lock(&tasklist_lock);
			if (find_task_by_pid(owner->pid) == owner)
				do_send_sig_info(info->notify_signo, &si, owner, true);
			spin_unlock(&tasklist_lock);
		}
		remove_notification(info, put);
	}
	wake_up_poll(&info->wait_q, POLLIN | POLLRDNORM);
}

/* A receive made room: a sleeping sender's message takes it. */
static void pipelined_receive(struct mqueue_inode_info *info)
{
	struct ext_wait_queue *sender = wq_get_first_waiter(info, SEND);

	if (!sender) {
		wake_up_poll(&info->wait_q, POLLOUT | POLLWRNORM);
		return;
	}
	msg_insert(sender->msg, info);
	wq_wake(sender);
}

/* An absolute CLOCK_REALTIME timeout as a monotonic deadline (never 0). */
static int mq_timeout(const void __user *u_abs_timeout, u64 *deadline)
{
	struct { s64 tv_sec, tv_nsec; } ts;

	*deadline = 0;
	if (!u_abs_timeout)
		return 0;
	if (copy_from_user(&ts, u_abs_timeout, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	u64 ns = (u64)ts.tv_sec >= (~0ULL >> 2) / NSEC_PER_SEC
			 ? ~0ULL >> 2 : (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	*deadline = real_to_mono_ns(ns);
	if (!*deadline)
		*deadline = 1; /* before the boot: already passed */
	return 0;
}

/* The queue open on fd with the access mode wanted (FMODE_*), referenced. */
static struct file *mq_fget(int fd, unsigned int fmode)
{
	struct file *f = fget(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &mqueue_file_operations || (fmode && !(f->f_mode & fmode))) {
		fput(f);
		return ERR_PTR(-EBADF);
	}
	return f;
}

SYSCALL_DEFINE5(mq_timedsend, int, mqdes, const char __user *, u_msg_ptr, size_t, msg_len,
		unsigned int, msg_prio, const void __user *, u_abs_timeout)
{
	struct ext_wait_queue wait;
	struct task_struct *put = NULL;
	u64 deadline;
	long err = mq_timeout(u_abs_timeout, &deadline);

	if (err)
		return err;
	if (msg_prio >= MQ_PRIO_MAX)
		return -EINVAL;
	struct file *f = mq_fget(mqdes, FMODE_WRITE);
	if (IS_ERR(f))
		return PTR_ERR(f);
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	struct mq_msg *m = NULL;
	err = -EMSGSIZE;
	if (msg_len > (size_t)info->attr.mq_msgsize)
		goto out;
	err = -ENOMEM;
	m = kmalloc(sizeof(*m) + msg_len);
	if (!m)
		goto out;
	m->m_ts = msg_len;
	m->m_prio = msg_prio;
	err = -EFAULT;
	if (copy_from_user(m->m_text, u_msg_ptr, msg_len))
		goto out;
	spin_lock(&info->lock);
	if (info->attr.mq_curmsgs == info->attr.mq_maxmsg) {
		err = -EAGAIN;
		if (!(f->f_flags & O_NONBLOCK)) {
			wait.msg = m;
			err = wq_sleep(info, SEND, deadline, &wait);
		}
	} else {
		struct ext_wait_queue *receiver = wq_get_first_waiter(info, RECV);
		if (receiver) {
			receiver->msg = m;
			wq_wake(receiver);
		} else {
			msg_insert(m, info);
			__do_notify(info, &put);
		}
		err = 0;
	}
	spin_unlock(&info->lock);
	if (!err)
		m = NULL; /* the queue's now */
	if (put)
		put_task_struct(put);
out:
	kfree(m);
	fput(f);
	return err;
}

SYSCALL_DEFINE5(mq_timedreceive, int, mqdes, char __user *, u_msg_ptr, size_t, msg_len,
		unsigned int __user *, u_msg_prio, const void __user *, u_abs_timeout)
{
	struct ext_wait_queue wait;
	struct mq_msg *m = NULL;
	u64 deadline;
	long err = mq_timeout(u_abs_timeout, &deadline);

	if (err)
		return err;
	struct file *f = mq_fget(mqdes, FMODE_READ);
	if (IS_ERR(f))
		return PTR_ERR(f);
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	err = -EMSGSIZE;
	if (msg_len < (size_t)info->attr.mq_msgsize)
		goto out;
	spin_lock(&info->lock);
	if (info->attr.mq_curmsgs == 0) {
		err = -EAGAIN;
		if (!(f->f_flags & O_NONBLOCK)) {
			err = wq_sleep(info, RECV, deadline, &wait);
			m = err ? NULL : wait.msg;
		}
	} else {
		m = msg_get(info);
		pipelined_receive(info);
		err = 0;
	}
	spin_unlock(&info->lock);
	if (m) {
		/* A message that cannot be stored is lost, as in Linux. */
		err = (long)m->m_ts;
		if ((u_msg_prio && put_user(m->m_prio, u_msg_prio)) ||
		    copy_to_user(u_msg_ptr, m->m_text, m->m_ts))
			err = -EFAULT;
		free_mq_msg(m);
	}
out:
	fput(f);
	return err;
}

/* SIGEV_THREAD: glibc passes a netlink socket (sigev_signo) and a cookie.
 * Vireo has no AF_NETLINK, so this ends as Linux's netlink_getsockbyfilp
 * does for any other file: ENOTSOCK, or EINVAL for a socket. */
static long mq_notify_thread(const struct sigevent_k *n)
{
	u8 cookie[NOTIFY_COOKIE_LEN];

	if (copy_from_user(cookie, (const void __user *)n->sigev_value, sizeof(cookie)))
		return -EFAULT;
	struct file *sf = fget(n->sigev_signo);
	if (!sf)
		return -EBADF;
	long err = sock_from_file(sf) ? -EINVAL : -ENOTSOCK;
	fput(sf);
	return err;
}

SYSCALL_DEFINE2(mq_notify, int, mqdes, const struct sigevent_k __user *, u_notification)
{
	struct sigevent_k n;
	struct task_struct *put = NULL;
	long err = 0;

	if (u_notification) {
		if (copy_from_user(&n, u_notification, sizeof(n)))
			return -EFAULT;
		if (n.sigev_notify != SIGEV_NONE && n.sigev_notify != SIGEV_SIGNAL &&
		    n.sigev_notify != SIGEV_THREAD)
			return -EINVAL;
		if (n.sigev_notify == SIGEV_SIGNAL && (unsigned)n.sigev_signo > _NSIG)
			return -EINVAL;
		if (n.sigev_notify == SIGEV_THREAD)
			return mq_notify_thread(&n);
	}
	struct file *f = mq_fget(mqdes, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	spin_lock(&info->lock);
	if (!u_notification) {
		if (info->notify_owner == current->group_leader)
			remove_notification(info, &put);
	} else if (info->notify_owner) {
		err = -EBUSY;
	} else {
		info->notify_sigev_notify = n.sigev_notify;
		info->notify_signo = n.sigev_notify == SIGEV_SIGNAL ? n.sigev_signo : 0;
		info->notify_value = n.sigev_value;
		get_task_struct(current->group_leader);
		info->notify_owner = current->group_leader;
	}
	spin_unlock(&info->lock);
	if (put)
		put_task_struct(put);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(mq_getsetattr, int, mqdes, const struct mq_attr __user *, u_mqstat,
		struct mq_attr __user *, u_omqstat)
{
	struct mq_attr mqstat, omqstat;

	if (u_mqstat) {
		if (copy_from_user(&mqstat, u_mqstat, sizeof(mqstat)))
			return -EFAULT;
		if (mqstat.mq_flags & ~O_NONBLOCK)
			return -EINVAL;
	}
	struct file *f = mq_fget(mqdes, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	spin_lock(&info->lock);
	omqstat = info->attr;
	spin_lock(&f->f_lock);
	omqstat.mq_flags = f->f_flags & O_NONBLOCK;
	if (u_mqstat) {
		if (mqstat.mq_flags & O_NONBLOCK)
			f->f_flags |= O_NONBLOCK;
		else
			f->f_flags &= ~O_NONBLOCK;
	}
	spin_unlock(&f->f_lock);
	spin_unlock(&info->lock);
	fput(f);
	if (u_omqstat && copy_to_user(u_omqstat, &omqstat, sizeof(omqstat)))
		return -EFAULT;
	return 0;
}

ssize_t mqueue_read_file(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	char buf[80];

	spin_lock(&info->lock);
	bool owner = info->notify_owner != NULL;
	snprintf(buf, sizeof(buf), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		 (unsigned long)info->qsize, owner ? info->notify_sigev_notify : 0,
		 owner && info->notify_sigev_notify == SIGEV_SIGNAL ? info->notify_signo : 0,
		 owner ? info->notify_owner->tgid : 0);
	spin_unlock(&info->lock);
	size_t len = strlen(buf);
	if (*pos >= len)
		return 0;
	size_t n = copy_to_iter(buf + *pos, MIN(len - (size_t)*pos, to->count), to);
	if (!n && to->count)
		return -EFAULT;
	*pos += n;
	return (ssize_t)n;
}

__poll_t mqueue_poll_file(struct file *f, struct poll_table_struct *pt)
{
	struct mqueue_inode_info *info = MQUEUE_I(f->f_inode);
	__poll_t mask = 0;

	poll_wait(f, &info->wait_q, pt);
	spin_lock(&info->lock);
	if (info->attr.mq_curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (info->attr.mq_curmsgs < info->attr.mq_maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&info->lock);
	return mask;
}
