/* printk: format one message, prefix "[seconds.micros] hN: " (N = hartid)
 * and write it to the console under a lock so harts' lines do not mix.
 * `quiet` lowers console_loglevel so only errors reach the console. */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "arch/riscv/csr.h"
#include "proc/task.h"

int console_loglevel = 7;
volatile int oops_in_progress;
u64 timebase_freq = 10000000; /* QEMU virt's; replaced from the FDT */
static u64 boot_time_ticks;

u64 get_boot_cycles(void)
{
	return boot_time_ticks;
}

u64 ktime_get_ns(void)
{
	u64 t = get_cycles() - boot_time_ticks;
	return t / timebase_freq * 1000000000UL + t % timebase_freq * 1000000000UL / timebase_freq;
}

/* printk and the tty share the UART's transmit lock (kernel/uart.c), so
 * their lines never interleave byte by byte. */
void console_write(const char *s, size_t n)
{
	uart_write(s, n, true);
}

int printk(const char *fmt, ...)
{
	char buf[512];
	int level = 6;
	va_list ap;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level >= console_loglevel)
		return 0;
	u64 ns = ktime_get_ns();
	int n = snprintf(buf, sizeof(buf), "[%5lu.%06lu] h%lu: ", (unsigned long)(ns / 1000000000UL),
			 (unsigned long)(ns % 1000000000UL / 1000), this_hart()->hartid);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, n);
	return n;
}
