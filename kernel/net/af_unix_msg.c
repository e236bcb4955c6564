/* Moving data between AF_UNIX sockets (Linux: the sendmsg/recvmsg half
 * of net/unix/af_unix.c). A sender builds an sk_buff charged to its own
 * budget and queues it on the receiver under the receiver's state lock
 * (so release cannot race it); readers hold the receiver's iolock. Stream
 * data may be split and read in any pieces; datagrams and seqpackets
 * keep their boundaries and are truncated (MSG_TRUNC) when too big. */
#include "kernel/net/af_unix.h"
#include "kernel/net/scm.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "proc/signal.h"

#define SKB_MAX_ALLOC (4 * PAGE_SIZE) /* largest piece of a stream write */
#define SIOCOUTQ 0x5411
#define SIOCINQ 0x541B

/* Fill a fresh skb from the message: its bytes, and the files and
 * credentials of the control messages (files only once per call). */
static int unix_fill_skb(struct sk_buff *skb, struct msghdr *m, struct scm_cookie *scm)
{
	if (msg_copy_from_iter(skb->data, skb->len, &m->msg_iter) < skb->len)
		return -EFAULT;
	unix_skb_attach_fp(skb, scm->fp);
	scm->fp = NULL;
	skb->creds = scm->creds;
	return 0;
}

/* ---- stream -------------------------------------------------------------------- */

int unix_stream_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct sock *sk = sock->sk, *other = NULL;
	struct scm_cookie scm;
	struct sk_buff *skb;
	size_t sent = 0;
	int err = scm_send(sock, m, &scm);

	if (err)
		return err;
	err = -EOPNOTSUPP;
	if (m->msg_flags & MSG_OOB)
		goto out_err;
	if (m->msg_namelen) {
		err = READ_ONCE(sk->sk_state) == TCP_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
		goto out_err;
	}
	err = -ENOTCONN;
	other = unix_peer_get(sk);
	if (!other)
		goto out_err;
	if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)
		goto pipe_err;
	while (sent < len) {
		size_t size = MIN(len - sent, (size_t)(READ_ONCE(sk->sk_sndbuf) / 2 - 64));
		size = MIN(size, SKB_MAX_ALLOC);
		skb = sock_alloc_send_skb(sk, size, m->msg_flags & MSG_DONTWAIT, &err);
		if (!skb)
			goto out_err;
		err = unix_fill_skb(skb, m, &scm);
		if (err) {
			kfree_skb(skb);
			goto out_err;
		}
		unix_state_lock(other);
		if (sock_flag(other, SOCK_DEAD) || (other->sk_shutdown & RCV_SHUTDOWN)) {
			unix_state_unlock(other);
			kfree_skb(skb);
			goto pipe_err;
		}
		skb_queue_tail(&other->sk_receive_queue, skb);
		unix_state_unlock(other);
		sk_wake(other);
		sent += size;
	}
	scm_destroy(&scm);
	sock_put(other);
	return (int)sent;
pipe_err:
	if (!sent && !(m->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	err = -EPIPE;
out_err:
	scm_destroy(&scm);
	if (other)
		sock_put(other);
	return sent ? (int)sent : err;
}

static bool unix_data_ready(struct sock *sk, void *arg)
{
	(void)arg;
	return skb_queue_len(&sk->sk_receive_queue) || READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN);
}

/* The buffer after last in sk's queue (the head if last is NULL). */
static struct sk_buff *unix_next_skb(struct sock *sk, struct sk_buff *last)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb = NULL;
	struct list_head *next;

	spin_lock(&q->lock);
	next = last ? last->list.next : q->head.next;
	if (next != &q->head)
		skb = list_entry(next, struct sk_buff, list);
	spin_unlock(&q->lock);
	return skb;
}

/* The next buffer, or whether the end of file has come: both read under
 * the state lock, which writers queue under and release shuts down
 * under, so data queued before the shutdown is never lost to it. */
static struct sk_buff *unix_next_or_eof(struct sock *sk, struct sk_buff *last, bool *eof)
{
	struct sk_buff *skb;

	unix_state_lock(sk);
	skb = unix_next_skb(sk, last);
	*eof = !skb && (sk->sk_shutdown & RCV_SHUTDOWN);
	unix_state_unlock(sk);
	return skb;
}

/* Credentials of the pieces read together must agree when they are
 * reported (SO_PASSCRED), as Linux never merges two senders' bytes. */
static bool unix_creds_eq(const struct ucred *a, const struct ucred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

struct stream_read {
	struct msghdr *m;
	struct scm_cookie scm;
	bool have_creds;
	size_t copied;
};

/* Copy from one skb; true to go on to the next one. */
static bool unix_stream_read_skb(struct sock *sk, struct sk_buff *skb, struct stream_read *st,
				 size_t size, int flags, int *err)
{
	bool peek = flags & MSG_PEEK;
	size_t chunk = MIN((size_t)(skb->len - skb->consumed), size - st->copied);
	size_t got = msg_copy_to_iter(skb->data + skb->consumed, chunk, &st->m->msg_iter);

	if (!st->copied && st->m->msg_name) {
		struct unix_address *a = __atomic_load_n(&unix_sk(skb->sk)->addr, __ATOMIC_ACQUIRE);
		st->m->msg_namelen = a ? unix_copy_addr(st->m->msg_name, a) : 0;
	}
	st->copied += got;
	if (got < chunk && !st->copied)
		*err = -EFAULT;
	if (peek) {
		if (skb->fp && !st->scm.fp)
			st->scm.fp = scm_fp_dup(skb->fp);
		return got == chunk && !skb->fp;
	}
	skb->consumed += (unsigned int)got;
	if (skb->fp && !st->scm.fp)
		st->scm.fp = unix_skb_take_fp(skb); /* the files go with the first bytes read */
	if (skb->consumed == skb->len) {
		skb_unlink(skb, &sk->sk_receive_queue);
		kfree_skb(skb);
	}
	return got == chunk && !st->scm.fp;
}

int unix_stream_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);
	struct stream_read st = { .m = m };
	bool passcred = sock_flag(sk, SOCK_PASSCRED), waited = false, eof;
	size_t target = (flags & MSG_WAITALL) ? size
					      : MIN(size, (size_t)READ_ONCE(sk->sk_rcvlowat));
	struct sk_buff *skb, *last = NULL;
	u64 deadline = 0;
	int err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
		return -EINVAL;
	if (!target)
		target = 1;
	mutex_lock(&u->iolock);
	while (st.copied < size) {
		skb = unix_next_or_eof(sk, last, &eof);
		if (!skb) {
			/* a peek that waited could find its skbs consumed: stop */
			if (st.copied >= target || (last && st.copied))
				break;
			err = sock_error(sk);
			if (err || eof)
				break;
			err = -EAGAIN;
			if (flags & MSG_DONTWAIT)
				break;
			mutex_unlock(&u->iolock);
			if (!waited)
				deadline = sock_deadline(sk->sk_rcvtimeo);
			waited = true;
			err = sk_wait_event(sk, deadline, unix_data_ready, NULL);
			mutex_lock(&u->iolock);
			if (err)
				break;
			continue;
		}
		if (passcred) {
			if (st.have_creds && !unix_creds_eq(&st.scm.creds, &skb->creds))
				break;
			st.scm.creds = skb->creds;
			st.have_creds = true;
		}
		if (!unix_stream_read_skb(sk, skb, &st, size, flags, &err))
			break;
		if (flags & MSG_PEEK)
			last = skb;
	}
	mutex_unlock(&u->iolock);
	if (st.copied)
		scm_recv(sock, m, &st.scm, flags);
	else
		scm_destroy(&st.scm);
	return st.copied ? (int)st.copied : err;
}

/* ---- datagrams and seqpackets ----------------------------------------------------- */

/* Room in other's queue for one more datagram from a stranger. */
static bool unix_recvq_ready(struct sock *other, void *arg)
{
	(void)arg;
	return !unix_recvq_full(other) || sock_flag(other, SOCK_DEAD) || (READ_ONCE(other->sk_shutdown) & RCV_SHUTDOWN);
}

/* other died under us: a connected datagram socket is disconnected and
 * told -ECONNREFUSED; 0 to look the name up again. */
static int unix_dgram_dead_peer(struct sock *sk, struct sock *other)
{
	int err = 0;

	if (sk->sk_type == SOCK_SEQPACKET)
		return -EPIPE;
	unix_state_lock(sk);
	if (unix_peer(sk) == other) {
		unix_sk(sk)->peer = NULL;
		sk->sk_state = TCP_CLOSE;
		err = -ECONNREFUSED;
	}
	unix_state_unlock(sk);
	if (err) {
		unix_peer_wake_disconnect(sk);
		sock_put(other); /* the peer reference */
	}
	return err;
}

/* Queue skb to other (referenced; dropped here): 0, 1 to retry with a
 * fresh lookup, or -errno. */
static int unix_dgram_queue(struct sock *sk, struct sock *other, struct sk_buff *skb,
			    bool nonblock, u64 *deadline)
{
	int err;

	unix_state_lock(other);
	if (!unix_may_send(sk, other)) {
		unix_state_unlock(other);
		return -EPERM;
	}
	if (sock_flag(other, SOCK_DEAD)) {
		unix_state_unlock(other);
		err = unix_dgram_dead_peer(sk, other);
		return err ? err : 1;
	}
	if (other->sk_shutdown & RCV_SHUTDOWN) {
		unix_state_unlock(other);
		return -EPIPE;
	}
	if (other != sk && unix_peer(other) != sk && !unix_recvq_ready(other, NULL)) {
		unix_state_unlock(other);
		if (nonblock)
			return -EAGAIN;
		if (!*deadline)
			*deadline = sock_deadline(sk->sk_sndtimeo);
		err = sk_wait_event(other, *deadline, unix_recvq_ready, NULL);
		return err ? err : 2;
	}
	skb_queue_tail(&other->sk_receive_queue, skb);
	unix_state_unlock(other);
	sk_wake(other);
	return 0;
}

int unix_dgram_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct sock *sk = sock->sk, *other = NULL;
	struct sockaddr_un *sun = m->msg_name;
	struct unix_address *a;
	struct scm_cookie scm;
	struct sk_buff *skb = NULL;
	int namelen = 0, err = scm_send(sock, m, &scm);
	u64 deadline = 0;

	if (err)
		return err;
	err = -EOPNOTSUPP;
	if (m->msg_flags & MSG_OOB)
		goto out;
	if (m->msg_namelen) {
		namelen = err = unix_validate_addr(sun, m->msg_namelen);
		if (err < 0)
			goto out;
	} else {
		err = -ENOTCONN;
		other = unix_peer_get(sk);
		if (!other)
			goto out;
	}
	if (sock_flag(sk, SOCK_PASSCRED) && !unix_sk(sk)->addr && (err = unix_autobind(sk)))
		goto out;
	err = -EMSGSIZE;
	if (len > (size_t)READ_ONCE(sk->sk_sndbuf) - 32)
		goto out;
	skb = sock_alloc_send_skb(sk, len, m->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		goto out;
	err = unix_fill_skb(skb, m, &scm);
	if (err)
		goto out;
	a = __atomic_load_n(&unix_sk(sk)->addr, __ATOMIC_ACQUIRE);
	if (a) {
		unix_addr_get(a);
		skb->addr = a;
	}
	for (;;) {
		if (!other) {
			err = -ECONNREFUSED;
			if (!namelen)
				goto out;
			other = unix_find_other(sun, namelen, sk->sk_type, &err);
			if (!other)
				goto out;
		}
		err = unix_dgram_queue(sk, other, skb, m->msg_flags & MSG_DONTWAIT, &deadline);
		if (err == 0) {
			skb = NULL;
			err = (int)len;
			break;
		}
		if (err == 1) { /* it died: look again (by name only) */
			sock_put(other);
			other = NULL;
		} else if (err != 2) {
			break;
		}
	}
out:
	if (skb)
		kfree_skb(skb);
	if (other)
		sock_put(other);
	scm_destroy(&scm);
	return err;
}

int unix_dgram_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	struct unix_sock *u = unix_sk(sk);
	struct scm_cookie scm = { 0 };
	struct sk_buff *skb;
	bool waited = false, eof;
	u64 deadline = 0;
	unsigned int qlen;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&u->iolock);
	for (;;) {
		unix_state_lock(sk); /* as in unix_next_or_eof */
		qlen = skb_queue_len(&sk->sk_receive_queue);
		skb = (flags & MSG_PEEK) ? skb_peek(&sk->sk_receive_queue)
					 : skb_dequeue(&sk->sk_receive_queue);
		eof = !skb && (sk->sk_shutdown & RCV_SHUTDOWN);
		unix_state_unlock(sk);
		if (skb)
			break;
		err = sock_error(sk);
		if (err || eof)
			goto out_unlock; /* end of file: 0 */
		err = -EAGAIN;
		if (flags & MSG_DONTWAIT)
			goto out_unlock;
		mutex_unlock(&u->iolock);
		if (!waited)
			deadline = sock_deadline(sk->sk_rcvtimeo);
		waited = true;
		err = sk_wait_event(sk, deadline, unix_data_ready, NULL);
		if (err)
			return err;
		mutex_lock(&u->iolock);
	}
	if (!(flags & MSG_PEEK) && qlen > (unsigned int)READ_ONCE(sk->sk_max_ack_backlog)) {
		sk_wake(sk);            /* senders waiting for room in the queue */
		unix_peer_wake_all(sk); /* and pollers of such senders */
	}
	if (m->msg_name)
		m->msg_namelen = skb->addr ? unix_copy_addr(m->msg_name, skb->addr) : 0;
	size_t chunk = MIN(size, (size_t)skb->len);
	if (skb->len > size)
		m->msg_flags |= MSG_TRUNC;
	err = msg_copy_to_iter(skb->data, chunk, &m->msg_iter) < chunk ? -EFAULT
		: (flags & MSG_TRUNC) ? (int)skb->len : (int)chunk;
	scm.creds = skb->creds;
	if (flags & MSG_PEEK) {
		scm.fp = skb->fp ? scm_fp_dup(skb->fp) : NULL;
	} else {
		scm.fp = unix_skb_take_fp(skb);
		kfree_skb(skb);
	}
	if (err >= 0)
		scm_recv(sock, m, &scm, flags);
	else
		scm_destroy(&scm);
out_unlock:
	mutex_unlock(&u->iolock);
	return err;
}

int unix_seqpacket_sendmsg(struct socket *sock, struct msghdr *m, size_t len)
{
	struct sock *sk = sock->sk;
	int err = sock_error(sk);

	if (err)
		return err;
	if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
		return -ENOTCONN;
	m->msg_namelen = 0; /* the peer it is */
	return unix_dgram_sendmsg(sock, m, len);
}

int unix_seqpacket_recvmsg(struct socket *sock, struct msghdr *m, size_t size, int flags)
{
	if (READ_ONCE(sock->sk->sk_state) != TCP_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(sock, m, size, flags);
}

/* ---- ioctl --------------------------------------------------------------------------- */

/* Unread bytes: a stream's all, a datagram socket's next message. */
static int unix_inq_len(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct list_head *p;
	int n = 0;

	spin_lock(&q->lock);
	list_for_each(p, &q->head) {
		struct sk_buff *skb = list_entry(p, struct sk_buff, list);
		n += (int)(skb->len - skb->consumed);
		if (sk->sk_type != SOCK_STREAM)
			break;
	}
	spin_unlock(&q->lock);
	return n;
}

long unix_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	int n;

	switch (cmd) {
	case SIOCINQ:
		if (READ_ONCE(sk->sk_state) == TCP_LISTEN)
			return -EINVAL;
		n = unix_inq_len(sk);
		break;
	case SIOCOUTQ:
		n = __atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_ACQUIRE);
		break;
	default:
		return -ENOTTY;
	}
	return put_user(n, (int __user *)arg);
}
