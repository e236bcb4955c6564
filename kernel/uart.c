/* ns16550a UART driver (QEMU virt), the console and ttyS0: polled output
 * under one transmit lock that printk and the tty share, and interrupt-
 * driven input handed to the tty layer's flip buffer (kernel/tty/). */
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/tty/tty.h"
#include "mm/ioremap.h"
#include "arch/riscv/sbi.h"

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3
#define UART_LSR 5
#define LSR_DR 0x01   /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */
#define IER_RDI 0x01  /* receive data interrupt */

static volatile u8 *uart;
static u32 uart_irq;

/* Protects the transmitter: each printk message and each tty write
 * chunk goes out whole, never mixed byte by byte with another. */
static DEFINE_SPINLOCK(uart_tx_lock);

/* Received bytes wait here for the tty layer (statically initialized:
 * input typed during boot arrives before tty_init). */
struct tty_port uart_port = TTY_PORT_INIT(uart_port);

int uart_init(u64 base_pa, u32 irq)
{
	uart = ioremap(base_pa, PAGE_SIZE);
	if (!uart)
		return -1;
	uart_irq = irq;
	uart[UART_LCR] = 0x03; /* 8N1 */
	/* Turning the FIFOs on clears them: keep what was typed during boot. */
	while (uart[UART_LSR] & LSR_DR)
		tty_insert_flip_char(&uart_port, uart[UART_RBR]);
	uart[UART_FCR] = 0x07; /* enable and reset the FIFOs */
	uart[UART_IER] = IER_RDI;
	return 0;
}

u32 uart_irq_number(void)
{
	return uart_irq;
}

void console_putc_raw(char c)
{
	if (!uart) {
		sbi_console_putchar(c);
		return;
	}
	while (!(uart[UART_LSR] & LSR_THRE))
		;
	uart[UART_THR] = (u8)c;
}

void uart_write(const char *s, size_t n, bool crlf)
{
	bool locked = !oops_in_progress; /* an oops may have come with the lock held */
	unsigned long f = locked ? spin_lock_irqsave(&uart_tx_lock) : 0;

	for (size_t i = 0; i < n; i++) {
		if (crlf && s[i] == '\n')
			console_putc_raw('\r');
		console_putc_raw(s[i]);
	}
	if (locked)
		spin_unlock_irqrestore(&uart_tx_lock, f);
}

/* The tty's driver write: n_tty has already done the output processing. */
static size_t uart_tty_write(struct tty_struct *tty, const u8 *buf, size_t n)
{
	(void)tty;
	uart_write((const char *)buf, n, false);
	return n;
}

const struct tty_operations uart_tty_ops = {
	.write = uart_tty_write,
};

/* Receive interrupt: queue the bytes, let the tty worker process them. */
void uart_handle_irq(void)
{
	while (uart[UART_LSR] & LSR_DR)
		tty_insert_flip_char(&uart_port, uart[UART_RBR]);
	tty_flip_buffer_push(&uart_port);
}
