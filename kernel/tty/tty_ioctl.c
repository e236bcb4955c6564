/* Terminal mode ioctls (Linux: drivers/tty/tty_ioctl.c): termios get and
 * set (tcgetattr/tcsetattr), input flushing and output flow control.
 * Output is written to the UART synchronously, so there is never output
 * to wait for (TCSETSW, tcdrain) or to throw away (TCOFLUSH). */
#include "kernel/tty/tty.h"
#include "kernel/uaccess.h"

/* Bit rates of the Bxxx codes in c_cflag & CBAUD (CBAUDEX: the high ones). */
static const speed_t baud_table[] = {
	0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
	57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000,
	2000000, 2500000, 3000000, 3500000, 4000000,
};
#define CBAUDEX 0x00001000
#define BOTHER 0x00001000

static speed_t cflag_baud(tcflag_t cflag, speed_t given)
{
	unsigned int code = cflag & CBAUD;

	if (code == BOTHER)
		return given; /* termios2: the speed field says it */
	if (code & CBAUDEX)
		code = 15 + (code & ~CBAUDEX);
	return code < ARRAY_SIZE(baud_table) ? baud_table[code] : given;
}

static int get_termios(struct tty_struct *tty, void __user *arg, size_t size)
{
	spin_lock(&tty->ldisc_lock);
	struct ktermios kt = tty->termios;
	spin_unlock(&tty->ldisc_lock);
	return copy_to_user(arg, &kt, size) ? -EFAULT : 0;
}

/* tcsetattr: size is the user structure's (termios or termios2); flush
 * throws away unread input first (TCSAFLUSH). */
static int set_termios(struct tty_struct *tty, void __user *arg, size_t size, bool flush)
{
	struct ktermios kt, old;
	int ret = tty_check_change(tty);

	if (ret)
		return ret;
	spin_lock(&tty->ldisc_lock);
	kt = tty->termios;
	spin_unlock(&tty->ldisc_lock);
	if (copy_from_user(&kt, arg, size))
		return -EFAULT;
	kt.c_ospeed = cflag_baud(kt.c_cflag, kt.c_ospeed);
	kt.c_ispeed = kt.c_cflag >> 16 & CBAUD ? cflag_baud(kt.c_cflag >> 16, kt.c_ispeed) : kt.c_ospeed;
	spin_lock(&tty->ldisc_lock);
	if (flush)
		n_tty_flush_input(tty);
	old = tty->termios;
	tty->termios = kt;
	n_tty_set_termios(tty, &old);
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty, &old);
	spin_unlock(&tty->ldisc_lock);
	return 0;
}

static int tty_flush(struct tty_struct *tty, unsigned long which)
{
	int ret = tty_check_change(tty);

	if (ret)
		return ret;
	if (which > TCIOFLUSH)
		return -EINVAL;
	if (which != TCOFLUSH) {
		spin_lock(&tty->ldisc_lock);
		n_tty_flush_input(tty);
		spin_unlock(&tty->ldisc_lock);
	}
	/* Output goes out at once: nothing to throw away, but a pty master
	 * in packet mode hears of the flush. */
	tty_packet_event(tty, (which != TCOFLUSH ? TIOCPKT_FLUSHREAD : 0) |
				      (which != TCIFLUSH ? TIOCPKT_FLUSHWRITE : 0), 0);
	return 0;
}

/* tcflow: suspend/resume our output, or send STOP/START to the other end. */
static int tty_xonc(struct tty_struct *tty, unsigned long action)
{
	int ret = tty_check_change(tty);

	if (ret)
		return ret;
	if (action > TCION)
		return -EINVAL;
	spin_lock(&tty->ldisc_lock);
	if (action == TCOOFF) {
		tty_stop(tty);
	} else if (action == TCOON) {
		tty_start(tty);
	} else {
		u8 c = tty->termios.c_cc[action == TCIOFF ? VSTOP : VSTART];
		if (c != _POSIX_VDISABLE)
			tty->ops->write(tty, &c, 1);
	}
	spin_unlock(&tty->ldisc_lock);
	return 0;
}

long tty_mode_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	struct tty_struct *real = tty_pair_get_tty(tty); /* termios: a pty pair's is the slave's */

	(void)f;
	switch (cmd) {
	case TCGETS:
		return get_termios(real, p, TERMIOS_SIZE);
	case TCGETS2:
		return get_termios(real, p, TERMIOS2_SIZE);
	case TCSETS:
	case TCSETSW:
		return set_termios(real, p, TERMIOS_SIZE, false);
	case TCSETSF:
		return set_termios(real, p, TERMIOS_SIZE, true);
	case TCSETS2:
	case TCSETSW2:
		return set_termios(real, p, TERMIOS2_SIZE, false);
	case TCSETSF2:
		return set_termios(real, p, TERMIOS2_SIZE, true);
	case TCFLSH:
		return tty_flush(tty, arg);
	case TCXONC:
		return tty_xonc(tty, arg);
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		return 0; /* tcdrain/tcsendbreak: nothing queued, no break to send */
	}
	return -ENOTTY;
}
