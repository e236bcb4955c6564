/* struct sock, the protocol side of a socket, and the buffers messages
 * travel in (Linux: include/net/sock.h, include/linux/skbuff.h). A writer
 * charges each sk_buff it queues to its own sk_wmem_alloc; the reader's
 * free uncharges it and wakes the writer, so sk_sndbuf bounds what one
 * socket can have in flight. */
#ifndef KERNEL_NET_SOCK_H
#define KERNEL_NET_SOCK_H
#include "kernel/net/net.h"
#include "proc/wait.h"

/* sk_state: Linux reuses the TCP state names for every protocol. */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* sk_flags bits */
#define SOCK_DEAD 0         /* released: nothing may be queued to it */
#define SOCK_PASSCRED 1     /* SO_PASSCRED */
#define SOCK_REUSEADDR 2
#define SOCK_KEEPALIVE 3
#define SOCK_BROADCAST 4

/* Buffer limits (net.core.wmem_default/max, SOCK_MIN_SNDBUF...). */
#define SK_WMEM_DEFAULT 212992
#define SK_WMEM_MAX 212992
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304

struct scm_fp_list;

/* Credentials of a sender or a peer (Linux: struct ucred). */
struct ucred {
	s32 pid;
	u32 uid, gid;
};

/* One message, or one piece of a stream (Linux: struct sk_buff with
 * struct unix_skb_parms). Data follows the header. */
struct sk_buff {
	struct list_head list;  /* in a sk_buff_head */
	struct sock *sk;        /* owner charged for it (referenced), or for a
				 * connection request the embryo socket */
	unsigned int len;       /* bytes of data */
	unsigned int consumed;  /* stream: bytes already read */
	unsigned int truesize;  /* what it costs sk->sk_wmem_alloc */
	struct unix_address *addr; /* sender's name (referenced), or NULL */
	struct ucred creds;     /* sender's, for SCM_CREDENTIALS */
	struct scm_fp_list *fp; /* files in flight (SCM_RIGHTS) */
	char data[];
};

/* A queue of sk_buffs (Linux: struct sk_buff_head). */
struct sk_buff_head {
	spinlock_t lock;        /* protects head, qlen */
	struct list_head head;
	unsigned int qlen;
};

struct sock {
	u16 sk_family, sk_type;
	int sk_protocol;
	u8 sk_state;            /* TCP_*; the family's state lock protects it */
	u8 sk_shutdown;         /* RCV_SHUTDOWN | SEND_SHUTDOWN (family's lock) */
	int sk_err;             /* pending error, reported once (atomic xchg) */
	int sk_sndbuf, sk_rcvbuf;
	int sk_wmem_alloc;      /* bytes of our sk_buffs not yet freed (atomic) */
	unsigned long sk_flags; /* SOCK_* bits (atomic) */
	int sk_refcnt;          /* references (atomic) */
	int sk_max_ack_backlog; /* listen backlog */
	int sk_rcvlowat;        /* stream reads wait for this many bytes */
	u64 sk_rcvtimeo, sk_sndtimeo; /* ns; 0 waits forever */
	struct sk_buff_head sk_receive_queue;
	wait_queue_head_t sk_wq; /* readers, writers, acceptors, connectors,
				  * pollers: any change of its readiness */
	struct socket *sk_socket; /* NULL once orphaned or for an embryo */
	struct ucred sk_peercred; /* SO_PEERCRED: the peer's at connect time */
	void (*sk_destruct)(struct sock *sk); /* the family's part of the free */
};

static inline bool sock_flag(const struct sock *sk, int bit)
{
	return __atomic_load_n(&sk->sk_flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}
static inline void sock_set_flag(struct sock *sk, int bit, bool on)
{
	if (on)
		__atomic_fetch_or(&sk->sk_flags, 1UL << bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&sk->sk_flags, ~(1UL << bit), __ATOMIC_RELEASE);
}
static inline void sock_hold(struct sock *sk)
{
	__atomic_add_fetch(&sk->sk_refcnt, 1, __ATOMIC_RELAXED);
}
void sock_put(struct sock *sk);
/* Initialize the generic part of a new sock (refcnt 1). */
void sock_init_data(struct socket *sock, struct sock *sk);
/* Wake everyone waiting on or polling the sock. */
void sk_wake(struct sock *sk);
/* The pending error, cleared (SO_ERROR, reads). */
int sock_error(struct sock *sk);
/* The current task's credentials (pid = tgid). */
void cred_current(struct ucred *uc);

/* Sleep on sk->sk_wq until cond(sk, arg) (re-checked after each wake-up),
 * the deadline (ktime ns, 0: none) passes (-EAGAIN), or a
 * signal comes (-ERESTARTSYS, -EINTR with a timeout). */
int sk_wait_event(struct sock *sk, u64 deadline, bool (*cond)(struct sock *sk, void *arg),
		  void *arg);
/* Deadline for a wait of timeout ns from now (0: forever). */
u64 sock_deadline(u64 timeout);

/* ---- sk_buff queues ------------------------------------------------------ */
void skb_queue_head_init(struct sk_buff_head *q);
void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb);
struct sk_buff *skb_dequeue(struct sk_buff_head *q);
struct sk_buff *skb_peek(struct sk_buff_head *q);   /* the head, left queued */
void skb_unlink(struct sk_buff *skb, struct sk_buff_head *q);
static inline unsigned int skb_queue_len(const struct sk_buff_head *q)
{
	return READ_ONCE(q->qlen);
}
/* Take every buffer out (the caller frees them, outside all locks). */
void skb_queue_splice_init(struct sk_buff_head *q, struct list_head *out);

/* A buffer for len bytes charged to sk, waiting (sk_sndtimeo, nonblock:
 * -EAGAIN) while sk has sk_sndbuf bytes in flight; -EPIPE if sk is shut
 * down for sending meanwhile. */
struct sk_buff *sock_alloc_send_skb(struct sock *sk, size_t len, bool nonblock, int *err);
/* Free: uncharge and wake the owner, drop the name, close files in flight. */
void kfree_skb(struct sk_buff *skb);
void skb_list_free(struct list_head *list);

/* SOL_SOCKET options shared by every family (kernel/net/sock.c). */
int sock_setsockopt(struct socket *sock, int optname, const void __user *optval,
		    unsigned int optlen);
int sock_getsockopt(struct socket *sock, int optname, void __user *optval,
		    int __user *optlen);

#endif
