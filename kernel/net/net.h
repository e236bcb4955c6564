/* The BSD socket layer (Linux: include/linux/net.h, include/linux/socket.h):
 * struct socket is what a socket file points at; its proto_ops are the
 * address family's (only AF_UNIX here), its sock (kernel/net/sock.h) the
 * protocol's state. Constants are Linux's generic/riscv64 values. */
#ifndef KERNEL_NET_NET_H
#define KERNEL_NET_NET_H
#include "kernel/fs/fs.h"

/* address families */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_MAX 46

/* socket types, and the flags socket(2) takes in the type argument */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11
#define SOCK_TYPE_MASK 0xf
#define SOCK_CLOEXEC O_CLOEXEC
#define SOCK_NONBLOCK O_NONBLOCK

/* send/recv flags */
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

/* SOL_SOCKET options */
#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_PROTOCOL 38
#define SO_DOMAIN 39

/* control messages (SOL_SOCKET level) */
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2

/* shutdown(2) how, and the sk_shutdown bits it sets */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

#define SOMAXCONN 4096      /* listen backlog ceiling (net.core.somaxconn) */

typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
} socket_state;

struct sockaddr {
	u16 sa_family;
	char sa_data[14];
};
/* Big enough for any address (Linux: struct __kernel_sockaddr_storage). */
struct sockaddr_storage {
	u16 ss_family;
	char __data[126];
} __attribute__((aligned(8)));

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

/* struct msghdr as riscv64 user space lays it out (and mmsghdr). */
struct user_msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec __user *msg_iov;
	size_t msg_iovlen;
	void __user *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};
struct mmsghdr {
	struct user_msghdr msg_hdr;
	unsigned int msg_len;
};

/* The bytes of one message: an iovec array, user or kernel memory,
 * consumed from the front (Linux: iov_iter of type ITER_IOVEC). */
struct msg_iter {
	struct iovec *iov;      /* kernel copy of the vector */
	unsigned long nr;       /* segments */
	unsigned long idx;      /* current segment */
	size_t off;             /* bytes used of iov[idx] */
	size_t count;           /* bytes left in all */
	bool kernel;            /* iov_base are kernel addresses */
};
/* Bytes copied (short on a fault). */
size_t msg_copy_from_iter(void *dst, size_t n, struct msg_iter *it);
size_t msg_copy_to_iter(const void *src, size_t n, struct msg_iter *it);

/* A message in the kernel (Linux: struct msghdr): the name is copied in
 * (send) or filled in for copying out (recv); the control buffer stays
 * in user memory, read by scm_send and written by put_cmsg. */
struct msghdr {
	void *msg_name;         /* kernel sockaddr_storage, or NULL */
	int msg_namelen;
	struct msg_iter msg_iter;
	void __user *msg_control;
	size_t msg_controllen;  /* recv: room left; after it, bytes written */
	size_t msg_control_used;
	unsigned int msg_flags; /* send: the flags; recv: MSG_TRUNC/CTRUNC out */
};

struct socket;
struct sock;

/* What an address family does for a socket (Linux: struct proto_ops).
 * Each returns 0/a count or -errno. */
struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *addr, int len);
	int (*connect)(struct socket *sock, struct sockaddr *addr, int len, int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* The address length written to addr (peer: the other end's). */
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	__poll_t (*poll)(struct file *f, struct socket *sock, poll_table *pt);
	long (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*sendmsg)(struct socket *sock, struct msghdr *m, size_t len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t len, int flags);
};

/* One socket (Linux: struct socket); its sockfs inode's i_private. */
struct socket {
	socket_state state;     /* changed by the family under its own locks */
	short type;             /* SOCK_STREAM... */
	struct file *file;      /* the file that owns it (no reference) */
	struct sock *sk;
	const struct proto_ops *ops;
	struct inode *inode;    /* its sockfs inode (st_ino, "socket:[ino]") */
};

/* An address family (Linux: struct net_proto_family). */
struct net_proto_family {
	int family;
	int (*create)(struct socket *sock, int protocol, int kern);
};
int sock_register(const struct net_proto_family *ops);

/* The socket behind a file, or NULL. */
struct socket *sock_from_file(struct file *f);
/* A socket with a sockfs inode; the family fills in ops and sk. */
struct socket *sock_alloc(void);
void sock_release(struct socket *sock);
/* The file of a new socket (takes it over; on failure it is released). */
struct file *sock_alloc_file(struct socket *sock, int flags);

#endif
