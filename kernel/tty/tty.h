/* Terminals (Linux: include/linux/tty.h): a tty_driver per kind of
 * terminal (the UART console, pty masters, pty slaves), a tty_struct per
 * open terminal with its termios, window size, controlling session and
 * foreground process group; the n_tty line discipline (n_tty.c) edits
 * input and processes output; tty_io.c opens and releases ttys,
 * tty_jobctrl.c does job control, pty.c the pseudo-terminals. A driver
 * hands received bytes to its tty_port (tty_insert_flip_char); the flip
 * worker thread feeds them to n_tty. */
#ifndef KERNEL_TTY_TTY_H
#define KERNEL_TTY_TTY_H
#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "proc/mutex.h"
#include "proc/task.h"
#include "proc/signal.h"

/* ---- termios, as the riscv64 ABI has it (asm-generic/termbits.h) ---- */
typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
typedef unsigned int speed_t;

#define NCCS 19
/* TCGETS/TCSETS move the first 36 bytes (struct termios); the *2 ioctls
 * all 44 (struct termios2, with the speeds). */
struct ktermios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed, c_ospeed;
};
#define TERMIOS_SIZE 36
#define TERMIOS2_SIZE 44

/* c_cc indices */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16
#define _POSIX_VDISABLE 0 /* a c_cc entry of 0 is switched off */

/* c_iflag */
#define IGNBRK 0x001
#define BRKINT 0x002
#define IGNPAR 0x004
#define PARMRK 0x008
#define INPCK 0x010
#define ISTRIP 0x020
#define INLCR 0x040
#define IGNCR 0x080
#define ICRNL 0x100
#define IUCLC 0x0200
#define IXON 0x0400
#define IXANY 0x800
#define IXOFF 0x1000
#define IMAXBEL 0x2000
#define IUTF8 0x4000

/* c_oflag */
#define OPOST 0x01
#define OLCUC 0x02
#define ONLCR 0x04
#define OCRNL 0x08
#define ONOCR 0x10
#define ONLRET 0x20
#define TABDLY 0x01800
#define XTABS 0x01800

/* c_cflag */
#define CBAUD 0x0000100f
#define B38400 0x0000000f
#define CSIZE 0x00000030
#define CS8 0x00000030
#define CREAD 0x00000080
#define HUPCL 0x00000400
#define CLOCAL 0x00000800

/* c_lflag */
#define ISIG 0x00001
#define ICANON 0x00002
#define XCASE 0x00004
#define ECHO 0x00008
#define ECHOE 0x00010
#define ECHOK 0x00020
#define ECHONL 0x00040
#define NOFLSH 0x00080
#define TOSTOP 0x00100
#define ECHOCTL 0x00200
#define ECHOPRT 0x00400
#define ECHOKE 0x00800
#define FLUSHO 0x01000
#define PENDIN 0x04000
#define IEXTEN 0x08000
#define EXTPROC 0x10000

/* TCFLSH / TCXONC arguments */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3

/* ioctl numbers (asm-generic/ioctls.h) */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCEXCL 0x540C
#define TIOCNXCL 0x540D
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCSTI 0x5412
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define TIOCNOTTY 0x5422
#define TIOCSETD 0x5423
#define TIOCGETD 0x5424
#define TCSBRKP 0x5425
#define TIOCSBRK 0x5427
#define TIOCCBRK 0x5428
#define TIOCGSID 0x5429
#define TCGETS2 0x802C542A
#define TCSETS2 0x402C542B
#define TCSETSW2 0x402C542C
#define TCSETSF2 0x402C542D
#define TIOCGEXCL 0x80045440
#define TIOCPKT 0x5420
#define TIOCGPTN 0x80045430
#define TIOCSPTLCK 0x40045431
#define TIOCGPKT 0x80045438
#define TIOCGPTLCK 0x80045439
#define TIOCGPTPEER 0x5441

/* TIOCPKT: the status byte before each master read in packet mode. */
#define TIOCPKT_DATA 0
#define TIOCPKT_FLUSHREAD 1
#define TIOCPKT_FLUSHWRITE 2
#define TIOCPKT_STOP 4
#define TIOCPKT_START 8

/* An ioctl a layer does not know: the next one may (kernel-internal). */
#ifndef ENOIOCTLCMD
#define ENOIOCTLCMD 515
#endif

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct tty_struct;
struct tty_driver;
struct file;

/* What a tty driver provides; all but write are optional. */
struct tty_operations {
	/* The tty of dev, referenced (tty_kref_get), or an ERR_PTR; NULL:
	 * the driver's ttys[] table. tty_io counts the open. */
	struct tty_struct *(*lookup)(struct tty_driver *d, struct file *f, u32 dev);
	/* Each open, after count went up (count: opens now). */
	int (*open)(struct tty_struct *tty, struct file *f);
	/* Each release, before count goes down (count: opens still there). */
	void (*close)(struct tty_struct *tty, struct file *f);
	/* The last reference went: free what the driver added (no sleeping). */
	void (*cleanup)(struct tty_struct *tty);
	/* Send bytes already processed by the line discipline. Called with
	 * the tty's ldisc_lock held (so echoes and writes stay in order):
	 * must not sleep. Returns the bytes taken. */
	size_t (*write)(struct tty_struct *tty, const u8 *buf, size_t n);
	/* Bytes write would take now (NULL: no limit). */
	size_t (*write_room)(struct tty_struct *tty);
	/* Driver ioctls, tried first; -ENOIOCTLCMD: not the driver's. */
	long (*ioctl)(struct tty_struct *tty, struct file *f, unsigned int cmd, unsigned long arg);
	/* termios changed (ldisc_lock held). */
	void (*set_termios)(struct tty_struct *tty, const struct ktermios *old);
};

/* A kind of terminal (Linux: struct tty_driver): its device numbers. */
struct tty_driver {
	const char *name;           /* "ttyS", "ptm", "pts" */
	u32 major, minor_start, num;
	int type, subtype;          /* TTY_DRIVER_TYPE_*, PTY_TYPE_* */
	struct ktermios init_termios;
	const struct tty_operations *ops;
	struct tty_struct **ttys;   /* by index, when ops->lookup does not find them */
	struct tty_driver *other;   /* ptys: the driver of the other side */
};
#define TTY_DRIVER_TYPE_SERIAL 3
#define TTY_DRIVER_TYPE_PTY 4
#define PTY_TYPE_MASTER 1
#define PTY_TYPE_SLAVE 2

/* Received bytes on their way from a driver's interrupt to the line
 * discipline (Linux: the flip buffer of struct tty_port). */
#define TTY_FLIPBUF_SIZE 1024
struct tty_port {
	spinlock_t lock;            /* protects buf, head, tail, queued; taken from interrupts */
	unsigned int head, tail;    /* free-running: head - tail bytes wait */
	unsigned long overruns;     /* bytes dropped because the buffer was full */
	bool queued;                /* on the worker's list (holds a tty reference) */
	struct tty_struct *tty;     /* who consumes them; NULL until attached */
	struct tty_port *next;      /* on the worker's list of ports to flush */
	struct mutex flush_lock;    /* one flusher at a time: keeps the bytes in order */
	u8 buf[TTY_FLIPBUF_SIZE];
};
#define TTY_PORT_INIT(p)                                                               \
	{ .lock = SPINLOCK_INIT,                                                       \
	  .flush_lock = { SPINLOCK_INIT, NULL,                                         \
			  { SPINLOCK_INIT, LIST_HEAD_INIT((p).flush_lock.wait.head) } } }

/* tty->flags bits */
#define TTY_OTHER_CLOSED 0  /* ptys: the other side has no open file */
#define TTY_HUPPED 1        /* hung up: reads see end of file, writes EIO */
#define TTY_PTY_LOCK 2      /* pty slave: not openable until TIOCSPTLCK 0 */

struct tty_struct {
	const char *name;           /* "ttyS0", "pts/3" */
	char name_buf[16];          /* where a generated name lives */
	u32 dev;                    /* its own device number (4:64, 136:3) */
	struct tty_driver *driver;
	int index;                  /* among the driver's ttys */
	const struct tty_operations *ops;
	struct tty_port *port;
	int count;                  /* open files on it (atomic) */
	/* References (atomic): open files, controlling-tty pointers of
	 * processes, the flip worker. A pty slave's count on its master's:
	 * a pair lives and dies together. */
	int kref;
	unsigned long flags;        /* TTY_* bits (atomic) */
	struct tty_struct *link;    /* ptys: the other side */
	void *driver_data;          /* pty slaves: their /dev/pts dentry */

	/* ldisc_lock protects termios, the stopped flag and the n_tty state
	 * (read buffer, columns). Never held around kill_pgrp or user copies. */
	spinlock_t ldisc_lock;
	struct ktermios termios;
	bool stopped;               /* output stopped by ^S / TCOOFF */
	void *disc_data;            /* n_tty's state */

	/* ctrl_lock protects session, pgrp, winsize and the packet-mode
	 * state. Nests inside tasklist_lock. 0 means none. */
	spinlock_t ctrl_lock;
	int session;                /* the session this is the controlling tty of */
	int pgrp;                   /* its foreground process group */
	struct winsize winsize;
	bool packet;                /* pty masters: TIOCPKT mode (the slave's ctrl_lock) */
	u8 pktstatus;               /* pty slaves: TIOCPKT_* events for the master */

	/* Serializes opens and closes: count with the driver's open and
	 * close (Linux: tty_lock). A pty pair uses the master's. */
	struct mutex legacy_mutex;
	struct mutex atomic_write_lock; /* one write(2) at a time, whole */
	struct mutex atomic_read_lock;  /* one reader at a time */
	wait_queue_head_t read_wait;    /* readers and pollers for input */
	wait_queue_head_t write_wait;   /* writers waiting for room or a restart (^Q) */
};

#define L_FLAG(tty, f) (((tty)->termios.c_lflag & (f)) != 0)
#define I_FLAG(tty, f) (((tty)->termios.c_iflag & (f)) != 0)
#define O_FLAG(tty, f) (((tty)->termios.c_oflag & (f)) != 0)

extern const struct ktermios tty_std_termios;

/* ---- boot ---- */
/* Make the console tty and register /dev/tty, /dev/console, /dev/ttyS0.
 * Call before the first process opens /dev/console. */
void tty_init(void);
/* Start the thread that feeds received bytes to the line discipline.
 * It must be a child of the boot task, not of init: call it after init
 * has been created (kernel_thread(kernel_init...)). Until it runs, input
 * waits in the port buffer. */
void tty_start_worker(void);

/* ---- lifetime (tty_io.c) ---- */
/* A tty with the driver's init_termios, its line discipline and kref 1. */
struct tty_struct *alloc_tty_struct(struct tty_driver *driver, int index);
void tty_kref_get(struct tty_struct *tty);
void tty_kref_put(struct tty_struct *tty); /* may free: no sleeping */
static inline bool tty_test_flag(struct tty_struct *tty, int bit)
{
	return (__atomic_load_n(&tty->flags, __ATOMIC_ACQUIRE) >> bit) & 1;
}
static inline void tty_set_flag(struct tty_struct *tty, int bit, bool on)
{
	if (on)
		__atomic_or_fetch(&tty->flags, 1UL << bit, __ATOMIC_ACQ_REL);
	else
		__atomic_and_fetch(&tty->flags, ~(1UL << bit), __ATOMIC_ACQ_REL);
}
/* What termios, window size and job control calls on tty act on: a pty
 * master's are its slave's (Linux: tty_pair_get_tty). */
static inline struct tty_struct *tty_pair_get_tty(struct tty_struct *tty)
{
	return tty->driver->type == TTY_DRIVER_TYPE_PTY && tty->driver->subtype == PTY_TYPE_MASTER
		       ? tty->link
		       : tty;
}
/* Packet mode (TIOCPKT): tty, a pty slave, had a flush or flow event the
 * master in packet mode reads as a status byte. No-op for other ttys. */
void tty_packet_event(struct tty_struct *tty, u8 set, u8 clear);
/* tty is a pty master in packet mode: its reads begin with a status byte. */
bool tty_packet_mode(struct tty_struct *tty);
/* A pty master's pending status byte (0: none); take clears it. */
u8 tty_pktstatus(struct tty_struct *tty, bool take);
/* Register the char devices of a driver's minors. */
int tty_register_driver(struct tty_driver *driver);
/* Install the tty fops on f for tty (counted open; f has no file yet). */
int tty_open_file(struct file *f, struct tty_struct *tty, bool noctty);
/* Hang tty up (Linux: tty_vhangup): readers see end of file, writers
 * EIO; the processes it controls lose it, the session leader gets
 * SIGHUP and SIGCONT. */
void tty_vhangup(struct tty_struct *tty);
void pty_init(void);

/* ---- drivers (tty_buffer.c) ---- */
/* From interrupt context too. */
void tty_insert_flip_char(struct tty_port *port, u8 c);
/* As many of the n bytes as fit; returns how many. */
size_t tty_insert_flip_string(struct tty_port *port, const u8 *buf, size_t n);
size_t tty_buffer_space(struct tty_port *port);
/* Have the worker hand the port's bytes to the line discipline. */
void tty_flip_buffer_push(struct tty_port *port);
/* Hand them over now, in the caller's context (poll, a reader that
 * would otherwise report nothing there). */
void tty_buffer_flush_work(struct tty_port *port);
void tty_port_init(struct tty_port *port);
void tty_port_attach(struct tty_port *port, struct tty_struct *tty);

/* ---- the line discipline (n_tty.c) ---- */
int n_tty_open(struct tty_struct *tty);
/* Process received bytes (process context; may send signals). */
void n_tty_receive_buf(struct tty_struct *tty, const u8 *buf, size_t n);
struct file;
struct iov_iter;
struct poll_table_struct;
ssize_t n_tty_read(struct tty_struct *tty, struct file *f, struct iov_iter *to);
ssize_t n_tty_write(struct tty_struct *tty, struct file *f, struct iov_iter *from);
unsigned int n_tty_poll(struct tty_struct *tty, struct file *f, struct poll_table_struct *pt);
/* termios changed (ldisc_lock held): switch modes, wake readers. */
void n_tty_set_termios(struct tty_struct *tty, const struct ktermios *old);
void n_tty_flush_input(struct tty_struct *tty); /* ldisc_lock held */
size_t n_tty_chars_in_buffer(struct tty_struct *tty); /* FIONREAD; ldisc_lock held */
/* Bytes the line discipline can take now (ldisc_lock held); a canonical
 * buffer without a complete line always takes more (ends a line). */
size_t n_tty_receive_room(struct tty_struct *tty);
void tty_stop(struct tty_struct *tty);           /* ldisc_lock held */
void tty_start(struct tty_struct *tty);          /* ldisc_lock held */

/* ---- ioctls (tty_ioctl.c) ---- */
long tty_mode_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd, unsigned long arg);

/* ---- job control (tty_jobctrl.c) ---- */
struct tty_struct *get_current_tty(void);
struct tty_struct *get_current_tty_ref(void); /* referenced, or NULL */
/* May current use tty now? 0, or -ERESTARTSYS after sending sig
 * (SIGTTIN / SIGTTOU) to its background process group, or -EIO. */
int tty_check_change_sig(struct tty_struct *tty, int sig);
static inline int tty_check_change(struct tty_struct *tty)
{
	return tty_check_change_sig(tty, SIGTTOU);
}
/* open() without O_NOCTTY: a session leader without a tty acquires it. */
void tty_open_proc_set_tty(struct file *f, struct tty_struct *tty);
long tty_jobctrl_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd, unsigned long arg);
/* A session leader lets go of its controlling tty (on_exit: it is
 * exiting). The foreground group gets SIGHUP and SIGCONT. */
void disassociate_ctty(int on_exit);
int tty_get_pgrp(struct tty_struct *tty);
void tty_signal_pgrp(struct tty_struct *tty, int sig); /* the foreground group */
/* Every process tty controls loses it; the session leader gets SIGHUP
 * and SIGCONT (hangup). */
void tty_signal_session_leader(struct tty_struct *tty);
/* Drop a process's controlling-tty reference (tasklist_lock held or the
 * process gone). */
void proc_clear_tty(struct signal_struct *sig);

#endif
