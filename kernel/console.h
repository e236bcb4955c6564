/* The system console: the FDT's ns16550a UART once it is mapped, the SBI
 * debug console before that. Output is polled; input arrives by interrupt
 * and goes to the tty layer (kernel/tty/), where the UART is ttyS0 and
 * /dev/console. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include "kernel/types.h"

void console_write(const char *s, size_t n); /* printk's: \n becomes \r\n */
void console_putc_raw(char c); /* no locking: for oops/panic paths */
/* Write under the UART's transmit lock (not taken during an oops);
 * crlf: turn \n into \r\n. The tty writes through here, and so should
 * printk's console_write, so that their output never interleaves. */
void uart_write(const char *s, size_t n, bool crlf);
int uart_init(u64 base_pa, u32 irq);
void uart_handle_irq(void);
u32 uart_irq_number(void);

struct tty_port;
struct tty_operations;
extern struct tty_port uart_port;                /* its received bytes */
extern const struct tty_operations uart_tty_ops; /* its tty driver */

#endif
