/* Unix 98 pseudo-terminals (Linux: drivers/tty/pty.c): opening /dev/ptmx
 * (5:2) makes a master and slave pair and /dev/pts/N for the slave. What
 * one side writes goes, through the other side's flip buffer and its line
 * discipline, to the other side's readers: the master gets what the slave
 * wrote after output processing, the slave gets master writes as typed
 * input (echo goes back to the master). The master's close hangs the
 * slave up; the slave's last close makes master reads fail with EIO. */
#include "kernel/tty/tty.h"
#include "kernel/fs/devpts.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/file.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/wait.h"

#define UNIX98_PTY_MASTER_MAJOR 128
#define TTYAUX_MAJOR 5
#define PTMX_MINOR 2

static struct tty_driver ptm_driver, pts_driver;
/* The masters by index, while open (the slave's open finds the pair
 * here). Protects ptm_ttys[] and taking a reference on a pair in it. */
static struct tty_struct *ptm_ttys[NR_UNIX98_PTY_MAX];
static DEFINE_SPINLOCK(ptm_lock);

static bool pty_is_master(const struct tty_struct *tty)
{
	return tty->driver == &ptm_driver;
}

/* Into the other side's flip buffer; the worker hands it to its ldisc. */
static size_t pty_write(struct tty_struct *tty, const u8 *buf, size_t n)
{
	struct tty_port *to = tty->link->port;
	size_t c = tty_insert_flip_string(to, buf, n);

	if (c)
		tty_flip_buffer_push(to);
	return c;
}

static size_t pty_write_room(struct tty_struct *tty)
{
	return tty->stopped ? 0 : tty_buffer_space(tty->link->port);
}

/* Masters are opened through /dev/ptmx only (Linux: ptm_unix98_lookup). */
static struct tty_struct *ptm_lookup(struct tty_driver *d, struct file *f, u32 dev)
{
	(void)d, (void)f, (void)dev;
	return ERR_PTR(-EIO);
}

/* /dev/pts/N: the slave of a master that is open. */
static struct tty_struct *pts_lookup(struct tty_driver *d, struct file *f, u32 dev)
{
	unsigned int idx = MINOR(dev) - d->minor_start;
	struct tty_struct *slave = ERR_PTR(-EIO);

	(void)f;
	spin_lock(&ptm_lock);
	if (idx < NR_UNIX98_PTY_MAX && ptm_ttys[idx]) {
		slave = ptm_ttys[idx]->link;
		tty_kref_get(slave);
	}
	spin_unlock(&ptm_lock);
	return slave;
}

/* A slave open: refused while locked (before unlockpt) or hung up. */
static int pty_open(struct tty_struct *tty, struct file *f)
{
	(void)f;
	if (pty_is_master(tty))
		return 0;
	if (tty_test_flag(tty->link, TTY_PTY_LOCK) || tty_test_flag(tty, TTY_OTHER_CLOSED) ||
	    tty_test_flag(tty, TTY_HUPPED))
		return -EIO;
	tty_set_flag(tty->link, TTY_OTHER_CLOSED, false);
	return 0;
}

/* Both sides closed (called once, under the pair's legacy_mutex): the
 * number may go to a new pair now, though references to this one (a
 * hung-up controlling tty, the flip worker) may keep it a while (Linux:
 * pty_unix98_shutdown). */
static void pty_shutdown(struct tty_struct *master)
{
	devpts_kill_index(master->index);
}

static void pty_close(struct tty_struct *tty, struct file *f)
{
	struct tty_struct *other = tty->link;

	(void)f;
	if (!pty_is_master(tty)) {
		if (__atomic_load_n(&tty->count, __ATOMIC_ACQUIRE) > 1)
			return; /* not the last slave file */
		tty_set_flag(other, TTY_OTHER_CLOSED, true);
		wake_up_all(&other->read_wait);
		wake_up_all(&other->write_wait);
		if (!__atomic_load_n(&other->count, __ATOMIC_ACQUIRE))
			pty_shutdown(other);
		return;
	}
	/* The master's one file: the pair cannot be opened again. */
	spin_lock(&ptm_lock);
	ptm_ttys[tty->index] = NULL;
	spin_unlock(&ptm_lock);
	tty_set_flag(other, TTY_OTHER_CLOSED, true);
	tty_set_flag(tty, TTY_OTHER_CLOSED, true);
	if (other->driver_data) {
		devpts_pty_kill(other->driver_data);
		other->driver_data = NULL;
	}
	tty_vhangup(other);
	if (!__atomic_load_n(&other->count, __ATOMIC_ACQUIRE))
		pty_shutdown(tty);
}

/* The last reference to the pair (the master's kref counts both). */
static void pty_cleanup(struct tty_struct *master)
{
	struct tty_struct *slave = master->link;

	kfree(slave->port);
	kfree(slave->disc_data);
	kfree(slave);
	kfree(master->port);
}

/* TIOCGPTPEER (glibc's openpty): open the slave through the devpts mount of this ptmx
 * (its own, or the "pts" beside it), as Linux, without a path lookup. */
static long pty_get_peer(struct tty_struct *tty, struct file *master, unsigned long flags)
{
	struct dentry *slave_d = tty->link->driver_data;
	struct vfsmount *mnt = NULL;
	struct file *f;
	int fd;

	/* Linux takes the flags as given; open flags that make no sense
	 * for a tty (O_CREAT, O_TRUNC...) are dropped here. */
	flags &= O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	if (!slave_d)
		return -EIO;
	if (is_devpts_sb(master->f_dentry->d_sb)) {
		mnt = mntget(master->f_vfsmnt);
	} else {
		struct qstr q = { "pts", 3, full_name_hash("pts", 3) };
		struct dentry *pts = d_lookup(master->f_dentry->d_parent, &q);
		if (pts) {
			mnt = lookup_mnt(master->f_vfsmnt, pts);
			dput(pts);
		}
		if (mnt && !is_devpts_sb(mnt->mnt_sb)) {
			mntput(mnt);
			mnt = NULL;
		}
	}
	if (!mnt)
		return -ENOTTY; /* no devpts where Linux would look */
	struct path p = { .mnt = mnt, .dentry = slave_d };
	f = dentry_open(&p, (int)flags);
	mntput(mnt);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_flags(f, (unsigned int)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

static long pty_unix98_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd,
			     unsigned long arg)
{
	int __user *p = (int __user *)arg;
	int v;

	if (!pty_is_master(tty))
		return -ENOIOCTLCMD;
	switch (cmd) {
	case TIOCGPTN:
		return put_user(tty->index, p) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(v, p))
			return -EFAULT;
		tty_set_flag(tty, TTY_PTY_LOCK, v != 0);
		return 0;
	case TIOCGPTLCK:
		return put_user(tty_test_flag(tty, TTY_PTY_LOCK), p) ? -EFAULT : 0;
	case TIOCGPTPEER:
		return pty_get_peer(tty, f, arg);
	case TIOCPKT:
		if (get_user(v, p))
			return -EFAULT;
		spin_lock(&tty->link->ctrl_lock);
		if (v && !tty->packet)
			tty->link->pktstatus = 0; /* only events from now on */
		tty->packet = v != 0;
		spin_unlock(&tty->link->ctrl_lock);
		return 0;
	case TIOCGPKT:
		return put_user(tty_packet_mode(tty), p) ? -EFAULT : 0;
	}
	return -ENOIOCTLCMD;
}

static const struct tty_operations ptm_unix98_ops = {
	.lookup = ptm_lookup,
	.open = pty_open,
	.close = pty_close,
	.cleanup = pty_cleanup,
	.write = pty_write,
	.write_room = pty_write_room,
	.ioctl = pty_unix98_ioctl,
};

static const struct tty_operations pty_unix98_ops = {
	.lookup = pts_lookup,
	.open = pty_open,
	.close = pty_close,
	.write = pty_write,
	.write_room = pty_write_room,
	.ioctl = pty_unix98_ioctl,
};

static struct tty_port *pty_port(struct tty_struct *tty)
{
	struct tty_port *port = kmalloc(sizeof(*port));

	if (port) {
		tty_port_init(port);
		port->tty = NULL;
		tty->port = port;
	}
	return port;
}

/* A new pair at idx, with /dev/pts/idx; the master referenced (kref 1). */
static struct tty_struct *pty_pair_new(int idx)
{
	struct tty_struct *master = alloc_tty_struct(&ptm_driver, idx);
	struct tty_struct *slave = master ? alloc_tty_struct(&pts_driver, idx) : NULL;
	struct dentry *d = ERR_PTR(-ENOMEM);

	if (slave) {
		master->link = slave;
		slave->link = master;
		snprintf(slave->name_buf, sizeof(slave->name_buf), "pts/%d", idx);
		slave->name = slave->name_buf;
		if (pty_port(master) && pty_port(slave))
			d = devpts_pty_new(idx);
	}
	if (IS_ERR(d)) {
		devpts_kill_index(idx);
		if (slave)
			pty_cleanup(master);
		if (master)
			kfree(master->disc_data);
		kfree(master);
		return ERR_PTR(PTR_ERR(d));
	}
	slave->driver_data = d;
	tty_port_attach(master->port, master);
	tty_port_attach(slave->port, slave);
	tty_set_flag(master, TTY_PTY_LOCK, true); /* until unlockpt */
	return master;
}

/* /dev/ptmx: a new master. Never the controlling tty (it is no terminal
 * of a session: its slave is). */
static int ptmx_open(struct inode *inode, struct file *f)
{
	int idx = devpts_new_index();
	struct tty_struct *master;

	(void)inode;
	if (idx < 0)
		return idx;
	master = pty_pair_new(idx);
	if (IS_ERR(master))
		return PTR_ERR(master);
	spin_lock(&ptm_lock);
	ptm_ttys[idx] = master;
	spin_unlock(&ptm_lock);
	return tty_open_file(f, master, true);
}

static const struct file_operations ptmx_fops = {
	.open = ptmx_open,
};

/* Linux's pty driver termios: the master raw, the slave a normal terminal. */
void pty_init(void)
{
	ptm_driver = (struct tty_driver){
		.name = "ptm", .major = UNIX98_PTY_MASTER_MAJOR, .num = NR_UNIX98_PTY_MAX,
		.type = TTY_DRIVER_TYPE_PTY, .subtype = PTY_TYPE_MASTER,
		.init_termios = tty_std_termios, .ops = &ptm_unix98_ops, .other = &pts_driver,
	};
	ptm_driver.init_termios.c_iflag = 0;
	ptm_driver.init_termios.c_oflag = 0;
	ptm_driver.init_termios.c_cflag = B38400 | CS8 | CREAD;
	ptm_driver.init_termios.c_lflag = 0;
	pts_driver = (struct tty_driver){
		.name = "pts", .major = UNIX98_PTY_SLAVE_MAJOR, .num = NR_UNIX98_PTY_MAX,
		.type = TTY_DRIVER_TYPE_PTY, .subtype = PTY_TYPE_SLAVE,
		.init_termios = tty_std_termios, .ops = &pty_unix98_ops, .other = &ptm_driver,
	};
	pts_driver.init_termios.c_cflag = B38400 | CS8 | CREAD;
	devpts_init();
	if (tty_register_driver(&ptm_driver) || tty_register_driver(&pts_driver) ||
	    register_chrdev(TTYAUX_MAJOR, PTMX_MINOR, 1, "/dev/ptmx", &ptmx_fops))
		pr_err("pty: cannot register the pty devices\n");
}
