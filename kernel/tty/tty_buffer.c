/* The flip buffer between a tty driver and the line discipline (Linux:
 * drivers/tty/tty_buffer.c), and the worker thread that empties it (Linux
 * runs flush_to_ldisc on a workqueue). Drivers only queue bytes: n_tty
 * runs in the thread because it sends signals, and kill_pgrp takes
 * tasklist_lock, which tasks hold with interrupts on. The worker hands a
 * port only as many bytes as n_tty has room for; the rest wait in the
 * port, which is how a pty writer comes to block when nobody reads. */
#include "kernel/tty/tty.h"
#include "kernel/printk.h"
#include "proc/sched.h"
#include "proc/wait.h"

static DECLARE_WAIT_QUEUE_HEAD(flip_wait); /* the worker sleeps here */
/* Protects pending (taken from interrupts): ports with bytes to flush. */
static DEFINE_SPINLOCK(pending_lock);
static struct tty_port *pending;

void tty_port_init(struct tty_port *port)
{
	spin_lock_init(&port->lock);
	mutex_init(&port->flush_lock);
	port->head = port->tail = 0;
	port->queued = false;
}

void tty_insert_flip_char(struct tty_port *port, u8 c)
{
	unsigned long f = spin_lock_irqsave(&port->lock);

	if (port->head - port->tail < TTY_FLIPBUF_SIZE)
		port->buf[port->head++ % TTY_FLIPBUF_SIZE] = c;
	else
		port->overruns++;
	spin_unlock_irqrestore(&port->lock, f);
}

size_t tty_insert_flip_string(struct tty_port *port, const u8 *buf, size_t n)
{
	unsigned long f = spin_lock_irqsave(&port->lock);
	size_t i = 0;

	for (; i < n && port->head - port->tail < TTY_FLIPBUF_SIZE; i++)
		port->buf[port->head++ % TTY_FLIPBUF_SIZE] = buf[i];
	spin_unlock_irqrestore(&port->lock, f);
	return i;
}

size_t tty_buffer_space(struct tty_port *port)
{
	unsigned long f = spin_lock_irqsave(&port->lock);
	size_t n = TTY_FLIPBUF_SIZE - (port->head - port->tail);

	spin_unlock_irqrestore(&port->lock, f);
	return n;
}

/* Queue the port for the worker once; the queue holds a tty reference. */
void tty_flip_buffer_push(struct tty_port *port)
{
	unsigned long f = spin_lock_irqsave(&pending_lock);
	struct tty_struct *tty = port->tty;
	bool queue = tty && !port->queued;

	if (queue) {
		tty_kref_get(tty);
		port->queued = true;
		port->next = pending;
		pending = port;
	}
	spin_unlock_irqrestore(&pending_lock, f);
	if (queue)
		wake_up(&flip_wait);
}

void tty_port_attach(struct tty_port *port, struct tty_struct *tty)
{
	tty->port = port;
	port->tty = tty;
	tty_flip_buffer_push(port); /* what was typed during boot */
}

/* Take at most n bytes, no more than the line discipline has room for. */
static size_t flip_take(struct tty_port *port, u8 *buf, size_t n)
{
	struct tty_struct *tty = port->tty;
	size_t i = 0;

	spin_lock(&tty->ldisc_lock);
	size_t room = n_tty_receive_room(tty);
	spin_unlock(&tty->ldisc_lock);
	unsigned long f = spin_lock_irqsave(&port->lock);
	while (i < n && i < room && port->tail != port->head)
		buf[i++] = port->buf[port->tail++ % TTY_FLIPBUF_SIZE];
	spin_unlock_irqrestore(&port->lock, f);
	return i;
}

static void flush_to_ldisc(struct tty_port *port)
{
	struct tty_struct *tty = port->tty;
	u8 chunk[64];
	size_t n, moved = 0;

	mutex_lock(&port->flush_lock);
	while ((n = flip_take(port, chunk, sizeof(chunk)))) {
		n_tty_receive_buf(tty, chunk, n);
		moved += n;
	}
	mutex_unlock(&port->flush_lock);
	if (moved && tty->link) /* a pty writer may have room again */
		wake_up_all(&tty->link->write_wait);
}

void tty_buffer_flush_work(struct tty_port *port)
{
	if (port)
		flush_to_ldisc(port);
}

static struct tty_port *pending_pop(void)
{
	unsigned long f = spin_lock_irqsave(&pending_lock);
	struct tty_port *port = pending;

	if (port) {
		pending = port->next;
		port->queued = false; /* a push from now on queues it again */
	}
	spin_unlock_irqrestore(&pending_lock, f);
	return port;
}

/* Never returns: a kernel thread's function returning would enter user mode. */
static int tty_worker(void *unused)
{
	(void)unused;
	for (;;) {
		struct tty_port *port;
		/* Interruptible, so it does not count as blocked: kernel
		 * threads take no signals, so nothing interrupts it. */
		wait_event_interruptible(flip_wait, READ_ONCE(pending) != NULL);
		while ((port = pending_pop())) {
			struct tty_struct *tty = port->tty;
			flush_to_ldisc(port);
			tty_kref_put(tty);
		}
	}
	return 0;
}

void tty_start_worker(void)
{
	if (!kernel_thread(tty_worker, NULL, "tty_flip"))
		pr_err("tty: cannot start the input worker: typed input will not arrive\n");
}
