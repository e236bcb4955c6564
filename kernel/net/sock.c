/* The protocol-independent half of a socket (Linux: net/core/sock.c,
 * net/core/skbuff.c, net/core/datagram.c): reference counts, the send
 * budget and its waits, sk_buff queues, SOL_SOCKET options, and the
 * message vectors sendmsg/recvmsg copy through. */
#include "kernel/net/af_unix.h"
#include "kernel/net/scm.h"
#include "proc/cred.h"
#include "kernel/string.h"
#include "kernel/printk.h"
#include "kernel/timekeeping.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"

/* ---- message vectors ----------------------------------------------------- */

static size_t msg_copy(void *kbuf, size_t n, struct msg_iter *it, bool to_iter)
{
	size_t done = 0;

	while (done < n && it->count) {
		struct iovec *v = &it->iov[it->idx];
		size_t want = MIN(n - done, v->iov_len - it->off), got;
		struct iov_iter seg = { .ptr = (char *)v->iov_base + it->off, .count = want, .kernel = it->kernel };

		if (!want) {
			it->idx++;
			it->off = 0;
			continue;
		}
		got = to_iter ? copy_to_iter((const char *)kbuf + done, want, &seg)
			      : copy_from_iter((char *)kbuf + done, want, &seg);
		done += got;
		it->off += got;
		it->count -= got;
		if (got < want)
			break;
	}
	return done;
}

size_t msg_copy_from_iter(void *dst, size_t n, struct msg_iter *it)
{
	return msg_copy(dst, n, it, false);
}

size_t msg_copy_to_iter(const void *src, size_t n, struct msg_iter *it)
{
	return msg_copy((void *)src, n, it, true);
}

/* ---- struct sock ---------------------------------------------------------- */

void sock_init_data(struct socket *sock, struct sock *sk)
{
	skb_queue_head_init(&sk->sk_receive_queue);
	init_waitqueue_head(&sk->sk_wq);
	sk->sk_refcnt = 1;
	sk->sk_state = TCP_CLOSE;
	sk->sk_sndbuf = SK_WMEM_DEFAULT;
	sk->sk_rcvbuf = SK_WMEM_DEFAULT;
	sk->sk_rcvlowat = 1;
	sk->sk_peercred = (struct ucred){ 0, (u32)-1, (u32)-1 };
	sk->sk_socket = sock;
	if (sock) {
		sk->sk_type = (u16)sock->type;
		sock->sk = sk;
	}
}

void sock_put(struct sock *sk)
{
	if (__atomic_sub_fetch(&sk->sk_refcnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (sk->sk_destruct)
		sk->sk_destruct(sk);
}

void sk_wake(struct sock *sk)
{
	wake_up_all(&sk->sk_wq);
}

int sock_error(struct sock *sk)
{
	if (!READ_ONCE(sk->sk_err))
		return 0;
	return -__atomic_exchange_n(&sk->sk_err, 0, __ATOMIC_ACQ_REL);
}

/* SO_PEERCRED / SCM_CREDENTIALS: the effective ids, as Linux's
 * cred_to_ucred reports them. */
void cred_current(struct ucred *uc)
{
	uc->pid = current->tgid;
	uc->uid = current_euid();
	uc->gid = current_cred()->egid;
}

/* ---- waiting ------------------------------------------------------------- */

u64 sock_deadline(u64 timeout)
{
	return timeout ? ktime_get_ns() + timeout : 0;
}

static void sk_timer_fn(struct timer *t)
{
	wake_up_process(t->data);
}

int sk_wait_event(struct sock *sk, u64 deadline, bool (*cond)(struct sock *sk, void *arg),
		  void *arg)
{
	struct wait_queue_entry w = { .task = current };
	struct timer t;
	int ret = 0;

	if (deadline) {
		timer_init(&t, sk_timer_fn, current);
		timer_add(&t, deadline);
	}
	for (;;) {
		prepare_to_wait(&sk->sk_wq, &w, TASK_INTERRUPTIBLE);
		if (cond(sk, arg))
			break;
		if (signal_pending(current)) {
			ret = deadline ? -EINTR : -ERESTARTSYS;
			break;
		}
		if (deadline && ktime_get_ns() >= deadline) {
			ret = -EAGAIN;
			break;
		}
		schedule();
	}
	finish_wait(&sk->sk_wq, &w);
	if (deadline)
		timer_del(&t);
	return ret;
}

/* ---- sk_buff queues -------------------------------------------------------- */

void skb_queue_head_init(struct sk_buff_head *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->head);
	q->qlen = 0;
}

void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb)
{
	spin_lock(&q->lock);
	list_add_tail(&skb->list, &q->head);
	WRITE_ONCE(q->qlen, q->qlen + 1);
	spin_unlock(&q->lock);
}

struct sk_buff *skb_peek(struct sk_buff_head *q)
{
	struct sk_buff *skb = NULL;

	spin_lock(&q->lock);
	if (!list_empty(&q->head))
		skb = list_first_entry(&q->head, struct sk_buff, list);
	spin_unlock(&q->lock);
	return skb;
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *q)
{
	spin_lock(&q->lock);
	list_del(&skb->list);
	WRITE_ONCE(q->qlen, q->qlen - 1);
	spin_unlock(&q->lock);
}

struct sk_buff *skb_dequeue(struct sk_buff_head *q)
{
	struct sk_buff *skb = NULL;

	spin_lock(&q->lock);
	if (!list_empty(&q->head)) {
		skb = list_first_entry(&q->head, struct sk_buff, list);
		list_del(&skb->list);
		WRITE_ONCE(q->qlen, q->qlen - 1);
	}
	spin_unlock(&q->lock);
	return skb;
}

void skb_queue_splice_init(struct sk_buff_head *q, struct list_head *out)
{
	INIT_LIST_HEAD(out);
	spin_lock(&q->lock);
	if (!list_empty(&q->head)) {
		out->next = q->head.next;
		out->prev = q->head.prev;
		out->next->prev = out;
		out->prev->next = out;
		INIT_LIST_HEAD(&q->head);
	}
	WRITE_ONCE(q->qlen, 0);
	spin_unlock(&q->lock);
}

void skb_list_free(struct list_head *list)
{
	while (!list_empty(list)) {
		struct sk_buff *skb = list_first_entry(list, struct sk_buff, list);
		list_del(&skb->list);
		kfree_skb(skb);
	}
}

/* Room in the budget, or a reason to stop waiting for it. */
static bool sk_wmem_ready(struct sock *sk, void *arg)
{
	(void)arg;
	return __atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_ACQUIRE) < READ_ONCE(sk->sk_sndbuf) ||
	       (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) || READ_ONCE(sk->sk_err);
}

struct sk_buff *sock_alloc_send_skb(struct sock *sk, size_t len, bool nonblock, int *err)
{
	u64 deadline = 0;
	bool waited = false;
	struct sk_buff *skb;

	for (;;) {
		*err = sock_error(sk);
		if (*err)
			return NULL;
		if (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) {
			*err = -EPIPE;
			return NULL;
		}
		if (__atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_ACQUIRE) < READ_ONCE(sk->sk_sndbuf))
			break;
		if (nonblock) {
			*err = -EAGAIN;
			return NULL;
		}
		if (!waited)
			deadline = sock_deadline(sk->sk_sndtimeo);
		waited = true;
		*err = sk_wait_event(sk, deadline, sk_wmem_ready, NULL);
		if (*err)
			return NULL;
	}
	skb = kmalloc(sizeof(*skb) + len);
	if (!skb) {
		*err = -ENOBUFS;
		return NULL;
	}
	memset(skb, 0, sizeof(*skb));
	skb->len = (unsigned int)len;
	skb->truesize = (unsigned int)(len + sizeof(*skb));
	__atomic_add_fetch(&sk->sk_wmem_alloc, (int)skb->truesize, __ATOMIC_ACQ_REL);
	sock_hold(sk);
	skb->sk = sk;
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct scm_fp_list *fpl = unix_skb_take_fp(skb);

	if (fpl)
		scm_fp_free(fpl);
	if (skb->addr)
		unix_addr_put(skb->addr);
	if (sk) {
		if (skb->truesize) {
			__atomic_sub_fetch(&sk->sk_wmem_alloc, (int)skb->truesize, __ATOMIC_ACQ_REL);
			sk_wake(sk); /* its writers may go on */
		}
		sock_put(sk);
	}
	kfree(skb);
}

/* ---- SOL_SOCKET options --------------------------------------------------- */

struct timeval_k {
	s64 tv_sec, tv_usec;
};

static int sock_set_timeout(u64 *timeo, const void __user *optval, unsigned int optlen)
{
	struct timeval_k tv;

	if (optlen < (unsigned int)sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, optval, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		*timeo = 1; /* already past: waits end at once */
	else
		*timeo = (u64)tv.tv_sec * 1000000000ULL + (u64)tv.tv_usec * 1000;
	return 0;
}

/* SO_SNDBUF/SO_RCVBUF: Linux doubles the value for bookkeeping overhead
 * and clamps it to [minimum, twice the sysctl maximum]. */
static int sock_buf_size(int val, bool force, int min)
{
	u32 v = (u32)val;

	if (!force && v > SK_WMEM_MAX)
		v = SK_WMEM_MAX;
	if (v > 0x3fffffff)
		v = 0x3fffffff;
	return (int)v * 2 < min ? min : (int)v * 2;
}

/* The sk_flags bit of an on/off option, or -1. */
static int sock_bool_flag(int optname)
{
	switch (optname) {
	case SO_REUSEADDR: return SOCK_REUSEADDR;
	case SO_KEEPALIVE: return SOCK_KEEPALIVE;
	case SO_BROADCAST: return SOCK_BROADCAST;
	case SO_PASSCRED: return SOCK_PASSCRED;
	}
	return -1;
}

int sock_setsockopt(struct socket *sock, int optname, const void __user *optval,
		    unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val;

	if (optname == SO_RCVTIMEO)
		return sock_set_timeout(&sk->sk_rcvtimeo, optval, optlen);
	if (optname == SO_SNDTIMEO)
		return sock_set_timeout(&sk->sk_sndtimeo, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (get_user(val, (const int __user *)optval))
		return -EFAULT;
	if (sock_bool_flag(optname) >= 0) {
		sock_set_flag(sk, sock_bool_flag(optname), val);
		return 0;
	}
	switch (optname) {
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		WRITE_ONCE(sk->sk_sndbuf, sock_buf_size(val, optname == SO_SNDBUFFORCE,
							 SOCK_MIN_SNDBUF));
		sk_wake(sk); /* a bigger budget lets blocked writers go on */
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		WRITE_ONCE(sk->sk_rcvbuf, sock_buf_size(val, optname == SO_RCVBUFFORCE,
							 SOCK_MIN_RCVBUF));
		return 0;
	case SO_RCVLOWAT:
		WRITE_ONCE(sk->sk_rcvlowat, val < 1 ? 1 : val);
		return 0;
	}
	return -ENOPROTOOPT;
}

int sock_getsockopt(struct socket *sock, int optname, void __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	union {
		int val;
		struct ucred cred;
		struct timeval_k tv;
	} v;
	int len, lv = sizeof(int);
	u64 t;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	switch (optname) {
	case SO_TYPE: v.val = sk->sk_type; break;
	case SO_PROTOCOL: v.val = sk->sk_protocol; break;
	case SO_DOMAIN: v.val = sk->sk_family; break;
	case SO_ERROR: v.val = -sock_error(sk); break;
	case SO_SNDBUF: v.val = READ_ONCE(sk->sk_sndbuf); break;
	case SO_RCVBUF: v.val = READ_ONCE(sk->sk_rcvbuf); break;
	case SO_ACCEPTCONN: v.val = READ_ONCE(sk->sk_state) == TCP_LISTEN; break;
	case SO_RCVLOWAT: v.val = READ_ONCE(sk->sk_rcvlowat); break;
	case SO_SNDLOWAT: v.val = 1; break;
	case SO_PEERCRED:
		v.cred = sk->sk_peercred;
		lv = sizeof(v.cred);
		break;
	case SO_RCVTIMEO:
	case SO_SNDTIMEO:
		t = optname == SO_RCVTIMEO ? sk->sk_rcvtimeo : sk->sk_sndtimeo;
		v.tv.tv_sec = (s64)(t / 1000000000ULL);
		v.tv.tv_usec = (s64)(t % 1000000000ULL / 1000);
		lv = sizeof(v.tv);
		break;
	default:
		if (sock_bool_flag(optname) < 0)
			return -ENOPROTOOPT;
		v.val = sock_flag(sk, sock_bool_flag(optname));
	}
	if (len > lv)
		len = lv;
	if (copy_to_user(optval, &v, (unsigned long)len))
		return -EFAULT;
	return put_user(len, optlen);
}
