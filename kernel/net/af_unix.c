/* AF_UNIX sockets (Linux: net/unix/af_unix.c), everything but moving
 * data (af_unix_msg.c): making and releasing unix_socks, the table of
 * bound names (abstract ones, and filesystem ones whose S_IFSOCK inode
 * bind makes through the VFS mknod path), bind/autobind, and the
 * family's proto_ops (connections: af_unix_conn.c). */
#include "kernel/net/af_unix.h"
#include "kernel/net/socket_internal.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/namei.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "proc/sched.h"

/* ---- the name table -------------------------------------------------------- */

#define UNIX_HASH_SIZE 256

/* One bucket: its lock protects its list. Abstract names hash by their
 * bytes and the socket type (Linux keeps the types apart), filesystem
 * names by the inode bind made. */
static struct unix_bucket {
	spinlock_t lock;
	struct list_head list;
} unix_table[UNIX_HASH_SIZE];
static bool unix_table_ready;           /* buckets initialized (acquire/release) */
static DEFINE_SPINLOCK(unix_table_lock); /* protects initializing the buckets */

static void unix_table_init(void)
{
	if (__atomic_load_n(&unix_table_ready, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&unix_table_lock);
	if (!unix_table_ready) {
		for (int i = 0; i < UNIX_HASH_SIZE; i++) {
			spin_lock_init(&unix_table[i].lock);
			INIT_LIST_HEAD(&unix_table[i].list);
		}
		__atomic_store_n(&unix_table_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&unix_table_lock);
}

static u32 unix_abstract_hash(const struct sockaddr_un *sun, int len, int type)
{
	return (full_name_hash((const char *)sun, (u32)len) ^ (u32)type) % UNIX_HASH_SIZE;
}

static u32 unix_inode_hash(const struct inode *inode)
{
	unsigned long p = (unsigned long)inode;
	return (u32)((p >> 4) ^ (p >> 12)) % UNIX_HASH_SIZE;
}

static bool unix_is_abstract(const struct unix_address *a)
{
	return a->len > UNIX_ADDR_OFF && !a->name.sun_path[0];
}

/* The socket bound to this abstract name and type (bucket locked). */
static struct unix_sock *unix_find_abstract_locked(struct unix_bucket *b, const struct sockaddr_un *sun,
						  int len, int type)
{
	struct list_head *p;

	list_for_each(p, &b->list) {
		struct unix_sock *u = list_entry(p, struct unix_sock, link);
		if (unix_is_abstract(u->addr) && u->addr->len == len && u->sk.sk_type == type &&
		    !memcmp(&u->addr->name, sun, (size_t)len))
			return u;
	}
	return NULL;
}

static struct sock *unix_find_byinode(struct inode *inode)
{
	struct unix_bucket *b = &unix_table[unix_inode_hash(inode)];
	struct sock *found = NULL;
	struct list_head *p;

	spin_lock(&b->lock);
	list_for_each(p, &b->list) {
		struct unix_sock *u = list_entry(p, struct unix_sock, link);
		if (u->path.dentry && u->path.dentry->d_inode == inode) {
			found = &u->sk;
			sock_hold(found);
			break;
		}
	}
	spin_unlock(&b->lock);
	return found;
}

static void unix_remove_socket(struct unix_sock *u)
{
	struct unix_bucket *b;

	if (!u->bound)
		return;
	b = &unix_table[u->addr->hash];
	spin_lock(&b->lock);
	list_del(&u->link);
	spin_unlock(&b->lock);
	u->bound = false;
	sock_put(&u->sk);
}

/* ---- addresses ------------------------------------------------------------- */

void unix_addr_put(struct unix_address *a)
{
	if (__atomic_sub_fetch(&a->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(a);
}

int unix_copy_addr(struct sockaddr *to, const struct unix_address *a)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)to;

	if (!a) {
		sun->sun_family = AF_UNIX;
		return UNIX_ADDR_OFF;
	}
	memcpy(sun, &a->name, (size_t)a->len);
	return a->len;
}

static struct unix_address *unix_create_addr(const struct sockaddr_un *sun, int len)
{
	struct unix_address *a = kzalloc(sizeof(*a));

	if (!a)
		return NULL;
	a->refcnt = 1;
	a->len = len;
	memcpy(&a->name, sun, (size_t)len);
	return a;
}

/* The storage behind sun is a sockaddr_storage (128 bytes), so a
 * filesystem name can be NUL-terminated in place. */
int unix_validate_addr(struct sockaddr_un *sun, int len)
{
	if (len <= UNIX_ADDR_OFF || len > (int)sizeof(*sun) || sun->sun_family != AF_UNIX)
		return -EINVAL;
	if (!sun->sun_path[0])
		return len;
	((char *)sun)[len] = 0;
	return (int)strlen(sun->sun_path) + UNIX_ADDR_OFF + 1;
}

static int unix_find_bsd_err(struct inode *inode)
{
	int err = inode_permission(inode, MAY_WRITE);

	if (err)
		return err;
	return S_ISSOCK(inode->i_mode) ? 0 : -ECONNREFUSED;
}

struct sock *unix_find_other(struct sockaddr_un *sun, int len, int type, int *err)
{
	struct sock *sk = NULL;

	unix_table_init();
	if (sun->sun_path[0]) {
		struct path p;
		*err = kern_path(sun->sun_path, LOOKUP_FOLLOW, &p);
		if (*err)
			return NULL;
		*err = unix_find_bsd_err(p.dentry->d_inode);
		if (!*err)
			sk = unix_find_byinode(p.dentry->d_inode);
		path_put(&p);
		if (*err)
			return NULL;
	} else {
		struct unix_bucket *b = &unix_table[unix_abstract_hash(sun, len, type)];
		spin_lock(&b->lock);
		struct unix_sock *u = unix_find_abstract_locked(b, sun, len, type);
		if (u) {
			sk = &u->sk;
			sock_hold(sk);
		}
		spin_unlock(&b->lock);
	}
	if (!sk) {
		*err = -ECONNREFUSED;
		return NULL;
	}
	if (sk->sk_type != type) {
		sock_put(sk);
		*err = -EPROTOTYPE;
		return NULL;
	}
	return sk;
}

/* ---- bind ------------------------------------------------------------------ */

/* Put an abstract name into the table unless taken (bindlock held). */
static int unix_insert_abstract(struct unix_sock *u, struct unix_address *a)
{
	struct unix_bucket *b;

	a->hash = unix_abstract_hash(&a->name, a->len, u->sk.sk_type);
	b = &unix_table[a->hash];
	spin_lock(&b->lock);
	if (unix_find_abstract_locked(b, &a->name, a->len, u->sk.sk_type)) {
		spin_unlock(&b->lock);
		return -EADDRINUSE;
	}
	sock_hold(&u->sk);
	list_add_tail(&u->link, &b->list);
	u->bound = true;
	__atomic_store_n(&u->addr, a, __ATOMIC_RELEASE);
	spin_unlock(&b->lock);
	return 0;
}

/* An abstract name of five hex digits, as Linux picks for sockets that
 * send or connect unnamed with SO_PASSCRED, or bind with just a family. */
int unix_autobind(struct sock *sk)
{
	static u32 ordernum;
	struct unix_sock *u = unix_sk(sk);
	int err = 0;

	unix_table_init();
	mutex_lock(&u->bindlock);
	if (u->addr)
		goto out;
	if (!__atomic_load_n(&ordernum, __ATOMIC_RELAXED)) {
		u32 r;
		get_random_bytes(&r, sizeof(r));
		__atomic_store_n(&ordernum, r | 1, __ATOMIC_RELAXED);
	}
	for (u32 tries = 0; tries <= 0xFFFFF; tries++) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		u32 n = __atomic_fetch_add(&ordernum, 1, __ATOMIC_RELAXED) & 0xFFFFF;
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%05x", n);
		struct unix_address *a = unix_create_addr(&sun, UNIX_ADDR_OFF + 6);
		if (!a) {
			err = -ENOMEM;
			goto out;
		}
		err = unix_insert_abstract(u, a);
		if (!err)
			goto out;
		kfree(a);
	}
	err = -ENOSPC;
out:
	mutex_unlock(&u->bindlock);
	return err;
}

/* A filesystem name: a new S_IFSOCK node (-EADDRINUSE if the name
 * exists), hashed by its inode. */
static int unix_bind_bsd(struct unix_sock *u, struct unix_address *a)
{
	u32 mode = S_IFSOCK | (0777 & ~current_umask());
	struct path parent;
	struct dentry *d = filename_create(AT_FDCWD, a->name.sun_path, &parent, false);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d) == -EEXIST ? -EADDRINUSE : (int)PTR_ERR(d);
	err = (parent.mnt->mnt_flags & MS_RDONLY) ? -EROFS
						  : vfs_mknod(parent.dentry->d_inode, d, mode, 0);
	if (!err) {
		struct unix_bucket *b;
		u->path.mnt = mntget(parent.mnt);
		u->path.dentry = dget(d);
		a->hash = unix_inode_hash(d->d_inode);
		b = &unix_table[a->hash];
		spin_lock(&b->lock);
		sock_hold(&u->sk);
		list_add_tail(&u->link, &b->list);
		u->bound = true;
		__atomic_store_n(&u->addr, a, __ATOMIC_RELEASE);
		spin_unlock(&b->lock);
	}
	done_path_create(&parent, d);
	return err;
}

static int unix_bind(struct socket *sock, struct sockaddr *addr, int len)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)addr;
	struct unix_sock *u = unix_sk(sock->sk);
	struct unix_address *a;
	int err;

	if (len == UNIX_ADDR_OFF && sun->sun_family == AF_UNIX)
		return unix_autobind(sock->sk);
	len = unix_validate_addr(sun, len);
	if (len < 0)
		return len;
	unix_table_init();
	a = unix_create_addr(sun, len);
	if (!a)
		return -ENOMEM;
	mutex_lock(&u->bindlock);
	if (u->addr)
		err = -EINVAL;
	else if (sun->sun_path[0])
		err = unix_bind_bsd(u, a);
	else
		err = unix_insert_abstract(u, a);
	mutex_unlock(&u->bindlock);
	if (err)
		kfree(a);
	return err;
}

/* ---- making and releasing -------------------------------------------------- */

void unix_state_double_lock(struct sock *a, struct sock *b)
{
	if (a == b) {
		unix_state_lock(a);
	} else if (a < b) {
		unix_state_lock(a);
		unix_state_lock(b);
	} else {
		unix_state_lock(b);
		unix_state_lock(a);
	}
}

void unix_state_double_unlock(struct sock *a, struct sock *b)
{
	unix_state_unlock(a);
	if (a != b)
		unix_state_unlock(b);
}

static void unix_sock_destruct(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	struct list_head left;

	skb_queue_splice_init(&sk->sk_receive_queue, &left);
	skb_list_free(&left);
	if (u->addr)
		unix_addr_put(u->addr);
	kfree(u);
}

struct sock *unix_create1(struct socket *sock, int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	sock_init_data(sock, &u->sk);
	u->sk.sk_family = AF_UNIX;
	u->sk.sk_type = (u16)type;
	u->sk.sk_destruct = unix_sock_destruct;
	u->sk.sk_max_ack_backlog = UNIX_MAX_DGRAM_QLEN;
	mutex_init(&u->iolock);
	mutex_init(&u->bindlock);
	spin_lock_init(&u->lock);
	INIT_LIST_HEAD(&u->link);
	INIT_LIST_HEAD(&u->gc_link);
	INIT_LIST_HEAD(&u->peer_wait_list);
	INIT_LIST_HEAD(&u->peer_wake_link);
	return &u->sk;
}

/* The socket goes (its file closed, or an embryo nobody accepted): no
 * more queueing to it, the peer sees end of file (and ECONNRESET if we
 * left data unread), queued messages and their files are freed. */
void unix_release_sock(struct sock *sk, bool embryo)
{
	struct unix_sock *u = unix_sk(sk);
	struct sock *skpair;
	struct list_head left;
	struct path path;
	u8 state;

	unix_remove_socket(u);
	unix_state_lock(sk);
	sock_set_flag(sk, SOCK_DEAD, true);
	sk->sk_socket = NULL;
	sk->sk_shutdown = SHUTDOWN_MASK;
	skpair = u->peer;
	u->peer = NULL;
	state = sk->sk_state;
	sk->sk_state = TCP_CLOSE;
	path = u->path;
	u->path = (struct path){ NULL, NULL };
	unix_state_unlock(sk);
	sk_wake(sk); /* connectors waiting for a backlog slot */
	unix_peer_wake_disconnect(sk);

	if (skpair) {
		if (sk->sk_type == SOCK_STREAM || sk->sk_type == SOCK_SEQPACKET) {
			unix_state_lock(skpair);
			skpair->sk_shutdown = SHUTDOWN_MASK;
			if (skb_queue_len(&sk->sk_receive_queue) || embryo)
				WRITE_ONCE(skpair->sk_err, ECONNRESET);
			unix_state_unlock(skpair);
		}
		sk_wake(skpair);
		sock_put(skpair);
	}
	skb_queue_splice_init(&sk->sk_receive_queue, &left);
	if (state == TCP_LISTEN) {
		struct list_head *p;
		list_for_each(p, &left) /* connection requests: their embryos go too */
			unix_release_sock(list_entry(p, struct sk_buff, list)->sk, true);
	}
	skb_list_free(&left);
	unix_peer_wake_all(sk); /* pollers waiting for room: the queue is gone */
	if (path.dentry)
		path_put(&path);
	sock_put(sk);
	unix_gc(); /* what we held may have been all that kept a cycle reachable */
}

static int unix_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock->sk = NULL;
	unix_release_sock(sk, false);
	return 0;
}

/* ---- the family ------------------------------------------------------------------ */

/* What the three types share; they differ in connect, poll and data. */
#define UNIX_COMMON_OPS                                                      \
	.family = AF_UNIX, .release = unix_release, .bind = unix_bind,       \
	.socketpair = unix_socketpair, .accept = unix_accept,                \
	.getname = unix_getname, .ioctl = unix_ioctl, .listen = unix_listen, \
	.shutdown = unix_shutdown

static const struct proto_ops unix_stream_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_stream_connect,
	.poll = unix_poll,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_dgram_connect,
	.poll = unix_dgram_poll,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_stream_connect,
	.poll = unix_dgram_poll,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
};

static int unix_create(struct socket *sock, int protocol, int kern)
{
	(void)kern;
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW: /* Linux treats a raw unix socket as a datagram one */
		sock->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	return unix_create1(sock, sock->type) ? 0 : -ENOMEM;
}

const struct net_proto_family unix_family_ops = {
	.family = AF_UNIX,
	.create = unix_create,
};
