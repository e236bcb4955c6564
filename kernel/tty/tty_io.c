/* The tty layer's files (Linux: drivers/tty/tty_io.c): the console tty on
 * the UART, and the character devices that open it: /dev/ttyS0 (4:64),
 * /dev/console (5:1) and /dev/tty (5:0, whatever the caller's controlling
 * terminal is). Reads, writes and poll go to the n_tty line discipline. */
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

static struct tty_struct *console_tty; /* ttyS0: the UART, also /dev/console */

static struct tty_struct *alloc_tty(const char *name, u32 dev, const struct tty_operations *ops)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty));

	if (!tty)
		return NULL;
	tty->name = name;
	tty->dev = dev;
	tty->ops = ops;
	spin_lock_init(&tty->ldisc_lock);
	spin_lock_init(&tty->ctrl_lock);
	tty->termios = tty_std_termios;
	tty->winsize = (struct winsize){ .ws_row = 24, .ws_col = 80 };
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

static struct tty_struct *tty_lookup(u32 dev)
{
	if (dev == MKDEV(TTYAUX_MAJOR, 1) || dev == MKDEV(TTY_MAJOR, 64))
		return console_tty;
	return NULL;
}

/* Unlike Linux, opening /dev/console may make it the controlling tty
 * (Linux opens it O_NOCTTY always): the console is the only terminal,
 * and a shell started on it should get job control. */
static int tty_open(struct inode *inode, struct file *f)
{
	struct tty_struct *tty;
	bool noctty = f->f_flags & O_NOCTTY;

	if (inode->i_rdev == MKDEV(TTYAUX_MAJOR, 0)) {
		tty = get_current_tty();
		if (!tty)
			return -ENXIO;
		noctty = true; /* it is the controlling tty already */
	} else if (!(tty = tty_lookup(inode->i_rdev))) {
		return -ENXIO;
	}
	f->private_data = tty;
	__atomic_add_fetch(&tty->count, 1, __ATOMIC_RELAXED);
	if (!noctty)
		tty_open_proc_set_tty(f, tty);
	return 0;
}

static int tty_release(struct inode *inode, struct file *f)
{
	struct tty_struct *tty = f->private_data;

	(void)inode;
	__atomic_sub_fetch(&tty->count, 1, __ATOMIC_RELAXED);
	return 0; /* the console tty lives forever */
}

static ssize_t tty_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)pos;
	return n_tty_read(f->private_data, f, to);
}

static ssize_t tty_write(struct file *f, struct iov_iter *from, u64 *pos)
{
	(void)pos;
	return n_tty_write(f->private_data, f, from);
}

static __poll_t tty_poll(struct file *f, poll_table *pt)
{
	return n_tty_poll(f->private_data, f, pt);
}

/* TIOCSWINSZ: the foreground group hears of a change by SIGWINCH. */
static long tiocswinsz(struct tty_struct *tty, struct winsize __user *p)
{
	struct winsize ws;

	if (copy_from_user(&ws, p, sizeof(ws)))
		return -EFAULT;
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
	long ret = tty_jobctrl_ioctl(tty, f, cmd, arg);

	if (ret != -ENOIOCTLCMD)
		return ret;
	switch (cmd) {
	case TIOCGWINSZ: {
		spin_lock(&tty->ctrl_lock);
		struct winsize ws = tty->winsize;
		spin_unlock(&tty->ctrl_lock);
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ:
		return tiocswinsz(tty, (struct winsize __user *)arg);
	case TIOCSTI:
		return tiocsti(tty, (const char __user *)arg);
	case FIONREAD: {
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
	console_tty = alloc_tty("ttyS0", MKDEV(TTY_MAJOR, 64), &uart_tty_ops);
	if (!console_tty) {
		pr_err("tty: no memory for the console tty\n");
		return;
	}
	tty_port_attach(&uart_port, console_tty);
	if (register_chrdev(TTYAUX_MAJOR, 0, 1, "/dev/tty", &tty_fops) ||
	    register_chrdev(TTYAUX_MAJOR, 1, 1, "/dev/console", &tty_fops) ||
	    register_chrdev(TTY_MAJOR, 64, 1, "ttyS", &tty_fops))
		pr_err("tty: cannot register the tty devices\n");
}
