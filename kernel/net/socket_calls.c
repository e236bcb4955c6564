/* The socket system calls that take addresses, options and messages
 * (Linux: the second half of net/socket.c): user sockaddrs and msghdrs
 * are copied in and out here; the family only sees kernel copies. */
#include "kernel/net/socket_internal.h"
#include "kernel/net/sock.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/printk.h"
#include "kernel/timekeeping.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

/* ---- addresses ------------------------------------------------------------- */

static int move_addr_to_kernel(const void __user *uaddr, int ulen, struct sockaddr_storage *k)
{
	if (ulen < 0 || ulen > (int)sizeof(*k))
		return -EINVAL;
	if (!ulen)
		return 0;
	return copy_from_user(k, uaddr, (unsigned long)ulen);
}

/* Copy klen bytes of address out, truncated to the user's room; the
 * user's length becomes the full klen (as Linux). */
static int move_addr_to_user(const struct sockaddr_storage *k, int klen, void __user *uaddr,
			     int __user *ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len && copy_to_user(uaddr, k, (unsigned long)len))
		return -EFAULT;
	return put_user(klen, ulen);
}

SYSCALL_DEFINE3(bind, int, fd, void __user *, umyaddr, int, addrlen)
{
	struct sockaddr_storage a;
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = move_addr_to_kernel(umyaddr, addrlen, &a);
	if (!err)
		err = sock->ops->bind(sock, (struct sockaddr *)&a, addrlen);
	fput(f);
	return err;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sock->ops->listen(sock, backlog);
	fput(f);
	return err;
}

static long do_accept4(int fd, void __user *uaddr, int __user *ulen, int flags)
{
	struct sockaddr_storage a;
	struct socket *newsock;
	struct file *f, *nf;
	int err, newfd, len;
	struct socket *sock;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	newsock = sock_alloc();
	if (!newsock) {
		fput(f);
		return -ENFILE;
	}
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	newfd = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	if (newfd < 0) {
		newsock->ops = NULL;
		sock_release(newsock);
		fput(f);
		return newfd;
	}
	err = sock->ops->accept(sock, newsock, flags | (int)(f->f_flags & O_NONBLOCK));
	fput(f);
	if (err) {
		newsock->ops = NULL;
		sock_release(newsock);
		put_unused_fd(newfd);
		return err;
	}
	nf = sock_alloc_file(newsock, flags);
	if (!nf) {
		put_unused_fd(newfd);
		return -ENFILE;
	}
	if (uaddr) {
		len = newsock->ops->getname(newsock, (struct sockaddr *)&a, 1);
		err = len < 0 ? -ECONNABORTED : move_addr_to_user(&a, len, uaddr, ulen);
		if (err) {
			fput(nf);
			put_unused_fd(newfd);
			return err;
		}
	}
	fd_install_at(newfd, nf);
	return newfd;
}

SYSCALL_DEFINE4(accept4, int, fd, void __user *, uaddr, int __user *, ulen, int, flags)
{
	return do_accept4(fd, uaddr, ulen, flags);
}

SYSCALL_DEFINE3(accept, int, fd, void __user *, uaddr, int __user *, ulen)
{
	return do_accept4(fd, uaddr, ulen, 0);
}

SYSCALL_DEFINE3(connect, int, fd, void __user *, uaddr, int, addrlen)
{
	struct sockaddr_storage a;
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = move_addr_to_kernel(uaddr, addrlen, &a);
	if (!err)
		err = sock->ops->connect(sock, (struct sockaddr *)&a, addrlen,
					 (int)(f->f_flags & O_NONBLOCK));
	fput(f);
	return err;
}

static long do_getname(int fd, void __user *uaddr, int __user *ulen, int peer)
{
	struct sockaddr_storage a;
	struct file *f;
	int err, len;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	memset(&a, 0, sizeof(a));
	len = sock->ops->getname(sock, (struct sockaddr *)&a, peer);
	err = len < 0 ? len : move_addr_to_user(&a, len, uaddr, ulen);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(getsockname, int, fd, void __user *, uaddr, int __user *, ulen)
{
	return do_getname(fd, uaddr, ulen, 0);
}

SYSCALL_DEFINE3(getpeername, int, fd, void __user *, uaddr, int __user *, ulen)
{
	return do_getname(fd, uaddr, ulen, 1);
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, optname, void __user *, optval, int,
		optlen)
{
	struct file *f;
	int err;
	struct socket *sock;

	if (optlen < 0)
		return -EINVAL;
	sock = sockfd_lookup(fd, &f, &err);
	if (!sock)
		return err;
	/* AF_UNIX has no options of its own, only SOL_SOCKET's */
	err = level == SOL_SOCKET ? sock_setsockopt(sock, optname, optval, (unsigned int)optlen)
				  : -EOPNOTSUPP;
	fput(f);
	return err;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, optname, void __user *, optval,
		int __user *, optlen)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = level == SOL_SOCKET ? sock_getsockopt(sock, optname, optval, optlen) : -EOPNOTSUPP;
	fput(f);
	return err;
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = sock->ops->shutdown(sock, how);
	fput(f);
	return err;
}

/* ---- messages ---------------------------------------------------------------- */

static unsigned int sock_flags(struct file *f, unsigned int flags)
{
	return (READ_ONCE(f->f_flags) & O_NONBLOCK) ? flags | MSG_DONTWAIT : flags;
}

#define MAX_RW_COUNT 0x7ffff000UL /* a transfer's ceiling, as read(2)'s */

/* send/recv on one buffer (sendto, recvfrom): the buffer checked first,
 * as Linux, then the socket; m's vector is *v. */
static struct socket *sock_one_buffer(int fd, void __user *buf, size_t len, struct iovec *v,
				      struct msghdr *m, struct file **f, int *err)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!access_ok(buf, len)) {
		*err = -EFAULT;
		return NULL;
	}
	*v = (struct iovec){ buf, len };
	memset(m, 0, sizeof(*m));
	m->msg_iter = (struct msg_iter){ v, 1, 0, 0, len, false };
	return sockfd_lookup(fd, f, err);
}

SYSCALL_DEFINE6(sendto, int, fd, void __user *, buff, size_t, len, unsigned int, flags,
		void __user *, uaddr, int, addrlen)
{
	struct sockaddr_storage a;
	struct iovec v;
	struct msghdr m;
	struct file *f;
	int err;
	struct socket *sock = sock_one_buffer(fd, buff, len, &v, &m, &f, &err);

	if (!sock)
		return err;
	if (uaddr && addrlen) {
		err = move_addr_to_kernel(uaddr, addrlen, &a);
		if (err)
			goto out;
		m.msg_name = &a;
		m.msg_namelen = addrlen;
	}
	m.msg_flags = sock_flags(f, flags);
	err = sock->ops->sendmsg(sock, &m, m.msg_iter.count);
out:
	fput(f);
	return err;
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, ubuf, size_t, size, unsigned int, flags,
		void __user *, uaddr, int __user *, ulen)
{
	struct sockaddr_storage a;
	struct iovec v;
	struct msghdr m;
	struct file *f;
	int err;
	struct socket *sock = sock_one_buffer(fd, ubuf, size, &v, &m, &f, &err);

	if (!sock)
		return err;
	m.msg_name = &a;
	err = sock->ops->recvmsg(sock, &m, m.msg_iter.count, (int)sock_flags(f, flags));
	if (err >= 0 && uaddr) {
		int e = move_addr_to_user(&a, m.msg_namelen, uaddr, ulen);
		if (e)
			err = e;
	}
	fput(f);
	return err;
}

/* A user msghdr in the kernel: the vector copied and checked (kmalloc'd
 * into *iov), the name for sending copied into *a. */
static int copy_msghdr_from_user(struct msghdr *m, const struct user_msghdr __user *um,
				 struct user_msghdr *u, struct sockaddr_storage *a,
				 struct iovec **iov, bool send)
{
	size_t total = 0;
	int err;

	if (copy_from_user(u, um, sizeof(*u)))
		return -EFAULT;
	if (u->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (u->msg_controllen > 0x7fffffff)
		return -ENOBUFS;
	memset(m, 0, sizeof(*m));
	if (send && u->msg_name && u->msg_namelen) {
		err = move_addr_to_kernel(u->msg_name, u->msg_namelen, a);
		if (err)
			return err;
		m->msg_name = a;
		m->msg_namelen = u->msg_namelen;
	} else if (!send) {
		if (u->msg_namelen < 0)
			return -EINVAL;
		m->msg_name = a;
	}
	*iov = kmalloc(u->msg_iovlen ? u->msg_iovlen * sizeof(struct iovec) : 1);
	if (!*iov)
		return -ENOMEM;
	if (copy_from_user(*iov, u->msg_iov, u->msg_iovlen * sizeof(struct iovec))) {
		kfree(*iov);
		return -EFAULT;
	}
	for (size_t i = 0; i < u->msg_iovlen; i++) {
		struct iovec *v = &(*iov)[i];
		if ((ssize_t)v->iov_len < 0) {
			kfree(*iov);
			return -EINVAL;
		}
		if (v->iov_len > MAX_RW_COUNT - total)
			v->iov_len = MAX_RW_COUNT - total; /* Linux caps a transfer at MAX_RW_COUNT */
		if (!access_ok(v->iov_base, v->iov_len)) {
			kfree(*iov);
			return -EFAULT;
		}
		total += v->iov_len;
	}
	m->msg_iter = (struct msg_iter){ *iov, u->msg_iovlen, 0, 0, total, false };
	m->msg_control = u->msg_control;
	m->msg_controllen = u->msg_controllen;
	return 0;
}

static long do_sendmsg(struct socket *sock, struct file *f, struct user_msghdr __user *um,
		       unsigned int flags)
{
	struct sockaddr_storage a;
	struct user_msghdr u;
	struct iovec *iov;
	struct msghdr m;
	int err = copy_msghdr_from_user(&m, um, &u, &a, &iov, true);

	if (err)
		return err;
	m.msg_flags = sock_flags(f, flags);
	err = sock->ops->sendmsg(sock, &m, m.msg_iter.count);
	kfree(iov);
	return err;
}

static long do_recvmsg(struct socket *sock, struct file *f, struct user_msghdr __user *um,
		       unsigned int flags)
{
	struct sockaddr_storage a;
	struct user_msghdr u;
	struct iovec *iov;
	struct msghdr m;
	int err = copy_msghdr_from_user(&m, um, &u, &a, &iov, false), e;

	if (err)
		return err;
	m.msg_flags = flags & MSG_CMSG_CLOEXEC;
	err = sock->ops->recvmsg(sock, &m, m.msg_iter.count, (int)sock_flags(f, flags));
	kfree(iov);
	if (err < 0)
		return err;
	if (u.msg_name) {
		e = move_addr_to_user(&a, m.msg_namelen, u.msg_name, &um->msg_namelen);
		if (e)
			return e;
	} else if (put_user(0, &um->msg_namelen)) {
		return -EFAULT;
	}
	if (put_user(m.msg_flags, &um->msg_flags) ||
	    put_user(m.msg_control_used, &um->msg_controllen))
		return -EFAULT;
	return err;
}

typedef long (*msg_fn)(struct socket *sock, struct file *f, struct user_msghdr __user *um,
		       unsigned int flags);

static long sock_msg_call(int fd, msg_fn fn, struct user_msghdr __user *um, unsigned int flags)
{
	struct file *f;
	int err;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	err = (int)fn(sock, f, um, flags);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(sendmsg, int, fd, struct user_msghdr __user *, um, unsigned int, flags)
{
	return sock_msg_call(fd, do_sendmsg, um, flags);
}

SYSCALL_DEFINE3(recvmsg, int, fd, struct user_msghdr __user *, um, unsigned int, flags)
{
	return sock_msg_call(fd, do_recvmsg, um, flags);
}

/* Several messages in one call: the count done, or the first error if
 * none was (a later error is left for the next call, as Linux). recvmmsg
 * checks its deadline between messages only, as Linux does. */
static long sock_mmsg_call(int fd, msg_fn fn, struct mmsghdr __user *mm, unsigned int vlen,
			   unsigned int flags, u64 deadline)
{
	struct file *f;
	int err;
	unsigned int n;
	struct socket *sock = sockfd_lookup(fd, &f, &err);

	if (!sock)
		return err;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (n = 0; n < vlen; n++) {
		long r = fn(sock, f, &mm[n].msg_hdr, flags);
		if (r < 0) {
			err = (int)r;
			break;
		}
		if (put_user((unsigned int)r, &mm[n].msg_len)) {
			err = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (deadline && ktime_get_ns() >= deadline) {
			n++;
			break;
		}
	}
	fput(f);
	return n ? (long)n : err;
}

SYSCALL_DEFINE4(sendmmsg, int, fd, struct mmsghdr __user *, mm, unsigned int, vlen,
		unsigned int, flags)
{
	return sock_mmsg_call(fd, do_sendmsg, mm, vlen, flags & ~MSG_WAITFORONE, 0);
}

struct kernel_timespec {
	s64 tv_sec;
	long tv_nsec;
};

SYSCALL_DEFINE5(recvmmsg, int, fd, struct mmsghdr __user *, mm, unsigned int, vlen,
		unsigned int, flags, struct kernel_timespec __user *, uts)
{
	struct kernel_timespec ts;
	u64 deadline = 0;

	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = ktime_get_ns() + (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
	}
	return sock_mmsg_call(fd, do_recvmsg, mm, vlen, flags, deadline);
}
