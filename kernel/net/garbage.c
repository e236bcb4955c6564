/* Garbage collection of AF_UNIX sockets in flight (Linux:
 * net/unix/garbage.c). A socket whose file travels in an SCM_RIGHTS
 * message is "in flight"; if every reference to its file is such a
 * message and those messages sit in the queues of sockets that are
 * themselves only in flight (a socket sent over itself, two sent to each
 * other), nothing can ever receive them: this finds such cycles when a
 * unix socket is released and frees their messages, which closes them. */
#include "kernel/net/af_unix.h"
#include "kernel/net/scm.h"
#include "kernel/fs/file.h"

/* Protects every unix_sock's inflight and gc_* fields, gc_inflight_list,
 * and an skb's fp against a collection scanning it. Taken before queue locks. */
static DEFINE_SPINLOCK(unix_gc_lock);
static LIST_HEAD(gc_inflight_list); /* unix_socks with inflight > 0 */
static bool gc_running;

/* The unix_sock behind an open file, or NULL. */
static struct unix_sock *unix_get_socket(struct file *f)
{
	struct socket *sock = sock_from_file(f);
	struct sock *sk = sock ? READ_ONCE(sock->sk) : NULL;

	return sk && sk->sk_family == AF_UNIX ? unix_sk(sk) : NULL;
}

static void unix_inflight_locked(struct scm_fp_list *fpl, int delta)
{
	for (int i = 0; i < fpl->count; i++) {
		struct unix_sock *u = fpl->fp[i] ? unix_get_socket(fpl->fp[i]) : NULL;
		if (!u)
			continue;
		u->inflight += delta;
		if (u->inflight == 1 && delta > 0)
			list_add_tail(&u->gc_link, &gc_inflight_list);
		else if (!u->inflight)
			list_del_init(&u->gc_link);
	}
}

void unix_skb_attach_fp(struct sk_buff *skb, struct scm_fp_list *fpl)
{
	if (!fpl)
		return;
	spin_lock(&unix_gc_lock);
	skb->fp = fpl;
	unix_inflight_locked(fpl, 1);
	spin_unlock(&unix_gc_lock);
}

struct scm_fp_list *unix_skb_take_fp(struct sk_buff *skb)
{
	struct scm_fp_list *fpl;

	if (!skb->fp)
		return NULL;
	spin_lock(&unix_gc_lock);
	fpl = skb->fp;
	skb->fp = NULL;
	if (fpl)
		unix_inflight_locked(fpl, -1);
	spin_unlock(&unix_gc_lock);
	return fpl;
}

/* Call fn on each candidate whose file travels in u's queue (and, for a
 * listener, in its embryos' queues). unix_gc_lock held. */
static void scan_children(struct unix_sock *u, void (*fn)(struct unix_sock *child))
{
	struct sk_buff_head *q = &u->sk.sk_receive_queue;
	bool listener = READ_ONCE(u->sk.sk_state) == TCP_LISTEN;
	struct list_head *p;

	spin_lock(&q->lock);
	list_for_each(p, &q->head) {
		struct sk_buff *skb = list_entry(p, struct sk_buff, list);
		if (listener && skb->sk) {
			scan_children(unix_sk(skb->sk), fn);
			continue;
		}
		for (int i = 0; skb->fp && i < skb->fp->count; i++) {
			struct unix_sock *child = unix_get_socket(skb->fp->fp[i]);
			if (child && child->gc_candidate)
				fn(child);
		}
	}
	spin_unlock(&q->lock);
}

static void dec_refs(struct unix_sock *u)
{
	u->gc_refs--;
}

static void inc_refs(struct unix_sock *u)
{
	u->gc_refs++;
}

/* Messages with files from u's queue (and its embryos') onto hit. */
static void collect_skbs(struct unix_sock *u, struct list_head *hit)
{
	struct sk_buff_head *q = &u->sk.sk_receive_queue;
	bool listener = READ_ONCE(u->sk.sk_state) == TCP_LISTEN;
	struct list_head *p, *n;

	spin_lock(&q->lock);
	list_for_each_safe(p, n, &q->head) {
		struct sk_buff *skb = list_entry(p, struct sk_buff, list);
		if (listener && skb->sk) {
			collect_skbs(unix_sk(skb->sk), hit);
		} else if (skb->fp) {
			list_del(&skb->list);
			WRITE_ONCE(q->qlen, q->qlen - 1);
			list_add_tail(&skb->list, hit);
		}
	}
	spin_unlock(&q->lock);
}

/* Candidates: sockets whose every file reference is in flight. Their
 * references from other candidates' queues are taken off gc_refs; what
 * is left comes from outside, so those are reachable, and so is all they
 * hold (propagated until nothing changes). The rest is garbage. */
void unix_gc(void)
{
	struct list_head *p, hit;
	bool changed;

	INIT_LIST_HEAD(&hit);
	spin_lock(&unix_gc_lock);
	if (gc_running || list_empty(&gc_inflight_list)) {
		spin_unlock(&unix_gc_lock);
		return;
	}
	gc_running = true;
	list_for_each(p, &gc_inflight_list) {
		struct unix_sock *u = list_entry(p, struct unix_sock, gc_link);
		struct socket *sock = READ_ONCE(u->sk.sk_socket);
		struct file *f = sock ? sock->file : NULL;
		u->gc_candidate = f && __atomic_load_n(&f->f_count, __ATOMIC_ACQUIRE) == u->inflight;
		u->gc_refs = u->inflight;
		u->gc_reachable = false;
	}
	list_for_each(p, &gc_inflight_list) {
		struct unix_sock *u = list_entry(p, struct unix_sock, gc_link);
		if (u->gc_candidate)
			scan_children(u, dec_refs);
	}
	do {
		changed = false;
		list_for_each(p, &gc_inflight_list) {
			struct unix_sock *u = list_entry(p, struct unix_sock, gc_link);
			if (u->gc_candidate && !u->gc_reachable && u->gc_refs > 0) {
				u->gc_reachable = changed = true;
				scan_children(u, inc_refs);
			}
		}
	} while (changed);
	list_for_each(p, &gc_inflight_list) {
		struct unix_sock *u = list_entry(p, struct unix_sock, gc_link);
		if (u->gc_candidate && !u->gc_reachable)
			collect_skbs(u, &hit);
		u->gc_candidate = false;
	}
	spin_unlock(&unix_gc_lock);
	skb_list_free(&hit); /* closes the files: their sockets are released */
	spin_lock(&unix_gc_lock);
	gc_running = false;
	spin_unlock(&unix_gc_lock);
}
