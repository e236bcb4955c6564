/* AF_UNIX connections and readiness (Linux: net/unix/af_unix.c): listen,
 * stream/seqpacket connect with the embryo socket that accept hands out,
 * socketpair, datagram connect, shutdown, names of either end and poll. */
#include "kernel/net/af_unix.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* ---- connections ------------------------------------------------------------- */

int unix_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = 0;

	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	if (!__atomic_load_n(&unix_sk(sk)->addr, __ATOMIC_ACQUIRE))
		return -EINVAL; /* no listening on an unbound socket */
	unix_state_lock(sk);
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN) {
		err = -EINVAL;
	} else {
		sk->sk_max_ack_backlog = backlog;
		sk->sk_state = TCP_LISTEN;
		cred_current(&sk->sk_peercred); /* what connecting clients will see */
	}
	unix_state_unlock(sk);
	sk_wake(sk); /* a bigger backlog lets waiting connectors in */
	return err;
}

static bool unix_backlog_ready(struct sock *other, void *arg)
{
	(void)arg;
	return skb_queue_len(&other->sk_receive_queue) <= (unsigned int)READ_ONCE(other->sk_max_ack_backlog) ||
	       sock_flag(other, SOCK_DEAD) || READ_ONCE(other->sk_state) != TCP_LISTEN;
}

/* A connection request: the embryo that accept will hand out. */
static struct sk_buff *unix_conn_request(struct sock *sk)
{
	struct sk_buff *skb = kzalloc(sizeof(*skb));
	struct sock *newsk = unix_create1(NULL, sk->sk_type);

	if (!skb || !newsk) {
		kfree(skb);
		if (newsk)
			sock_put(newsk);
		return NULL;
	}
	sock_hold(newsk); /* the request's reference; the embryo's own is its socket's */
	skb->sk = newsk;
	return skb;
}

/* Pair sk with the embryo of a request to listener other (both locked). */
static void unix_pair_embryo(struct socket *sock, struct sock *other, struct sock *newsk)
{
	struct sock *sk = sock->sk;
	struct unix_address *oa = unix_sk(other)->addr;

	newsk->sk_state = TCP_ESTABLISHED;
	cred_current(&newsk->sk_peercred);
	sock_hold(sk);
	unix_sk(newsk)->peer = sk;
	unix_addr_get(oa);
	unix_sk(newsk)->addr = oa;

	sk->sk_peercred = other->sk_peercred;
	sock->state = SS_CONNECTED;
	sk->sk_state = TCP_ESTABLISHED;
	sock_hold(newsk);
	unix_sk(sk)->peer = newsk;
}

int unix_stream_connect(struct socket *sock, struct sockaddr *addr, int len, int flags)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)addr;
	struct sock *sk = sock->sk, *other;
	struct sk_buff *skb;
	int err;

	len = unix_validate_addr(sun, len);
	if (len < 0)
		return len;
	if (sock_flag(sk, SOCK_PASSCRED) && !unix_sk(sk)->addr && (err = unix_autobind(sk)))
		return err;
	skb = unix_conn_request(sk);
	if (!skb)
		return -ENOMEM;
	for (;;) {
		other = unix_find_other(sun, len, sk->sk_type, &err);
		if (!other)
			goto out;
		unix_state_double_lock(sk, other);
		if (sock_flag(other, SOCK_DEAD)) {
			unix_state_double_unlock(sk, other);
			sock_put(other);
			continue;
		}
		err = -ECONNREFUSED;
		if (other->sk_state != TCP_LISTEN || (other->sk_shutdown & RCV_SHUTDOWN))
			goto out_unlock;
		err = sk->sk_state == TCP_ESTABLISHED ? -EISCONN : -EINVAL;
		if (sk->sk_state != TCP_CLOSE)
			goto out_unlock;
		if (unix_backlog_ready(other, NULL))
			break;
		unix_state_double_unlock(sk, other);
		err = -EAGAIN;
		if (!(flags & O_NONBLOCK))
			err = sk_wait_event(other, sock_deadline(sk->sk_sndtimeo), unix_backlog_ready,
					    NULL);
		sock_put(other);
		if (err)
			goto out;
	}
	unix_pair_embryo(sock, other, skb->sk);
	skb_queue_tail(&other->sk_receive_queue, skb);
	unix_state_double_unlock(sk, other);
	sk_wake(other);
	sock_put(other);
	return 0;
out_unlock:
	unix_state_double_unlock(sk, other);
	sock_put(other);
out:
	unix_release_sock(skb->sk, false);
	kfree_skb(skb);
	return err;
}

static bool unix_accept_ready(struct sock *sk, void *arg)
{
	(void)arg;
	return skb_queue_len(&sk->sk_receive_queue) || READ_ONCE(sk->sk_state) != TCP_LISTEN;
}

int unix_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk = sock->sk, *tsk;
	struct sk_buff *skb;
	u64 deadline = 0;
	int err;

	if (sock->type != SOCK_STREAM && sock->type != SOCK_SEQPACKET)
		return -EOPNOTSUPP;
	for (;;) {
		if (READ_ONCE(sk->sk_state) != TCP_LISTEN)
			return -EINVAL;
		skb = skb_dequeue(&sk->sk_receive_queue);
		if (skb)
			break;
		if (flags & O_NONBLOCK)
			return -EAGAIN;
		if (!deadline)
			deadline = sock_deadline(sk->sk_rcvtimeo);
		err = sk_wait_event(sk, deadline, unix_accept_ready, NULL);
		if (err)
			return err;
	}
	sk_wake(sk); /* a backlog slot came free */
	tsk = skb->sk;
	unix_state_lock(tsk);
	newsock->state = SS_CONNECTED;
	newsock->sk = tsk;
	tsk->sk_socket = newsock;
	unix_state_unlock(tsk);
	kfree_skb(skb); /* the request's reference; newsock keeps the embryo's own */
	return 0;
}

int unix_socketpair(struct socket *a, struct socket *b)
{
	struct sock *ska = a->sk, *skb = b->sk;

	unix_state_double_lock(ska, skb);
	sock_hold(ska);
	sock_hold(skb);
	unix_sk(ska)->peer = skb;
	unix_sk(skb)->peer = ska;
	cred_current(&ska->sk_peercred);
	skb->sk_peercred = ska->sk_peercred;
	ska->sk_state = skb->sk_state = TCP_ESTABLISHED;
	a->state = b->state = SS_CONNECTED;
	unix_state_double_unlock(ska, skb);
	return 0;
}

/* Datagram connect sets the default destination (AF_UNSPEC clears it). */
int unix_dgram_connect(struct socket *sock, struct sockaddr *addr, int len, int flags)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)addr;
	struct sock *sk = sock->sk, *other = NULL, *old;
	int err;

	(void)flags;
	if (len < (int)sizeof(addr->sa_family))
		return -EINVAL;
	if (addr->sa_family != AF_UNSPEC) {
		len = unix_validate_addr(sun, len);
		if (len < 0)
			return len;
		if (sock_flag(sk, SOCK_PASSCRED) && !unix_sk(sk)->addr && (err = unix_autobind(sk)))
			return err;
		for (;;) {
			other = unix_find_other(sun, len, sk->sk_type, &err);
			if (!other)
				return err;
			unix_state_double_lock(sk, other);
			if (!sock_flag(other, SOCK_DEAD))
				break;
			unix_state_double_unlock(sk, other);
			sock_put(other);
		}
		if (!unix_may_send(sk, other)) {
			unix_state_double_unlock(sk, other);
			sock_put(other);
			return -EPERM;
		}
	} else {
		unix_state_lock(sk);
	}
	old = unix_peer(sk);
	unix_sk(sk)->peer = other; /* takes the lookup's reference */
	sk->sk_state = other ? TCP_ESTABLISHED : TCP_CLOSE;
	sock->state = other ? SS_CONNECTED : SS_UNCONNECTED;
	if (other)
		unix_state_double_unlock(sk, other);
	else
		unix_state_unlock(sk);
	if (old) {
		unix_peer_wake_disconnect(sk);
		sock_put(old);
	}
	return 0;
}

int unix_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk, *other;
	int mode;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	mode = (how + 1) & SHUTDOWN_MASK; /* SHUT_RD -> RCV_SHUTDOWN... */
	unix_state_lock(sk);
	sk->sk_shutdown |= (u8)mode;
	other = unix_peer(sk);
	if (other)
		sock_hold(other);
	unix_state_unlock(sk);
	sk_wake(sk);
	if (other && (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET)) {
		int peer_mode = ((mode & RCV_SHUTDOWN) ? SEND_SHUTDOWN : 0) |
				((mode & SEND_SHUTDOWN) ? RCV_SHUTDOWN : 0);
		unix_state_lock(other);
		other->sk_shutdown |= (u8)peer_mode;
		unix_state_unlock(other);
		sk_wake(other);
	}
	if (other)
		sock_put(other);
	return 0;
}

int unix_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	struct sock *me = sock->sk, *sk;
	struct unix_address *a;
	int len;

	if (!peer)
		return unix_copy_addr(addr, __atomic_load_n(&unix_sk(me)->addr, __ATOMIC_ACQUIRE));
	unix_state_lock(me);
	sk = unix_peer(me);
	if (sk)
		sock_hold(sk);
	unix_state_unlock(me);
	if (!sk)
		return -ENOTCONN;
	a = __atomic_load_n(&unix_sk(sk)->addr, __ATOMIC_ACQUIRE);
	len = unix_copy_addr(addr, a);
	sock_put(sk);
	return len;
}

/* ---- poll ----------------------------------------------------------------------- */

bool unix_writable(const struct sock *sk)
{
	return READ_ONCE(sk->sk_state) != TCP_LISTEN &&
	       (__atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_ACQUIRE) << 2) <= READ_ONCE(sk->sk_sndbuf);
}

static __poll_t unix_poll_common(struct file *f, struct sock *sk, poll_table *pt)
{
	u8 shutdown = READ_ONCE(sk->sk_shutdown);
	__poll_t mask = 0;

	poll_wait(f, &sk->sk_wq, pt);
	if (READ_ONCE(sk->sk_err))
		mask |= POLLERR;
	if (shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (skb_queue_len(&sk->sk_receive_queue))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

__poll_t unix_poll(struct file *f, struct socket *sock, poll_table *pt)
{
	struct sock *sk = sock->sk;
	__poll_t mask = unix_poll_common(f, sk, pt);

	if (READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= POLLHUP; /* never connected, or the connection is gone */
	if (unix_writable(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

/* Room in a peer's datagram queue is announced on the peer's wait queue,
 * which a poller of ours may not wait on (the peer can go while the poll
 * sleeps). As Linux relays it (unix_dgram_peer_wake_relay), the peer
 * keeps a list of the sockets waiting for room and wakes their own wait
 * queues; one lock for all those lists, taken only when a queue is full. */
static DEFINE_SPINLOCK(unix_peer_wake_lock);

void unix_peer_wake_disconnect(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	struct sock *target;

	spin_lock(&unix_peer_wake_lock);
	target = u->peer_wake_target;
	if (target) {
		list_del_init(&u->peer_wake_link);
		u->peer_wake_target = NULL;
	}
	spin_unlock(&unix_peer_wake_lock);
	if (target)
		sock_put(target);
}

void unix_peer_wake_all(struct sock *other)
{
	struct unix_sock *o = unix_sk(other);
	int n = 0;

	spin_lock(&unix_peer_wake_lock);
	while (!list_empty(&o->peer_wait_list)) {
		struct unix_sock *u = list_first_entry(&o->peer_wait_list, struct unix_sock,
						       peer_wake_link);
		list_del_init(&u->peer_wake_link);
		u->peer_wake_target = NULL;
		sk_wake(&u->sk);
		n++;
	}
	spin_unlock(&unix_peer_wake_lock);
	while (n--)
		sock_put(other); /* the caller holds its own reference */
}

/* True if sk must wait for room in other's queue; it is then on other's
 * list (checked again after joining, so a dequeue in between is seen). */
static bool unix_peer_wake_me(struct sock *sk, struct sock *other)
{
	struct unix_sock *u = unix_sk(sk);

	spin_lock(&unix_peer_wake_lock);
	if (!u->peer_wake_target) {
		sock_hold(other);
		u->peer_wake_target = other;
		list_add_tail(&u->peer_wake_link, &unix_sk(other)->peer_wait_list);
	}
	spin_unlock(&unix_peer_wake_lock);
	if (unix_recvq_full(other))
		return true;
	unix_peer_wake_disconnect(sk);
	return false;
}

__poll_t unix_dgram_poll(struct file *f, struct socket *sock, poll_table *pt)
{
	struct sock *sk = sock->sk, *other;
	__poll_t mask = unix_poll_common(f, sk, pt);
	bool writable = unix_writable(sk);

	if (sk->sk_type == SOCK_SEQPACKET && READ_ONCE(sk->sk_state) == TCP_CLOSE)
		mask |= POLLHUP;
	other = writable ? unix_peer_get(sk) : NULL;
	if (other) {
		/* (unix_peer(other) read unlocked, as Linux: a hint for poll) */
		if (READ_ONCE(unix_sk(other)->peer) != sk && unix_recvq_full(other) &&
		    unix_peer_wake_me(sk, other))
			writable = false;
		sock_put(other);
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}
