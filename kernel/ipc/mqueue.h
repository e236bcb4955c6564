/* POSIX message queues (Linux: ipc/mqueue.c), shared between the mqueue
 * file system (kernel/ipc/mqueue.c: inodes, mq_open, mq_unlink) and the
 * message side (kernel/ipc/mqueue_msg.c: send, receive, notify). */
#ifndef KERNEL_IPC_MQUEUE_H
#define KERNEL_IPC_MQUEUE_H
#include "kernel/fs/fs.h"
#include "proc/wait.h"

#define MQ_PRIO_MAX 32768
/* Linux's /proc/sys/fs/mqueue defaults and its hard ceilings (for
 * CAP_SYS_RESOURCE) of ipc/mqueue.c and include/linux/ipc_namespace.h. */
#define DFLT_QUEUESMAX 256
#define DFLT_MSG 10
#define DFLT_MSGMAX 10
#define DFLT_MSGSIZE 8192
#define DFLT_MSGSIZEMAX 8192
#define HARD_MSGMAX 65536
#define HARD_MSGSIZEMAX (16 * 1024 * 1024)
#define SI_MESGQ (-3)
/* What Linux charges a queue against RLIMIT_MSGQUEUE per message besides
 * its text: sizeof(struct msg_msg) and of a priority tree node (64-bit). */
#define MQ_MSG_OVERHEAD 48
#define MQ_NODE_OVERHEAD 48

/* struct mq_attr as user space sees it (64 bytes). */
struct mq_attr {
	long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
	long __reserved[4];
};

struct mq_msg {
	struct list_head m_list;  /* in mqueue_inode_info->messages */
	unsigned int m_prio;
	size_t m_ts;              /* text size */
	char m_text[];
};

/* A sender or receiver asleep on a queue (Linux's ext_wait_queue): a
 * sender hands its message over (or a receiver gets one) under the queue's
 * lock and marks the waiter ready, so no wake-up is lost or stolen. */
struct ext_wait_queue {
	struct task_struct *task;
	struct list_head list;
	struct mq_msg *msg;
	bool ready;
};

enum { SEND, RECV };

/* One queue: the i_private of its inode. */
struct mqueue_inode_info {
	spinlock_t lock;                 /* protects everything below */
	struct mq_attr attr;             /* mq_maxmsg, mq_msgsize, mq_curmsgs */
	struct list_head messages;       /* highest priority first, FIFO within one */
	struct list_head e_wait_q[2];    /* sleeping senders / receivers (ext_wait_queue) */
	wait_queue_head_t wait_q;        /* poll, select and epoll */
	u64 qsize;                       /* bytes of message text queued */
	/* mq_notify: the registered process (its group leader, referenced),
	 * or NULL; what to do for it. */
	struct task_struct *notify_owner;
	int notify_sigev_notify, notify_signo;
	u64 notify_value;
	/* RLIMIT_MSGQUEUE: whom the queue is charged to, and how much. */
	u32 user;
	u64 mq_bytes;
};

extern const struct file_operations mqueue_file_operations;
static inline struct mqueue_inode_info *MQUEUE_I(struct inode *inode)
{
	return inode->i_private;
}
/* Unregister the notification (info->lock held); the owner reference is
 * left in *put for the caller to drop after unlocking. */
void remove_notification(struct mqueue_inode_info *info, struct task_struct **put);
/* /dev/mqueue/NAME's text (Linux's mqueue_read_file). */
ssize_t mqueue_read_file(struct file *f, struct iov_iter *to, u64 *pos);
__poll_t mqueue_poll_file(struct file *f, struct poll_table_struct *pt);
void free_mq_msg(struct mq_msg *m);

#endif
