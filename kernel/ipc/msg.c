/* System V message queues (Linux: ipc/msg.c): typed messages queued in
 * order; msgsnd sleeps while the queue holds msg_qbytes, msgrcv picks by
 * type (first, exact, lowest <= |type|, or any other with MSG_EXCEPT) and
 * sleeps while none matches. Messages are copied in before and out after
 * the queue's lock is held, so no user memory is touched under it. */
#include "kernel/ipc/util.h"
#include "kernel/errno.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"

#define MSGMNI IPC_MAX_ENTRIES
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1)
#define MSGMAX 8192  /* largest message */
#define MSGMNB 16384 /* default msg_qbytes */
#define MSGPOOL (MSGMNI * MSGMNB / 1024)
#define MSGTQL MSGMNB
#define MSGMAP MSGMNB
#define MSGSSZ 16
#define MSGSEG 0xffff

#define MSG_STAT 11
#define MSG_INFO 12
#define MSG_STAT_ANY 13
#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000

struct msg_msg {
	struct list_head m_list;
	long m_type;
	size_t m_ts;     /* text size */
	char m_text[];
};

struct msg_queue {
	struct kern_ipc_perm q_perm;   /* its lock protects everything below */
	long q_stime, q_rtime, q_ctime;
	unsigned long q_cbytes, q_qnum, q_qbytes;
	int q_lspid, q_lrpid;
	struct list_head q_messages;
	wait_queue_head_t q_receivers; /* msgrcv waiting for a message */
	wait_queue_head_t q_senders;   /* msgsnd waiting for room */
};

/* The user structures (asm-generic/msgbuf.h, linux/msg.h). */
struct msqid64_ds {
	struct ipc64_perm msg_perm;
	long msg_stime, msg_rtime, msg_ctime;
	unsigned long msg_cbytes, msg_qnum, msg_qbytes;
	int msg_lspid, msg_lrpid;
	unsigned long __unused4, __unused5;
};
_Static_assert(sizeof(struct msqid64_ds) == 120, "glibc's struct msqid_ds on riscv64");
struct msginfo {
	int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	unsigned short msgseg;
};

static struct ipc_ids msg_ids;
/* Totals for MSG_INFO (atomics: no lock of their own). */
static unsigned long msg_hdrs, msg_bytes;

static inline struct msg_queue *msq_of(struct kern_ipc_perm *perm)
{
	return container_of(perm, struct msg_queue, q_perm);
}

static void free_msg(struct msg_msg *msg)
{
	__atomic_sub_fetch(&msg_hdrs, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&msg_bytes, msg->m_ts, __ATOMIC_RELAXED);
	kfree(msg);
}

static void msg_free(struct kern_ipc_perm *perm)
{
	struct msg_queue *msq = msq_of(perm);

	while (!list_empty(&msq->q_messages)) {
		struct msg_msg *m = list_first_entry(&msq->q_messages, struct msg_msg, m_list);
		list_del(&m->m_list);
		free_msg(m);
	}
	kfree(msq);
}

static int newque(struct ipc_ids *ids, struct ipc_params *p)
{
	struct msg_queue *msq = kzalloc(sizeof(*msq));
	int id;

	if (!msq)
		return -ENOMEM;
	msq->q_qbytes = MSGMNB;
	msq->q_ctime = ipc_get_seconds();
	INIT_LIST_HEAD(&msq->q_messages);
	init_waitqueue_head(&msq->q_receivers);
	init_waitqueue_head(&msq->q_senders);
	msq->q_perm.free = msg_free;
	id = ipc_addid(ids, &msq->q_perm, p->key, p->flg);
	if (id < 0)
		kfree(msq);
	return id;
}

static const struct ipc_ops msg_ops = { .getnew = newque };

void msg_init(void)
{
	ipc_init_ids(&msg_ids, MSGMNI);
}

SYSCALL_DEFINE2(msgget, key_t, key, int, msgflg)
{
	struct ipc_params p = { .key = key, .flg = msgflg };

	return ipcget(&msg_ids, &msg_ops, &p);
}

/* Sleep on wq with the queue's lock dropped; locked again on return.
 * -EIDRM if the queue went, -ERESTARTNOHAND on a signal, else 0. */
static int msg_wait(struct msg_queue *msq, wait_queue_head_t *wq)
{
	struct wait_queue_entry w = { .task = current };
	int err = 0;

	prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
	ipc_unlock_object(&msq->q_perm);
	/* A signal sent before the state was set would not wake us. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!signal_pending(current))
		schedule();
	ipc_lock_object(&msq->q_perm);
	finish_wait(wq, &w);
	if (msq->q_perm.deleted)
		err = -EIDRM;
	else if (signal_pending(current))
		err = -ERESTARTNOHAND; /* as Linux: never restarted after a handler */
	return err;
}

/* ---- msgsnd ---- */

static long do_msgsnd(int msqid, const void __user *msgp, long msgsz, int msgflg)
{
	struct kern_ipc_perm *perm;
	struct msg_queue *msq;
	struct msg_msg *msg;
	long err;

	if (msgsz > MSGMAX || msgsz < 0 || msqid < 0)
		return -EINVAL;
	msg = kmalloc(sizeof(*msg) + (size_t)msgsz);
	if (!msg)
		return -ENOMEM;
	msg->m_ts = (size_t)msgsz;
	__atomic_add_fetch(&msg_hdrs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&msg_bytes, msg->m_ts, __ATOMIC_RELAXED);
	if (get_user(msg->m_type, (const long __user *)msgp) ||
	    copy_from_user(msg->m_text, (const char __user *)msgp + sizeof(long), (size_t)msgsz)) {
		free_msg(msg);
		return -EFAULT;
	}
	if (msg->m_type < 1) {
		free_msg(msg);
		return -EINVAL;
	}
	perm = ipc_obtain_lock(&msg_ids, msqid);
	if (IS_ERR(perm)) {
		free_msg(msg);
		return PTR_ERR(perm);
	}
	msq = msq_of(perm);
	for (;;) {
		err = -EACCES;
		if (ipcperms(perm, S_IWUGO))
			break;
		if (msq->q_cbytes + msg->m_ts <= msq->q_qbytes && msq->q_qnum + 1 <= msq->q_qbytes) {
			list_add_tail(&msg->m_list, &msq->q_messages);
			msq->q_cbytes += msg->m_ts;
			msq->q_qnum++;
			msq->q_lspid = current->tgid;
			msq->q_stime = ipc_get_seconds();
			wake_up_all(&msq->q_receivers);
			msg = NULL;
			err = 0;
			break;
		}
		err = -EAGAIN;
		if (msgflg & IPC_NOWAIT)
			break;
		err = msg_wait(msq, &msq->q_senders);
		if (err)
			break;
	}
	ipc_unlock_put(perm);
	if (msg)
		free_msg(msg);
	return err;
}

SYSCALL_DEFINE4(msgsnd, int, msqid, const void __user *, msgp, size_t, msgsz, int, msgflg)
{
	return do_msgsnd(msqid, msgp, (long)msgsz, msgflg);
}

/* ---- msgrcv ---- */

/* The message msgrcv(msgtyp, msgflg) takes, or NULL. With MSG_COPY,
 * msgtyp is the position of the one to copy. */
static struct msg_msg *find_msg(struct msg_queue *msq, long msgtyp, int msgflg)
{
	struct msg_msg *found = NULL;
	struct list_head *p;
	long n = 0, max = msgtyp == LONG_MIN ? LONG_MAX : -msgtyp; /* for msgtyp < 0 */

	list_for_each(p, &msq->q_messages) {
		struct msg_msg *m = list_entry(p, struct msg_msg, m_list);

		if (msgflg & MSG_COPY) {
			if (n++ == msgtyp)
				return m;
		} else if (msgtyp == 0) {
			return m;
		} else if (msgtyp > 0) {
			if ((m->m_type == msgtyp) != ((msgflg & MSG_EXCEPT) != 0))
				return m;
		} else if (m->m_type <= max && (!found || m->m_type < found->m_type)) {
			found = m;
		}
	}
	return found;
}

/* A kernel copy of m for MSG_COPY (it stays queued), or NULL. */
static struct msg_msg *copy_msg(struct msg_msg *m)
{
	struct msg_msg *c = kmalloc(sizeof(*c) + m->m_ts);

	if (c) {
		memcpy(c, m, sizeof(*c) + m->m_ts);
		__atomic_add_fetch(&msg_hdrs, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&msg_bytes, c->m_ts, __ATOMIC_RELAXED);
	}
	return c;
}

/* Take (or copy) the message for this msgrcv, sleeping as needed. Queue
 * locked on entry and on return. */
static struct msg_msg *msg_get(struct msg_queue *msq, long msgtyp, size_t msgsz, int msgflg)
{
	for (;;) {
		if (ipcperms(&msq->q_perm, S_IRUGO))
			return ERR_PTR(-EACCES);
		struct msg_msg *m = find_msg(msq, msgtyp, msgflg);
		if (m) {
			if (m->m_ts > msgsz && !(msgflg & MSG_NOERROR))
				return ERR_PTR(-E2BIG);
			if (msgflg & MSG_COPY)
				return copy_msg(m) ?: ERR_PTR(-ENOMEM);
			list_del(&m->m_list);
			msq->q_qnum--;
			msq->q_cbytes -= m->m_ts;
			msq->q_rtime = ipc_get_seconds();
			msq->q_lrpid = current->tgid;
			wake_up_all(&msq->q_senders);
			return m;
		}
		if (msgflg & IPC_NOWAIT)
			return ERR_PTR(-ENOMSG);
		int err = msg_wait(msq, &msq->q_receivers);
		if (err)
			return ERR_PTR(err);
	}
}

static long do_msgrcv(int msqid, void __user *msgp, long msgsz, long msgtyp, int msgflg)
{
	struct kern_ipc_perm *perm;
	struct msg_msg *msg;
	size_t n;

	if (msqid < 0 || msgsz < 0)
		return -EINVAL;
	if ((msgflg & MSG_COPY) && ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
		return -EINVAL;
	perm = ipc_obtain_lock(&msg_ids, msqid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	msg = msg_get(msq_of(perm), msgtyp, (size_t)msgsz, msgflg);
	ipc_unlock_put(perm);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	n = MIN(msg->m_ts, (size_t)msgsz); /* truncated with MSG_NOERROR */
	long ret = (long)n;
	if (put_user(msg->m_type, (long __user *)msgp) ||
	    copy_to_user((char __user *)msgp + sizeof(long), msg->m_text, n))
		ret = -EFAULT; /* as Linux: the message is gone all the same */
	free_msg(msg);
	return ret;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, void __user *, msgp, size_t, msgsz, long, msgtyp, int, msgflg)
{
	return do_msgrcv(msqid, msgp, (long)msgsz, msgtyp, msgflg);
}

/* ---- msgctl ---- */

static long msgctl_info(int cmd, void __user *buf)
{
	struct msginfo mi = { .msgpool = MSGPOOL, .msgmap = MSGMAP, .msgmax = MSGMAX,
			      .msgmnb = MSGMNB, .msgmni = MSGMNI, .msgssz = MSGSSZ,
			      .msgtql = MSGTQL, .msgseg = MSGSEG };
	long ret;

	mutex_lock(&msg_ids.rwsem);
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)__atomic_load_n(&msg_hdrs, __ATOMIC_RELAXED);
		mi.msgtql = (int)__atomic_load_n(&msg_bytes, __ATOMIC_RELAXED);
	}
	ret = ipc_max_idx(&msg_ids);
	mutex_unlock(&msg_ids.rwsem);
	return copy_to_user(buf, &mi, sizeof(mi)) ? -EFAULT : ret;
}

static void fill_msqid64(struct kern_ipc_perm *perm, void *out)
{
	struct msg_queue *msq = msq_of(perm);
	struct msqid64_ds *ds = out;

	ds->msg_stime = msq->q_stime;
	ds->msg_rtime = msq->q_rtime;
	ds->msg_ctime = msq->q_ctime;
	ds->msg_cbytes = msq->q_cbytes;
	ds->msg_qnum = msq->q_qnum;
	ds->msg_qbytes = msq->q_qbytes;
	ds->msg_lspid = msq->q_lspid;
	ds->msg_lrpid = msq->q_lrpid;
}

/* IPC_SET and IPC_RMID. */
static long msgctl_down(int msqid, int cmd, void __user *buf)
{
	struct msqid64_ds ds;
	struct kern_ipc_perm *perm;
	struct msg_queue *msq;
	long err = 0;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	perm = ipcctl_obtain_check(&msg_ids, msqid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	msq = msq_of(perm);
	if (cmd == IPC_RMID) {
		ipc_rmid(&msg_ids, perm);
		ipc_putref(perm); /* the table's; ours keeps it until we unlock */
	} else if (ds.msg_qbytes > MSGMNB && !capable(CAP_SYS_RESOURCE)) {
		err = -EPERM; /* CAP_SYS_RESOURCE to go above the default */
	} else {
		ipc_update_perm(&ds.msg_perm, perm);
		msq->q_qbytes = ds.msg_qbytes;
		msq->q_ctime = ipc_get_seconds();
	}
	/* Sleepers look again: the queue went, or it may have more room. */
	wake_up_all(&msq->q_senders);
	wake_up_all(&msq->q_receivers);
	ipc_unlock_put(perm);
	mutex_unlock(&msg_ids.rwsem);
	return err;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, void __user *, buf)
{
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msgctl_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY: {
		struct msqid64_ds ds;
		return ipc_stat(&msg_ids, msqid, cmd, cmd == MSG_STAT_ANY, buf, &ds, sizeof(ds),
				fill_msqid64);
	}
	case IPC_SET:
	case IPC_RMID:
		return msgctl_down(msqid, cmd, buf);
	default:
		return -EINVAL;
	}
}

static void msg_proc_line(struct kern_ipc_perm *perm, struct pbuf *p)
{
	struct msg_queue *msq = msq_of(perm);

	pb_printf(p, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10ld %10ld %10ld\n",
		  perm->key, perm->id, perm->mode, msq->q_cbytes, msq->q_qnum, msq->q_lspid,
		  msq->q_lrpid, perm->uid, perm->gid, perm->cuid, perm->cgid, msq->q_stime,
		  msq->q_rtime, msq->q_ctime);
}

size_t sysvipc_msg_proc_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return ipc_proc_show(&msg_ids, buf, n,
			     "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
			     "      stime      rtime      ctime\n",
			     msg_proc_line);
}
