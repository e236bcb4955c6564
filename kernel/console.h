/* The system console: the FDT's ns16550a UART once it is mapped, the SBI
 * debug console before that. Input arrives by interrupt into a ring. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H
#include "kernel/types.h"

void console_write(const char *s, size_t n);
void console_putc_raw(char c); /* no locking: for oops/panic paths */
int uart_init(u64 base_pa, u32 irq);
void uart_handle_irq(void);
int console_read_nonblock(char *buf, size_t n);
u32 uart_irq_number(void);
extern struct wait_queue_head console_wait;

#endif
