/* The n_tty line discipline (Linux: drivers/tty/n_tty.c): canonical mode
 * (line editing with ERASE, WERASE, KILL, LNEXT, REPRINT; lines end at NL,
 * EOL, EOL2 or EOF), raw mode with VMIN/VTIME, echo, the signal characters
 * (ISIG), ^S/^Q flow control and output processing (OPOST). Received bytes
 * come from the tty worker thread or TIOCSTI: always process context. */
#include "kernel/tty/tty.h"
#include "kernel/fs/fs.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/printk.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/wait.h"

#define N_TTY_BUF_SIZE 4096 /* a power of two */
#define IDX(i) ((i) & (N_TTY_BUF_SIZE - 1))
#define NS_PER_DECISECOND 100000000ULL

/* The line discipline's state; the tty's ldisc_lock protects all of it. */
struct n_tty_data {
	/* Free-running positions in buf. [read_tail, canon_head): complete
	 * lines; [canon_head, read_head): the line being edited. Raw-mode
	 * readers take everything in [read_tail, read_head). */
	size_t read_head, canon_head, read_tail;
	unsigned int column;        /* output column, for tabs and erasing */
	unsigned int canon_column;  /* column where the edited line began */
	bool icanon;                /* ICANON as the buffer is laid out */
	bool lnext;                 /* the next byte is taken literally (^V) */
	u8 buf[N_TTY_BUF_SIZE];
	/* Per position: it ends a line (delim), and that end is an EOF (^D),
	 * which the reader does not get. */
	unsigned long delim[N_TTY_BUF_SIZE / 64], eof[N_TTY_BUF_SIZE / 64];
};

static bool test_pos(const unsigned long *map, size_t i)
{
	return (map[IDX(i) / 64] >> (IDX(i) % 64)) & 1;
}

static void assign_pos(unsigned long *map, size_t i, bool on)
{
	unsigned long bit = 1UL << (IDX(i) % 64);

	if (on)
		map[IDX(i) / 64] |= bit;
	else
		map[IDX(i) / 64] &= ~bit;
}

static size_t read_cnt(const struct n_tty_data *ld)
{
	return ld->read_head - ld->read_tail;
}

/* A c_cc entry matches c (0 entries are switched off). */
static bool is_cc(const struct tty_struct *tty, int which, u8 c)
{
	cc_t v = tty->termios.c_cc[which];
	return v != _POSIX_VDISABLE && v == c;
}

static bool is_ctl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte takes no column of its own. */
static bool is_continuation(const struct tty_struct *tty, u8 c)
{
	return I_FLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}

static bool is_word_char(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int n_tty_open(struct tty_struct *tty)
{
	struct n_tty_data *ld = kzalloc(sizeof(*ld));

	if (!ld)
		return -ENOMEM;
	ld->icanon = L_FLAG(tty, ICANON);
	tty->disc_data = ld;
	return 0;
}

/* ---- output ---------------------------------------------------------- */

/* Bytes on their way to the driver, sent in chunks (ldisc_lock held). */
struct obuf {
	struct tty_struct *tty;
	size_t n;
	size_t total;               /* bytes put, flushed or not */
	u8 b[128];
};

static void obuf_flush(struct obuf *o)
{
	if (o->n)
		o->tty->ops->write(o->tty, o->b, o->n);
	o->n = 0;
}

static void obuf_put(struct obuf *o, const u8 *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o->n == sizeof(o->b))
			obuf_flush(o);
		o->b[o->n++] = s[i];
		o->total++;
	}
}

/* OPOST: one byte as the terminal should get it, with the column kept. */
static void out_char(struct obuf *o, u8 c)
{
	struct tty_struct *tty = o->tty;
	struct n_tty_data *ld = tty->disc_data;
	static const u8 spaces[8] = "        ";

	if (!O_FLAG(tty, OPOST)) {
		obuf_put(o, &c, 1);
		return;
	}
	switch (c) {
	case '\n':
		if (O_FLAG(tty, ONLRET) || O_FLAG(tty, ONLCR))
			ld->column = 0;
		if (O_FLAG(tty, ONLCR)) {
			obuf_put(o, (const u8 *)"\r\n", 2);
			return;
		}
		break;
	case '\r':
		if (O_FLAG(tty, ONOCR) && ld->column == 0)
			return;
		if (O_FLAG(tty, OCRNL)) {
			c = '\n';
			if (O_FLAG(tty, ONLRET))
				ld->column = 0;
			break;
		}
		ld->column = 0;
		break;
	case '\t': {
		unsigned int n = 8 - (ld->column & 7);
		ld->column += n;
		if ((tty->termios.c_oflag & TABDLY) == XTABS) {
			obuf_put(o, spaces, n);
			return;
		}
		break;
	}
	case '\b':
		if (ld->column)
			ld->column--;
		break;
	default:
		if (!is_ctl(c)) {
			if (O_FLAG(tty, OLCUC) && c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (!is_continuation(tty, c))
				ld->column++;
		}
	}
	obuf_put(o, &c, 1);
}

static void out_str(struct obuf *o, const char *s)
{
	while (*s)
		out_char(o, (u8)*s++);
}

/* Echo of an input byte: with ECHOCTL a control character shows as ^X
 * (DEL as ^?); tab and newline go out as themselves. */
static void echo_char(struct obuf *o, u8 c)
{
	struct tty_struct *tty = o->tty;

	if (L_FLAG(tty, ECHOCTL) && is_ctl(c) && c != '\t' && c != '\n') {
		u8 s[2] = { '^', c ^ 0x40 };
		obuf_put(o, s, 2);
		((struct n_tty_data *)tty->disc_data)->column += 2;
	} else {
		out_char(o, c);
	}
}

/* While no line is being edited, output moves where the next one begins
 * (after a prompt, say): tab erasure counts from there. */
static void sync_canon_column(struct n_tty_data *ld)
{
	if (ld->read_head == ld->canon_head)
		ld->canon_column = ld->column;
}

/* ---- input ----------------------------------------------------------- */

void n_tty_flush_input(struct tty_struct *tty)
{
	struct n_tty_data *ld = tty->disc_data;

	ld->read_tail = ld->canon_head = ld->read_head;
	ld->lnext = false;
	ld->canon_column = ld->column;
}

void tty_stop(struct tty_struct *tty)
{
	if (!tty->stopped) {
		tty->stopped = true;
		tty_packet_event(tty, TIOCPKT_STOP, TIOCPKT_START);
	}
}

void tty_start(struct tty_struct *tty)
{
	if (tty->stopped) {
		tty->stopped = false;
		tty_packet_event(tty, TIOCPKT_START, TIOCPKT_STOP);
		wake_up_all(&tty->write_wait);
	}
}

/* Is there room for c? A full canonical buffer still takes a line end,
 * so the line can be read and the buffer drained. */
static bool has_room(struct n_tty_data *ld, bool delim)
{
	size_t n = read_cnt(ld);
	return n < N_TTY_BUF_SIZE - 1 || (n < N_TTY_BUF_SIZE && (delim || !ld->icanon));
}

static void put_char(struct n_tty_data *ld, u8 c, bool delim, bool eof)
{
	ld->buf[IDX(ld->read_head)] = c;
	assign_pos(ld->delim, ld->read_head, delim);
	assign_pos(ld->eof, ld->read_head, eof);
	ld->read_head++;
}

static void commit_line(struct n_tty_data *ld)
{
	ld->canon_head = ld->read_head;
	ld->canon_column = ld->column;
}

/* Columns a tab at the end of the edited line took on the screen. */
static unsigned int tab_width(struct tty_struct *tty)
{
	struct n_tty_data *ld = tty->disc_data;
	unsigned int col = ld->canon_column;

	for (size_t i = ld->canon_head; i != ld->read_head; i++) {
		u8 c = ld->buf[IDX(i)];
		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctl(c))
			col += L_FLAG(tty, ECHOCTL) ? 2 : 0;
		else if (!is_continuation(tty, c))
			col++;
	}
	return ((col | 7) + 1) - col;
}

/* Undo the echo of c, which was just taken off the line. */
static void echo_erase(struct obuf *o, u8 c, bool erase_key)
{
	struct tty_struct *tty = o->tty;

	if (erase_key && !L_FLAG(tty, ECHOE)) {
		echo_char(o, tty->termios.c_cc[VERASE]);
	} else if (c == '\t') {
		for (unsigned int n = tab_width(tty); n; n--)
			out_char(o, '\b');
	} else {
		if (is_ctl(c) && L_FLAG(tty, ECHOCTL))
			out_str(o, "\b \b"); /* the ^ */
		if (!is_ctl(c) || L_FLAG(tty, ECHOCTL))
			out_str(o, "\b \b");
	}
}

/* ERASE takes one character, WERASE a word (and the blanks after it),
 * KILL the whole edited line; never beyond its start. */
static void eraser(struct obuf *o, u8 key)
{
	struct tty_struct *tty = o->tty;
	struct n_tty_data *ld = tty->disc_data;
	enum { ERASE, WERASE, KILL } kind;
	int seen_word = 0;

	if (ld->read_head == ld->canon_head)
		return;
	kind = is_cc(tty, VERASE, key) ? ERASE : is_cc(tty, VWERASE, key) ? WERASE : KILL;
	if (kind == KILL && (!L_FLAG(tty, ECHO) || !L_FLAG(tty, ECHOK) || !L_FLAG(tty, ECHOKE) ||
			     !L_FLAG(tty, ECHOE))) {
		/* Not erased on the screen: show the kill character instead. */
		ld->read_head = ld->canon_head;
		if (L_FLAG(tty, ECHO)) {
			echo_char(o, key);
			if (L_FLAG(tty, ECHOK))
				out_char(o, '\n');
		}
		return;
	}
	while (ld->read_head != ld->canon_head) {
		size_t head = ld->read_head;
		u8 c;
		do /* a UTF-8 sequence goes as one character */
			c = ld->buf[IDX(--head)];
		while (is_continuation(tty, c) && head != ld->canon_head);
		if (kind == WERASE) {
			if (is_word_char(c))
				seen_word++;
			else if (seen_word)
				break;
		}
		ld->read_head = head;
		if (L_FLAG(tty, ECHO))
			echo_erase(o, c, kind == ERASE);
		if (kind == ERASE)
			break;
	}
}

/* ^R: show the edited line again on a new line. */
static void reprint(struct obuf *o, u8 key)
{
	struct n_tty_data *ld = o->tty->disc_data;

	echo_char(o, key);
	out_char(o, '\n');
	ld->canon_column = ld->column;
	for (size_t i = ld->canon_head; i != ld->read_head; i++)
		echo_char(o, ld->buf[IDX(i)]);
}

/* A line end in canonical mode: NL, EOL, EOL2 (echoed) or EOF (not). */
static void receive_line_end(struct obuf *o, u8 c, bool eof)
{
	struct tty_struct *tty = o->tty;
	struct n_tty_data *ld = tty->disc_data;

	if (!has_room(ld, true))
		return;
	if (!eof && (L_FLAG(tty, ECHO) || (c == '\n' && L_FLAG(tty, ECHONL))))
		echo_char(o, c);
	put_char(ld, eof ? 0 : c, true, eof);
	commit_line(ld);
}

static int signal_char(const struct tty_struct *tty, u8 c)
{
	if (is_cc(tty, VINTR, c))
		return SIGINT;
	if (is_cc(tty, VQUIT, c))
		return SIGQUIT;
	if (is_cc(tty, VSUSP, c))
		return SIGTSTP;
	return 0;
}

/* One received byte; returns the signal to send to the foreground
 * process group (the caller sends it without the lock), or 0. */
static int receive_char(struct obuf *o, u8 c)
{
	struct tty_struct *tty = o->tty;
	struct n_tty_data *ld = tty->disc_data;
	int sig;

	if (I_FLAG(tty, ISTRIP))
		c &= 0x7f;
	if (I_FLAG(tty, IUCLC) && L_FLAG(tty, IEXTEN) && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (ld->lnext) {
		ld->lnext = false;
		goto literal;
	}
	if (I_FLAG(tty, IXON)) {
		if (is_cc(tty, VSTART, c)) {
			tty_start(tty);
			return 0;
		}
		if (is_cc(tty, VSTOP, c)) {
			tty_stop(tty);
			return 0;
		}
		if (I_FLAG(tty, IXANY))
			tty_start(tty);
	}
	if (L_FLAG(tty, ISIG) && (sig = signal_char(tty, c))) {
		if (!L_FLAG(tty, NOFLSH))
			n_tty_flush_input(tty);
		if (I_FLAG(tty, IXON))
			tty_start(tty);
		if (L_FLAG(tty, ECHO))
			echo_char(o, c);
		return sig;
	}
	if (c == '\r') {
		if (I_FLAG(tty, IGNCR))
			return 0;
		if (I_FLAG(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I_FLAG(tty, INLCR)) {
		c = '\r';
	}
	if (ld->icanon) {
		bool iexten = L_FLAG(tty, IEXTEN);
		if (is_cc(tty, VERASE, c) || is_cc(tty, VKILL, c) || (iexten && is_cc(tty, VWERASE, c))) {
			eraser(o, c);
			return 0;
		}
		if (iexten && is_cc(tty, VLNEXT, c)) {
			ld->lnext = true;
			if (L_FLAG(tty, ECHO) && L_FLAG(tty, ECHOCTL))
				obuf_put(o, (const u8 *)"^\b", 2); /* the next echo overwrites it */
			return 0;
		}
		if (iexten && L_FLAG(tty, ECHO) && is_cc(tty, VREPRINT, c)) {
			reprint(o, c);
			return 0;
		}
		if (c == '\n' || is_cc(tty, VEOL, c) || (iexten && is_cc(tty, VEOL2, c))) {
			receive_line_end(o, c, false);
			return 0;
		}
		if (is_cc(tty, VEOF, c)) {
			receive_line_end(o, c, true);
			return 0;
		}
	}
literal:
	if (!has_room(ld, false))
		return 0;
	if (L_FLAG(tty, ECHO))
		echo_char(o, c);
	put_char(ld, c, false, false);
	return 0;
}

/* Can a reader take something now? Polling in raw mode asks for VMIN
 * bytes when VTIME is 0, as a read would wait for them. */
static bool input_available(struct tty_struct *tty, bool poll)
{
	struct n_tty_data *ld = tty->disc_data;
	size_t amt = 1;

	if (ld->icanon)
		return ld->canon_head != ld->read_tail;
	if (poll && !tty->termios.c_cc[VTIME] && tty->termios.c_cc[VMIN])
		amt = tty->termios.c_cc[VMIN];
	return read_cnt(ld) >= amt;
}

void n_tty_receive_buf(struct tty_struct *tty, const u8 *buf, size_t n)
{
	struct obuf o = { .tty = tty };
	bool wake;

	spin_lock(&tty->ldisc_lock);
	for (size_t i = 0; i < n; i++) {
		int sig = receive_char(&o, buf[i]);
		if (sig) {
			obuf_flush(&o);
			spin_unlock(&tty->ldisc_lock);
			tty_signal_pgrp(tty, sig);
			spin_lock(&tty->ldisc_lock);
		}
	}
	obuf_flush(&o);
	wake = input_available(tty, false);
	spin_unlock(&tty->ldisc_lock);
	if (wake)
		wake_up_all(&tty->read_wait);
}

void n_tty_set_termios(struct tty_struct *tty, const struct ktermios *old)
{
	struct n_tty_data *ld = tty->disc_data;
	bool icanon = L_FLAG(tty, ICANON);

	(void)old;
	if (icanon != ld->icanon) {
		if (icanon && read_cnt(ld)) {
			/* What was typed in raw mode becomes one line. */
			assign_pos(ld->delim, ld->read_head - 1, true);
			ld->canon_head = ld->read_head;
		} else {
			ld->canon_head = ld->read_tail;
		}
		ld->lnext = false;
		ld->icanon = icanon;
		sync_canon_column(ld);
	}
	if (!I_FLAG(tty, IXON))
		tty_start(tty);
	wake_up_all(&tty->read_wait);
}

size_t n_tty_receive_room(struct tty_struct *tty)
{
	struct n_tty_data *ld = tty->disc_data;

	if (ld->icanon && ld->canon_head == ld->read_tail)
		return N_TTY_BUF_SIZE; /* the reader waits for a line end: let it come */
	return N_TTY_BUF_SIZE - read_cnt(ld);
}

size_t n_tty_chars_in_buffer(struct tty_struct *tty)
{
	struct n_tty_data *ld = tty->disc_data;
	size_t n = 0;

	if (!ld->icanon)
		return read_cnt(ld);
	for (size_t i = ld->read_tail; i != ld->canon_head; i++)
		n += !test_pos(ld->eof, i);
	return n;
}

/* ---- read and write -------------------------------------------------- */

/* Take at most max bytes of the first complete line; *eol when its end
 * was reached. last: max is all the reader wants. */
static size_t canon_copy(struct n_tty_data *ld, u8 *out, size_t max, bool last, bool *eol)
{
	size_t n = 0;

	while (ld->read_tail != ld->canon_head && n < max) {
		size_t i = ld->read_tail++;
		if (test_pos(ld->eof, i)) {
			*eol = true;
			return n;
		}
		out[n++] = ld->buf[IDX(i)];
		if (test_pos(ld->delim, i)) {
			*eol = true;
			return n;
		}
	}
	/* The reader's buffer ended just before an EOF mark: consume it, or
	 * the next read would report an end of file typed mid-line. */
	if (last && n == max && ld->read_tail != ld->canon_head && test_pos(ld->eof, ld->read_tail)) {
		ld->read_tail++;
		*eol = true;
	}
	return n;
}

static size_t raw_copy(struct n_tty_data *ld, u8 *out, size_t max)
{
	size_t n = 0;

	while (ld->read_tail != ld->read_head && n < max)
		out[n++] = ld->buf[IDX(ld->read_tail++)];
	return n;
}

static void read_timeout_wake(struct timer *t)
{
	wake_up_process(t->data);
}

/* Sleep until input may be there, a signal, or *timeout ns pass (~0:
 * no limit); *timeout is left with what remains. */
static void wait_for_input(struct tty_struct *tty, u64 *timeout)
{
	struct wait_queue_entry w = { .task = current };
	struct timer t;

	prepare_to_wait(&tty->read_wait, &w, TASK_INTERRUPTIBLE);
	spin_lock(&tty->ldisc_lock);
	bool ready = input_available(tty, false) || tty_test_flag(tty, TTY_HUPPED) ||
		     tty_test_flag(tty, TTY_OTHER_CLOSED);
	spin_unlock(&tty->ldisc_lock);
	ready = ready || tty_pktstatus(tty, false);
	if (!ready && !signal_pending(current)) {
		if (*timeout == ~0ULL) {
			schedule();
		} else {
			/* Not schedule_timeout: it would set the task state again
			 * and lose a wake-up that came after our check. */
			u64 deadline = ktime_get_ns() + *timeout;
			timer_init(&t, read_timeout_wake, current);
			timer_add(&t, deadline);
			schedule();
			timer_del(&t);
			u64 now = ktime_get_ns();
			*timeout = now >= deadline ? 0 : deadline - now;
		}
	}
	finish_wait(&tty->read_wait, &w);
}

ssize_t n_tty_read(struct tty_struct *tty, struct file *f, struct iov_iter *to)
{
	struct n_tty_data *ld = tty->disc_data;
	size_t want = to->count, done = 0, minimum = 1;
	u64 timeout = ~0ULL, interbyte = 0;
	ssize_t err = 0;
	u8 kbuf[128];
	int ret;

	if ((ret = tty_check_change_sig(tty, SIGTTIN)))
		return ret;
	if (!want)
		return 0;
	if (!mutex_trylock(&tty->atomic_read_lock)) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (mutex_lock_interruptible(&tty->atomic_read_lock))
			return -ERESTARTSYS;
	}
	bool pkt = tty_packet_mode(tty);
	spin_lock(&tty->ldisc_lock);
	if (!ld->icanon) {
		cc_t vmin = tty->termios.c_cc[VMIN], vtime = tty->termios.c_cc[VTIME];
		if (vmin) {
			minimum = vmin; /* VTIME, if set, times the gaps between bytes */
			interbyte = vtime * NS_PER_DECISECOND;
		} else {
			timeout = vtime * NS_PER_DECISECOND; /* for the first byte; 0: poll */
		}
	}
	spin_unlock(&tty->ldisc_lock);

	for (;;) {
		bool eol = false, icanon, header;
		/* Packet mode: a status byte alone, or TIOCPKT_DATA before the data. */
		u8 st = pkt && !done ? tty_pktstatus(tty, true) : 0;
		if (st) {
			if (copy_to_iter(&st, 1, to) == 1)
				done = 1;
			else
				err = -EFAULT;
			break;
		}
		size_t hdr = pkt && !done;
		size_t max = MIN(sizeof(kbuf), want - done - hdr), n;

		spin_lock(&tty->ldisc_lock);
		icanon = ld->icanon;
		n = icanon ? canon_copy(ld, kbuf, max, max == want - done, &eol) : raw_copy(ld, kbuf, max);
		header = hdr && (n || (!max && input_available(tty, false)));
		spin_unlock(&tty->ldisc_lock);
		if (header) {
			u8 data = TIOCPKT_DATA;
			if (copy_to_iter(&data, 1, to) != 1) {
				err = -EFAULT;
				break;
			}
			done++;
		}
		if (n) {
			size_t c = copy_to_iter(kbuf, n, to);
			done += c;
			if (c < n) {
				err = -EFAULT;
				break;
			}
			if (interbyte)
				timeout = interbyte;
		}
		/* Canonical: one line per read (the rest of a long one comes
		 * chunk by chunk; if a flush took it, stop). Raw: VMIN bytes. */
		if (done == want || (icanon ? eol || (done && !n) : done >= minimum))
			break;
		if (n || header)
			continue;
		if (tty_test_flag(tty, TTY_HUPPED))
			break;
		if (tty_test_flag(tty, TTY_OTHER_CLOSED)) {
			/* A pty whose other side closed: what it wrote last, then EIO. */
			tty_buffer_flush_work(tty->port);
			spin_lock(&tty->ldisc_lock);
			bool more = input_available(tty, false);
			spin_unlock(&tty->ldisc_lock);
			if (more)
				continue;
			err = -EIO;
			break;
		}
		if (!timeout)
			break; /* VTIME ran out, or VMIN = VTIME = 0 */
		if (f->f_flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = -ERESTARTSYS;
			break;
		}
		wait_for_input(tty, &timeout);
	}
	mutex_unlock(&tty->atomic_read_lock);
	/* Room again: bytes held back in the port can come in. */
	if (done && tty->port && tty_buffer_space(tty->port) < TTY_FLIPBUF_SIZE)
		tty_flip_buffer_push(tty->port);
	return done ? (ssize_t)done : err;
}

/* Wait, without the lock, until output is not stopped; returns with
 * ldisc_lock held, or an error without it (EIO: hung up meanwhile). */
static int lock_unstopped(struct tty_struct *tty, struct file *f)
{
	for (;;) {
		spin_lock(&tty->ldisc_lock);
		if (!tty->stopped)
			return 0;
		spin_unlock(&tty->ldisc_lock);
		if (tty_test_flag(tty, TTY_HUPPED))
			return -EIO;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(tty->write_wait, !READ_ONCE(tty->stopped) ||
									 tty_test_flag(tty, TTY_HUPPED));
		if (err)
			return err;
	}
}

/* Bytes the driver may take now (no limit without write_room). */
static size_t write_room(struct tty_struct *tty)
{
	return tty->ops->write_room ? tty->ops->write_room(tty) : (size_t)-1;
}

/* Most bytes OPOST may turn c into (\n -> \r\n, a tab into spaces). */
static size_t out_need(struct tty_struct *tty, u8 c)
{
	if (!O_FLAG(tty, OPOST))
		return 1;
	return c == '\t' ? 8 : c == '\n' ? 2 : 1;
}

/* Process and send what the driver has room for of buf; the bytes taken. */
static size_t write_some(struct tty_struct *tty, const u8 *buf, size_t n)
{
	struct obuf o = { .tty = tty };
	size_t room = write_room(tty), i = 0;

	while (i < n && o.total + out_need(tty, buf[i]) <= room)
		out_char(&o, buf[i++]);
	obuf_flush(&o);
	sync_canon_column(tty->disc_data);
	return i;
}

/* Sleep until the driver has room for c (a pty reader took some). */
static int wait_for_room(struct tty_struct *tty, struct file *f, u8 c)
{
	if (f->f_flags & O_NONBLOCK)
		return -EAGAIN;
	return wait_event_interruptible(tty->write_wait, write_room(tty) >= out_need(tty, c) ||
							 tty_test_flag(tty, TTY_HUPPED));
}

ssize_t n_tty_write(struct tty_struct *tty, struct file *f, struct iov_iter *from)
{
	size_t done = 0, have = 0, pos = 0;
	ssize_t err = 0;
	u8 kbuf[128];

	if (L_FLAG(tty, TOSTOP) && (err = tty_check_change(tty)))
		return err;
	if (!mutex_trylock(&tty->atomic_write_lock)) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (mutex_lock_interruptible(&tty->atomic_write_lock))
			return -ERESTARTSYS;
	}
	while (pos < have || from->count) {
		if (pos == have) {
			pos = 0;
			have = copy_from_iter(kbuf, MIN(sizeof(kbuf), from->count), from);
			if (!have) {
				err = -EFAULT;
				break;
			}
		}
		if (tty_test_flag(tty, TTY_HUPPED)) {
			err = -EIO;
			break;
		}
		if ((err = lock_unstopped(tty, f)))
			break;
		size_t n = write_some(tty, kbuf + pos, have - pos);
		spin_unlock(&tty->ldisc_lock);
		pos += n;
		done += n;
		if (pos < have && (err = wait_for_room(tty, f, kbuf[pos])))
			break;
	}
	mutex_unlock(&tty->atomic_write_lock);
	return done ? (ssize_t)done : err;
}

unsigned int n_tty_poll(struct tty_struct *tty, struct file *f, struct poll_table_struct *pt)
{
	unsigned int mask = 0;

	poll_wait(f, &tty->read_wait, pt);
	poll_wait(f, &tty->write_wait, pt);
	spin_lock(&tty->ldisc_lock);
	bool ready = input_available(tty, true);
	spin_unlock(&tty->ldisc_lock);
	if (!ready) { /* bytes may still wait in the port: as Linux, take them in */
		tty_buffer_flush_work(tty->port);
		spin_lock(&tty->ldisc_lock);
		ready = input_available(tty, true);
		spin_unlock(&tty->ldisc_lock);
	}
	if (ready)
		mask |= POLLIN | POLLRDNORM;
	if (tty_pktstatus(tty, false))
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (tty_test_flag(tty, TTY_OTHER_CLOSED))
		mask |= POLLHUP;
	if (!READ_ONCE(tty->stopped) && write_room(tty) > 0)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}
