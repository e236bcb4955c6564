/* The flip buffer between a tty driver's receive interrupt and the line
 * discipline (Linux: drivers/tty/tty_buffer.c), and the worker thread that
 * empties it (Linux runs flush_to_ldisc on a workqueue). Interrupts only
 * queue bytes: n_tty runs in the thread because it sends signals, and
 * kill_pgrp takes tasklist_lock, which tasks hold with interrupts on. */
#include "kernel/tty/tty.h"
#include "kernel/printk.h"
#include "proc/sched.h"
#include "proc/wait.h"

static DECLARE_WAIT_QUEUE_HEAD(flip_wait); /* the worker sleeps here */
static int flip_pending;                   /* bytes pushed since the worker looked (atomic) */
static struct tty_port *ports;             /* attached ports (a list that only grows) */
static DEFINE_SPINLOCK(ports_lock);        /* serializes additions to ports */

void tty_insert_flip_char(struct tty_port *port, u8 c)
{
	unsigned long f = spin_lock_irqsave(&port->lock);

	if (port->head - port->tail < TTY_FLIPBUF_SIZE)
		port->buf[port->head++ % TTY_FLIPBUF_SIZE] = c;
	else
		port->overruns++;
	spin_unlock_irqrestore(&port->lock, f);
}

void tty_flip_buffer_push(struct tty_port *port)
{
	(void)port; /* one worker serves every port */
	__atomic_store_n(&flip_pending, 1, __ATOMIC_RELEASE);
	wake_up(&flip_wait);
}

void tty_port_attach(struct tty_port *port, struct tty_struct *tty)
{
	tty->port = port;
	spin_lock(&ports_lock);
	port->tty = tty;
	port->next = ports;
	__atomic_store_n(&ports, port, __ATOMIC_RELEASE); /* the worker reads without the lock */
	spin_unlock(&ports_lock);
	tty_flip_buffer_push(port); /* what was typed during boot */
}

static size_t flip_take(struct tty_port *port, u8 *buf, size_t n)
{
	unsigned long f = spin_lock_irqsave(&port->lock);
	size_t i = 0;

	while (i < n && port->tail != port->head)
		buf[i++] = port->buf[port->tail++ % TTY_FLIPBUF_SIZE];
	spin_unlock_irqrestore(&port->lock, f);
	return i;
}

static void flush_to_ldisc(struct tty_port *port)
{
	u8 chunk[64];
	size_t n;

	while ((n = flip_take(port, chunk, sizeof(chunk))))
		n_tty_receive_buf(port->tty, chunk, n);
}

/* Never returns: a kernel thread's function returning would enter user mode. */
static int tty_worker(void *unused)
{
	(void)unused;
	for (;;) {
		/* Interruptible, so it does not count as blocked: kernel
		 * threads take no signals, so nothing interrupts it. */
		wait_event_interruptible(flip_wait,
					 __atomic_exchange_n(&flip_pending, 0, __ATOMIC_ACQ_REL));
		for (struct tty_port *p = __atomic_load_n(&ports, __ATOMIC_ACQUIRE); p; p = p->next)
			flush_to_ldisc(p);
	}
	return 0;
}

void tty_start_worker(void)
{
	if (!kernel_thread(tty_worker, NULL, "tty_flip"))
		pr_err("tty: cannot start the input worker: typed input will not arrive\n");
}
