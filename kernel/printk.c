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

/* ---- the log buffer (Linux: kernel/printk/printk.c) ----
 * A byte ring of lines "<level>[time] hN: text", what syslog(2) and
 * busybox dmesg read. Positions are byte counts since boot: the ring holds
 * [log_first_seq, log_next_seq). printk may run with any lock held, so it
 * wakes nobody; a blocking SYSLOG_ACTION_READ polls (syslog.c). */
static char log_buf[LOG_BUF_LEN];
/* Protects log_buf and every *_seq. Never held while printk prints. */
static DEFINE_SPINLOCK(logbuf_lock);
static u64 log_first_seq, log_next_seq;
u64 syslog_seq; /* SYSLOG_ACTION_READ's position */
u64 clear_seq;  /* SYSLOG_ACTION_CLEAR: READ_ALL starts here */

static void log_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_next_seq + i) % LOG_BUF_LEN] = s[i];
	log_next_seq += n;
	if (log_next_seq - log_first_seq > LOG_BUF_LEN)
		log_first_seq = log_next_seq - LOG_BUF_LEN; /* the oldest bytes are overwritten */
}

static void log_store(int level, const char *text, size_t n)
{
	char prefix[4] = { '<', (char)('0' + (level & 7)), '>', 0 };

	if (oops_in_progress)
		return; /* the oops may have come from inside the lock */
	unsigned long f = spin_lock_irqsave(&logbuf_lock);
	log_put(prefix, 3);
	log_put(text, n);
	spin_unlock_irqrestore(&logbuf_lock, f);
}

/* Copy out the log from *from (moved up to what still exists) to its end,
 * at most n bytes, into buf; advance *from if consume. Whole lines only
 * when the oldest part has to be left out. */
size_t log_read(u64 *from, char *buf, size_t n, bool consume, bool newest)
{
	unsigned long f = spin_lock_irqsave(&logbuf_lock);
	u64 start = MAX(*from, log_first_seq), end = log_next_seq;

	if (newest && end - start > n) {
		start = end - n; /* the most recent n bytes, from a line start */
		while (start < end && log_buf[(start - 1) % LOG_BUF_LEN] != '\n')
			start++;
	}
	size_t len = (size_t)MIN(end - start, (u64)n);
	for (size_t i = 0; i < len; i++)
		buf[i] = log_buf[(start + i) % LOG_BUF_LEN];
	if (consume)
		*from = start + len;
	spin_unlock_irqrestore(&logbuf_lock, f);
	return len;
}

/* Bytes after *from still in the ring; with set, move *from to the end. */
u64 log_pending(u64 *from, bool set)
{
	unsigned long f = spin_lock_irqsave(&logbuf_lock);
	u64 n = log_next_seq - MAX(*from, log_first_seq);

	if (set)
		*from = log_next_seq;
	spin_unlock_irqrestore(&logbuf_lock, f);
	return n;
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
	u64 ns = ktime_get_ns();
	int n = snprintf(buf, sizeof(buf), "[%5lu.%06lu] h%lu: ", (unsigned long)(ns / 1000000000UL),
			 (unsigned long)(ns % 1000000000UL / 1000), this_hart()->hartid);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	log_store(level, buf, (size_t)n); /* every level, as Linux: dmesg shows them all */
	if (level >= console_loglevel)
		return 0;
	console_write(buf, n);
	return n;
}
