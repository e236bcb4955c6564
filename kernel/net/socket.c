/* The socket layer (Linux: net/socket.c): sockfs, where every socket has
 * a pseudo inode (S_IFSOCK, "socket:[ino]" in /proc/<pid>/fd) and a file
 * whose file_operations turn read/write/poll into the family's
 * proto_ops; the address family table; socket(2) and socketpair(2).
 * The calls taking addresses and messages are in socket_calls.c. */
#include "kernel/net/socket_internal.h"
#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"

#define SOCKFS_MAGIC 0x534F434B

/* ---- sockfs ---------------------------------------------------------------- */

static struct vfsmount *sockfs_mnt; /* made on the first socket */

static void sockfs_dname(struct dentry *d, char *buf, int buflen)
{
	snprintf(buf, (size_t)buflen, "socket:[%lu]", (unsigned long)d->d_inode->i_ino);
}

static const struct dentry_operations sockfs_dentry_operations = {
	.d_dname = sockfs_dname,
};

static bool sockfs_init(void)
{
	static struct file_system_type sockfs = { .name = "sockfs", .nodev = true };

	return kern_mount_pseudo_once(&sockfs_mnt, &sockfs, SOCKFS_MAGIC);
}

struct socket *sock_alloc(void)
{
	struct socket *sock;
	struct inode *inode;

	if (!sockfs_init())
		return NULL;
	sock = kzalloc(sizeof(*sock));
	inode = sock ? new_inode(sockfs_mnt->mnt_sb) : NULL;
	if (!inode) {
		kfree(sock);
		return NULL;
	}
	/* Reopening through /proc/<pid>/fd finds this inode: -ENXIO as Linux. */
	inode->i_mode = S_IFSOCK | 0777;
	inode->i_fop = &bad_sock_fops;
	inode->i_private = sock;
	sock->inode = inode;
	sock->state = SS_UNCONNECTED;
	return sock;
}

/* The family lets go of its sock; the inode goes with the file (its
 * dentry holds it) or here when there never was one. */
void sock_release(struct socket *sock)
{
	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	sock->ops = NULL;
	if (!sock->file)
		iput(sock->inode);
	else
		sock->inode->i_private = NULL;
	kfree(sock);
}

static int sock_close(struct inode *inode, struct file *f)
{
	(void)inode;
	sock_release(f->private_data);
	return 0;
}

/* ---- file operations --------------------------------------------------------- */

static int sock_rw_flags(struct file *f)
{
	return (READ_ONCE(f->f_flags) & O_NONBLOCK) ? MSG_DONTWAIT : 0;
}

static ssize_t sock_read_iter(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct socket *sock = f->private_data;
	struct iovec v = { to->ptr, to->count };
	struct msghdr m = { 0 };
	int ret;

	(void)pos;
	if (!to->count)
		return 0;
	m.msg_iter = (struct msg_iter){ &v, 1, 0, 0, to->count, to->kernel };
	ret = sock->ops->recvmsg(sock, &m, to->count, sock_rw_flags(f));
	if (ret > 0) {
		to->ptr += ret;
		to->count -= (size_t)ret;
	}
	return ret;
}

static ssize_t sock_write_iter(struct file *f, struct iov_iter *from, u64 *pos)
{
	struct socket *sock = f->private_data;
	struct iovec v = { from->ptr, from->count };
	struct msghdr m = { 0 };
	int ret;

	(void)pos;
	m.msg_iter = (struct msg_iter){ &v, 1, 0, 0, from->count, from->kernel };
	m.msg_flags = (unsigned int)sock_rw_flags(f);
	ret = sock->ops->sendmsg(sock, &m, from->count);
	if (ret > 0) {
		from->ptr += ret;
		from->count -= (size_t)ret;
	}
	return ret;
}

static __poll_t sock_poll(struct file *f, poll_table *pt)
{
	struct socket *sock = f->private_data;

	return sock->ops->poll(f, sock, pt);
}

static long sock_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = f->private_data;

	return sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;
}

static const struct file_operations socket_file_ops = {
	.read_iter = sock_read_iter,
	.write_iter = sock_write_iter,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_close,
};

struct socket *sock_from_file(struct file *f)
{
	return f->f_op == &socket_file_ops ? f->private_data : NULL;
}

struct file *sock_alloc_file(struct socket *sock, int flags)
{
	struct file *f = alloc_empty_file(O_RDWR | (flags & O_NONBLOCK));
	struct dentry *d = f ? d_alloc_pseudo(sock->inode, &sockfs_dentry_operations) : NULL;

	if (!d) {
		kfree(f);
		sock_release(sock);
		return NULL;
	}
	f->f_vfsmnt = mntget(sockfs_mnt);
	f->f_dentry = d;              /* holds the inode reference sock_alloc took */
	f->f_inode = sock->inode;
	f->f_op = &socket_file_ops;
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	f->private_data = sock;
	sock->file = f;
	return f;
}

/* The socket of descriptor fd with a file reference (*fp), or -EBADF /
 * -ENOTSOCK. */
struct socket *sockfd_lookup(int fd, struct file **fp, int *err)
{
	struct file *f = fget(fd);
	struct socket *sock;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	sock = sock_from_file(f);
	if (!sock) {
		fput(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	*fp = f;
	return sock;
}

/* ---- address families -------------------------------------------------------- */

/* Built in: AF_UNIX. Others register with sock_register. */
static const struct net_proto_family *net_families[AF_MAX] = {
	[AF_UNIX] = &unix_family_ops,
};
static DEFINE_SPINLOCK(net_family_lock); /* protects net_families */

int sock_register(const struct net_proto_family *ops)
{
	int err = 0;

	spin_lock(&net_family_lock);
	if (net_families[ops->family])
		err = -EEXIST;
	else
		net_families[ops->family] = ops;
	spin_unlock(&net_family_lock);
	return err;
}

/* A new socket of (family, type, protocol): -EAFNOSUPPORT for a family
 * this kernel lacks (INET, INET6, NETLINK...), as Linux without it. */
static int sock_create(int family, int type, int protocol, struct socket **res)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	spin_lock(&net_family_lock);
	pf = net_families[family];
	spin_unlock(&net_family_lock);
	if (!pf)
		return -EAFNOSUPPORT;
	sock = sock_alloc();
	if (!sock)
		return -ENFILE;
	sock->type = (short)type;
	err = pf->create(sock, protocol, 0);
	if (err) {
		sock->ops = NULL;
		sock_release(sock);
		return err;
	}
	*res = sock;
	return 0;
}

/* A descriptor for a new socket's file; the socket is gone on failure. */
int sock_map_fd(struct socket *sock, int flags)
{
	int fd = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	struct file *f;

	if (fd < 0) {
		sock_release(sock);
		return fd;
	}
	f = sock_alloc_file(sock, flags);
	if (!f) {
		put_unused_fd(fd);
		return -ENFILE;
	}
	fd_install_at(fd, f);
	return fd;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	return sock_map_fd(sock, flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, int __user *, usv)
{
	int flags = type & ~SOCK_TYPE_MASK, fds[2] = { -1, -1 }, err;
	struct socket *a, *b;
	struct file *fa, *fb;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &a);
	if (err)
		return err;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &b);
	if (err) {
		sock_release(a);
		return err;
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (err) {
		sock_release(a);
		sock_release(b);
		return err;
	}
	fa = sock_alloc_file(a, flags);
	if (!fa) {
		sock_release(b);
		return -ENFILE;
	}
	fb = sock_alloc_file(b, flags);
	if (!fb) {
		fput(fa);
		return -ENFILE;
	}
	fds[0] = get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : get_unused_fd_flags((unsigned int)flags & O_CLOEXEC);
	err = fds[1] < 0 ? fds[1] : copy_to_user(usv, fds, sizeof(fds));
	if (err) {
		if (fds[0] >= 0)
			put_unused_fd(fds[0]);
		if (fds[1] >= 0)
			put_unused_fd(fds[1]);
		fput(fa);
		fput(fb);
		return err;
	}
	fd_install_at(fds[0], fa);
	fd_install_at(fds[1], fb);
	return 0;
}
