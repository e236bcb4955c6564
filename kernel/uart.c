/* ns16550a UART driver (QEMU virt): polled output, interrupt-driven input
 * into a ring buffer that console reads drain. */
#include "kernel/console.h"
#include "kernel/spinlock.h"
#include "mm/ioremap.h"
#include "arch/riscv/sbi.h"
#include "proc/wait.h"
#include "proc/sched.h"

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
DECLARE_WAIT_QUEUE_HEAD(console_wait); /* readers of the console sleep here */
static u32 uart_irq;

/* Protects the receive ring: filled from the interrupt, drained by readers. */
static DEFINE_SPINLOCK(rx_lock);
static char rx_ring[1024];
static unsigned int rx_head, rx_tail;

int uart_init(u64 base_pa, u32 irq)
{
	uart = ioremap(base_pa, PAGE_SIZE);
	if (!uart)
		return -1;
	uart_irq = irq;
	uart[UART_LCR] = 0x03; /* 8N1 */
	/* Turning the FIFOs on clears them: keep what was typed during boot. */
	while (uart[UART_LSR] & LSR_DR)
		if (rx_head - rx_tail < sizeof(rx_ring))
			rx_ring[rx_head++ % sizeof(rx_ring)] = (char)uart[UART_RBR];
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

void uart_handle_irq(void)
{
	unsigned long f = spin_lock_irqsave(&rx_lock);

	while (uart[UART_LSR] & LSR_DR) {
		char c = (char)uart[UART_RBR];
		if (rx_head - rx_tail < sizeof(rx_ring))
			rx_ring[rx_head++ % sizeof(rx_ring)] = c;
	}
	spin_unlock_irqrestore(&rx_lock, f);
	wake_up_all(&console_wait);
}

int console_read_nonblock(char *buf, size_t n)
{
	unsigned long f = spin_lock_irqsave(&rx_lock);
	size_t i = 0;

	while (i < n && rx_tail != rx_head)
		buf[i++] = rx_ring[rx_tail++ % sizeof(rx_ring)];
	spin_unlock_irqrestore(&rx_lock, f);
	return (int)i;
}
