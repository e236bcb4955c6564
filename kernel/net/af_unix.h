/* AF_UNIX sockets (Linux: include/net/af_unix.h): a unix_sock is a
 * struct sock plus its name, its peer and the lock that orders queueing
 * to it against its release. Names live in one hash table, abstract
 * ones by their bytes, filesystem ones by the S_IFSOCK inode bind made. */
#ifndef KERNEL_NET_AF_UNIX_H
#define KERNEL_NET_AF_UNIX_H
#include "kernel/net/sock.h"
#include "kernel/fs/mount.h"

#define UNIX_PATH_MAX 108
struct sockaddr_un {
	u16 sun_family;             /* AF_UNIX */
	char sun_path[UNIX_PATH_MAX];
};
/* Datagrams queued to a socket from senders it is not connected to
 * (net.unix.max_dgram_qlen); listen's backlog replaces it. */
#define UNIX_MAX_DGRAM_QLEN 10
#define UNIX_ADDR_OFF 2             /* offsetof(struct sockaddr_un, sun_path) */

/* A bound name, shared by the socket, its accepted children and the
 * messages it sent; never changes once made. */
struct unix_address {
	int refcnt;                 /* atomic */
	int len;                    /* bytes of name that count */
	u32 hash;                   /* table bucket */
	struct sockaddr_un name;
};

struct unix_sock {
	struct sock sk;
	struct unix_address *addr;  /* NULL until bound (set under bindlock) */
	struct path path;           /* filesystem name's (mnt, dentry), referenced */
	struct mutex iolock;        /* one reader at a time: stream pieces and
				     * peeks stay in order */
	struct mutex bindlock;      /* bind and autobind */
	spinlock_t lock;            /* unix_state_lock: sk_state, sk_shutdown,
				     * peer, and queueing to this socket against
				     * its release (SOCK_DEAD) */
	struct sock *peer;          /* referenced */
	struct list_head link;      /* in its name's hash bucket */
	bool bound;                 /* in the table */
	/* Datagram senders polling for room in our queue (peer_wait_list) and
	 * the socket we wait on (peer_wake_target, referenced), under
	 * unix_peer_wake_lock: */
	struct list_head peer_wait_list;
	struct list_head peer_wake_link;
	struct sock *peer_wake_target;
	/* garbage.c's, under unix_gc_lock: */
	long inflight;              /* messages in flight carrying our file */
	struct list_head gc_link;   /* in gc_inflight_list while inflight */
	long gc_refs;               /* a collection's count of outside references */
	bool gc_candidate, gc_reachable;
};

static inline struct unix_sock *unix_sk(const struct sock *sk)
{
	return container_of(sk, struct unix_sock, sk);
}
#define unix_peer(sk) (unix_sk(sk)->peer)
static inline void unix_state_lock(struct sock *sk) { spin_lock(&unix_sk(sk)->lock); }
static inline void unix_state_unlock(struct sock *sk) { spin_unlock(&unix_sk(sk)->lock); }
/* sk's peer, referenced, or NULL. */
static inline struct sock *unix_peer_get(struct sock *sk)
{
	struct sock *peer;

	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	unix_state_unlock(sk);
	return peer;
}
/* A datagram socket may send to other unless other is connected to
 * someone else (other locked). */
static inline bool unix_may_send(struct sock *sk, struct sock *other)
{
	return !unix_peer(other) || unix_peer(other) == sk;
}
/* More datagrams queued to sk than a stranger may add to. */
static inline bool unix_recvq_full(const struct sock *sk)
{
	return skb_queue_len(&sk->sk_receive_queue) > (unsigned int)READ_ONCE(sk->sk_max_ack_backlog);
}
/* Both, in address order (connect, socketpair). */
void unix_state_double_lock(struct sock *a, struct sock *b);
void unix_state_double_unlock(struct sock *a, struct sock *b);

static inline void unix_addr_get(struct unix_address *a)
{
	__atomic_add_fetch(&a->refcnt, 1, __ATOMIC_RELAXED);
}
void unix_addr_put(struct unix_address *a);
/* Copy a's name to a sockaddr; the length (just the family if unnamed). */
int unix_copy_addr(struct sockaddr *to, const struct unix_address *a);

/* af_unix.c, for the message code */
/* Validate a user sockaddr_un; the length that counts (filesystem names
 * NUL-terminated in place), or -EINVAL. */
int unix_validate_addr(struct sockaddr_un *sun, int len);
/* The bound socket of that name and type, referenced: -ECONNREFUSED no
 * socket, -EPROTOTYPE wrong type, or the path walk's error. */
struct sock *unix_find_other(struct sockaddr_un *sun, int len, int type, int *err);
int unix_autobind(struct sock *sk);
bool unix_writable(const struct sock *sk);

/* A new unix_sock (sock NULL: an embryo for a connection request). */
struct sock *unix_create1(struct socket *sock, int type);
/* Its socket goes: unhash, hang up the peer, free what is queued. */
void unix_release_sock(struct sock *sk, bool embryo);

/* garbage.c: files in flight and the collection of unreachable cycles */
struct scm_fp_list;
void unix_skb_attach_fp(struct sk_buff *skb, struct scm_fp_list *fpl);
struct scm_fp_list *unix_skb_take_fp(struct sk_buff *skb); /* NULL if none */
void unix_gc(void);

/* af_unix_conn.c: connections, names, readiness */
int unix_listen(struct socket *sock, int backlog);
int unix_stream_connect(struct socket *sock, struct sockaddr *addr, int len, int flags);
int unix_accept(struct socket *sock, struct socket *newsock, int flags);
int unix_socketpair(struct socket *a, struct socket *b);
int unix_dgram_connect(struct socket *sock, struct sockaddr *addr, int len, int flags);
int unix_shutdown(struct socket *sock, int how);
int unix_getname(struct socket *sock, struct sockaddr *addr, int peer);
__poll_t unix_poll(struct file *f, struct socket *sock, poll_table *pt);
__poll_t unix_dgram_poll(struct file *f, struct socket *sock, poll_table *pt);
/* A poller of sk stops waiting for room in its peer's queue (release,
 * reconnect); a receiver wakes those waiting for room in its queue. */
void unix_peer_wake_disconnect(struct sock *sk);
void unix_peer_wake_all(struct sock *other);

/* af_unix_msg.c: data transfer */
int unix_stream_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_stream_recvmsg(struct socket *sock, struct msghdr *m, size_t len, int flags);
int unix_dgram_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_dgram_recvmsg(struct socket *sock, struct msghdr *m, size_t len, int flags);
int unix_seqpacket_sendmsg(struct socket *sock, struct msghdr *m, size_t len);
int unix_seqpacket_recvmsg(struct socket *sock, struct msghdr *m, size_t len, int flags);
long unix_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);

#endif
