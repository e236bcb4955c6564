/* The tty layer's files (Linux: drivers/tty/tty_io.c): the registered
 * tty drivers and the lifetime of their ttys (opened by device number,
 * freed with the last reference), the console tty on the UART with
 * /dev/ttyS0 (4:64), /dev/console (5:1) and /dev/tty (5:0, whatever the
 * caller's controlling terminal is), and hangup. Reads, writes and poll
 * go to the n_tty line discipline. */
#include "kernel/tty/tty.h"
#include "kernel/console.h"
#include "kernel/fs/fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/wait.h"

#define TTY_MAJOR 4     /* ttyS0 is 4:64 (Linux's serial minors start there) */
#define TTYAUX_MAJOR 5  /* /dev/tty, /dev/console */
#define N_TTY 0         /* the only line discipline (TIOCGETD) */

/* Linux's tty_std_termios: cooked input, echo, signals, \n -> \r\n. */
const struct ktermios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 0x03,    /* ^C */
		[VQUIT] = 0x1c,    /* ^\ */
		[VERASE] = 0x7f,   /* DEL */
		[VKILL] = 0x15,    /* ^U */
		[VEOF] = 0x04,     /* ^D */
		[VMIN] = 1,
		[VSTART] = 0x11,   /* ^Q */
		[VSTOP] = 0x13,    /* ^S */
		[VSUSP] = 0x1a,    /* ^Z */
		[VREPRINT] = 0x12, /* ^R */
		[VDISCARD] = 0x0f, /* ^O */
		[VWERASE] = 0x17,  /* ^W */
		[VLNEXT] = 0x16,   /* ^V */
	},
	.c_ispeed = 38400,
	.c_ospeed = 38400,
};

/* Registered drivers, found by device number at open (Linux keeps
 * tty_drivers, a list). Only grows, at boot. */
#define MAX_TTY_DRIVERS 4
static struct tty_driver *tty_drivers[MAX_TTY_DRIVERS];
static int nr_tty_drivers;

static const struct file_operations tty_fops;

int tty_register_driver(struct tty_driver *driver)
{
	if (nr_tty_drivers == MAX_TTY_DRIVERS)
		return -ENOSPC;
	int err = register_chrdev(driver->major, driver->minor_start, driver->num, driver->name,
				  &tty_fops);
	if (!err)
		tty_drivers[nr_tty_drivers++] = driver;
	return err;
}

static struct tty_driver *tty_driver_of(u32 dev)
{
	for (int i = 0; i < nr_tty_drivers; i++) {
		struct tty_driver *d = tty_drivers[i];
		if (MAJOR(dev) == d->major && MINOR(dev) >= d->minor_start &&
		    MINOR(dev) < d->minor_start + d->num)
			return d;
	}
	return NULL;
}

struct tty_struct *alloc_tty_struct(struct tty_driver *driver, int index)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty));

	if (!tty)
		return NULL;
	tty->name = driver->name;
	tty->driver = driver;
	tty->index = index;
	tty->dev = MKDEV(driver->major, driver->minor_start + index);
	tty->ops = driver->ops;
	tty->kref = 1;
	spin_lock_init(&tty->ldisc_lock);
	spin_lock_init(&tty->ctrl_lock);
	tty->termios = driver->init_termios;
	tty->winsize = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	mutex_init(&tty->legacy_mutex);
	mutex_init(&tty->atomic_write_lock);
	mutex_init(&tty->atomic_read_lock);
	init_waitqueue_head(&tty->read_wait);
	init_waitqueue_head(&tty->write_wait);
	if (n_tty_open(tty)) {
		kfree(tty);
		return NULL;
	}
	return tty;
}

/* The struct whose kref counts for tty: a pty slave's master. */
static struct tty_struct *kref_owner(struct tty_struct *tty)
{
	struct tty_driver *d = tty->driver;
	return d->type == TTY_DRIVER_TYPE_PTY && d->subtype == PTY_TYPE_SLAVE ? tty->link : tty;
}

void tty_kref_get(struct tty_struct *tty)
{
	__atomic_add_fetch(&kref_owner(tty)->kref, 1, __ATOMIC_RELAXED);
}

void tty_kref_put(struct tty_struct *tty)
{
	tty = kref_owner(tty);
	if (__atomic_sub_fetch(&tty->kref, 1, __ATOMIC_ACQ_REL))
		return;
	if (tty->ops->cleanup)
		tty->ops->cleanup(tty); /* ptys free the slave there */
	kfree(tty->disc_data);
	kfree(tty);
}

/* ---- the serial console (ttyS0, /dev/console) ---- */

static struct tty_struct *console_tty; /* the UART's; lives forever */

static struct tty_driver serial_driver = {
	.name = "ttyS", .major = TTY_MAJOR, .minor_start = 64, .num = 1,
	.type = TTY_DRIVER_TYPE_SERIAL, .ttys = &console_tty,
};

/* The tty of dev, referenced: the driver's own lookup, or its table. */
static struct tty_struct *tty_driver_lookup(struct tty_driver *d, struct file *f, u32 dev)
{
	struct tty_struct *tty;

	if (d->ops->lookup)
		return d->ops->lookup(d, f, dev);
	tty = d->ttys ? d->ttys[MINOR(dev) - d->minor_start] : NULL;
	if (!tty)
		return ERR_PTR(-ENXIO);
	tty_kref_get(tty);
	return tty;
}

/* Hung up: reads see end of file, writes fail (Linux swaps in
 * hung_up_tty_fops; here the tty says it). */
static bool tty_hung_up_p(struct tty_struct *tty)
{
	return tty_test_flag(tty, TTY_HUPPED);
}

int tty_open_file(struct file *f, struct tty_struct *tty, bool noctty)
{
	struct mutex *lock = &kref_owner(tty)->legacy_mutex;
	int err = 0;

	f->f_op = &tty_fops;
	f->private_data = tty;
	mutex_lock(lock);
	__atomic_add_fetch(&tty->count, 1, __ATOMIC_RELAXED);
	if (tty->ops->open && (err = tty->ops->open(tty, f)))
		__atomic_sub_fetch(&tty->count, 1, __ATOMIC_RELAXED);
	mutex_unlock(lock);
	if (err) {
		tty_kref_put(tty);
		f->private_data = NULL;
		return err;
	}
	if (!noctty && !tty_hung_up_p(tty))
		tty_open_proc_set_tty(f, tty);
	return 0;
}

/* Unlike Linux, opening /dev/console may make it the controlling tty
 * (Linux opens it O_NOCTTY always): the console is the only terminal,
 * and a shell started on it should get job control. */
static int tty_open(struct inode *inode, struct file *f)
{
	struct tty_struct *tty;
	bool noctty = f->f_flags & O_NOCTTY;

	if (inode->i_rdev == MKDEV(TTYAUX_MAJOR, 0)) {
		tty = get_current_tty_ref();
		if (!tty)
			return -ENXIO;
		noctty = true; /* it is the controlling tty already */
	} else if (inode->i_rdev == MKDEV(TTYAUX_MAJOR, 1)) {
		tty = tty_driver_lookup(&serial_driver, f, MKDEV(TTY_MAJOR, 64));
	} else {
		struct tty_driver *d = tty_driver_of(inode->i_rdev);
		if (!d)
			return -ENXIO;
		tty = tty_driver_lookup(d, f, inode->i_rdev);
	}
	if (IS_ERR(tty))
		return PTR_ERR(tty);
	return tty_open_file(f, tty, noctty);
}

static int tty_release(struct inode *inode, struct file *f)
{
	struct tty_struct *tty = f->private_data;

	struct mutex *lock = &kref_owner(tty)->legacy_mutex;

	(void)inode;
	mutex_lock(lock);
	if (tty->ops->close)
		tty->ops->close(tty, f);
	__atomic_sub_fetch(&tty->count, 1, __ATOMIC_RELAXED);
	mutex_unlock(lock);
	tty_kref_put(tty);
	return 0;
}

static bool is_pty_slave(struct tty_struct *tty)
{
	return tty->link && tty_pair_get_tty(tty) == tty;
}

void tty_packet_event(struct tty_struct *tty, u8 set, u8 clear)
{
	bool wake = false;

	if (!is_pty_slave(tty))
		return;
	spin_lock(&tty->ctrl_lock);
	if (tty->link->packet) {
		tty->pktstatus = (u8)((tty->pktstatus & ~clear) | set);
		wake = true;
	}
	spin_unlock(&tty->ctrl_lock);
	if (wake)
		wake_up_all(&tty->link->read_wait);
}

bool tty_packet_mode(struct tty_struct *tty)
{
	struct tty_struct *slave = tty_pair_get_tty(tty);

	if (slave == tty)
		return false;
	spin_lock(&slave->ctrl_lock);
	bool on = tty->packet;
	spin_unlock(&slave->ctrl_lock);
	return on;
}

u8 tty_pktstatus(struct tty_struct *tty, bool take)
{
	struct tty_struct *slave = tty_pair_get_tty(tty);
	u8 st = 0;

	if (slave == tty)
		return 0;
	spin_lock(&slave->ctrl_lock);
	if (tty->packet) {
		st = slave->pktstatus;
		if (take)
			slave->pktstatus = 0;
	}
	spin_unlock(&slave->ctrl_lock);
	return st;
}

void tty_vhangup(struct tty_struct *tty)
{
	tty_set_flag(tty, TTY_HUPPED, true);
	spin_lock(&tty->ldisc_lock);
	n_tty_flush_input(tty);
	spin_unlock(&tty->ldisc_lock);
	wake_up_all(&tty->read_wait);
	wake_up_all(&tty->write_wait);
	tty_signal_session_leader(tty);
}

static ssize_t tty_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)pos;
	if (tty_hung_up_p(f->private_data))
		return 0;
	return n_tty_read(f->private_data, f, to);
}

static ssize_t tty_write(struct file *f, struct iov_iter *from, u64 *pos)
{
	(void)pos;
	if (tty_hung_up_p(f->private_data))
		return -EIO;
	return n_tty_write(f->private_data, f, from);
}

static __poll_t tty_poll(struct file *f, poll_table *pt)
{
	if (tty_hung_up_p(f->private_data))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
	return n_tty_poll(f->private_data, f, pt);
}

/* TIOCSWINSZ: the foreground group hears of a change by SIGWINCH. A pty
 * pair has one size, the slave's (set from either side, as Linux). */
static long tiocswinsz(struct tty_struct *tty, struct winsize __user *p)
{
	struct winsize ws;

	if (copy_from_user(&ws, p, sizeof(ws)))
		return -EFAULT;
	tty = tty_pair_get_tty(tty);
	spin_lock(&tty->ctrl_lock);
	bool changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
	tty->winsize = ws;
	int pgrp = tty->pgrp;
	spin_unlock(&tty->ctrl_lock);
	if (changed && pgrp > 0)
		kill_pgrp(pgrp, SIGWINCH);
	return 0;
}

/* TIOCSTI: as if c had been typed (root only in Linux; all are root here). */
static long tiocsti(struct tty_struct *tty, const char __user *p)
{
	u8 c;

	if (get_user(c, (const u8 __user *)p))
		return -EFAULT;
	n_tty_receive_buf(tty, &c, 1);
	return 0;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = f->private_data;
	int __user *p = (int __user *)arg;
	long ret;

	if (tty_hung_up_p(tty))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	if (tty->ops->ioctl && (ret = tty->ops->ioctl(tty, f, cmd, arg)) != -ENOIOCTLCMD)
		return ret;
	if ((ret = tty_jobctrl_ioctl(tty, f, cmd, arg)) != -ENOIOCTLCMD)
		return ret;
	switch (cmd) {
	case TIOCGWINSZ: {
		struct tty_struct *w = tty_pair_get_tty(tty);
		spin_lock(&w->ctrl_lock);
		struct winsize ws = w->winsize;
		spin_unlock(&w->ctrl_lock);
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ:
		return tiocswinsz(tty, (struct winsize __user *)arg);
	case TIOCSTI:
		return tiocsti(tty, (const char __user *)arg);
	case FIONREAD: {
		tty_buffer_flush_work(tty->port);
		spin_lock(&tty->ldisc_lock);
		int n = (int)n_tty_chars_in_buffer(tty);
		spin_unlock(&tty->ldisc_lock);
		return put_user(n, p) ? -EFAULT : 0;
	}
	case TIOCOUTQ:
		return put_user(0, p) ? -EFAULT : 0; /* written synchronously */
	case TIOCGETD:
		return put_user(N_TTY, p) ? -EFAULT : 0;
	case TIOCSETD: {
		int ld;
		if (get_user(ld, p))
			return -EFAULT;
		return ld == N_TTY ? 0 : -EINVAL;
	}
	case TIOCEXCL:
	case TIOCNXCL:
		return 0; /* exclusive mode only keeps non-root out: all are root */
	case TIOCGEXCL:
		return put_user(0, p) ? -EFAULT : 0;
	case FIONBIO: {
		int on;
		if (get_user(on, p))
			return -EFAULT;
		spin_lock(&f->f_lock);
		f->f_flags = on ? f->f_flags | O_NONBLOCK : f->f_flags & ~O_NONBLOCK;
		spin_unlock(&f->f_lock);
		return 0;
	}
	}
	return tty_mode_ioctl(tty, f, cmd, arg);
}

static const struct file_operations tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read_iter = tty_read,
	.write_iter = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

void tty_init(void)
{
	serial_driver.ops = &uart_tty_ops;
	serial_driver.init_termios = tty_std_termios;
	console_tty = alloc_tty_struct(&serial_driver, 0);
	if (!console_tty) {
		pr_err("tty: no memory for the console tty\n");
		return;
	}
	console_tty->name = "ttyS0";
	tty_port_attach(&uart_port, console_tty);
	if (register_chrdev(TTYAUX_MAJOR, 0, 1, "/dev/tty", &tty_fops) ||
	    register_chrdev(TTYAUX_MAJOR, 1, 1, "/dev/console", &tty_fops) ||
	    tty_register_driver(&serial_driver))
		pr_err("tty: cannot register the tty devices\n");
	pty_init();
}
