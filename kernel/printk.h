/* Kernel log: printk with Linux's level prefixes, a timestamp and the
 * hart id; panic() ends the system with a non-zero QEMU exit status. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H
#include "kernel/types.h"
#include <stdarg.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_INFO KERN_SOH "6"

extern int console_loglevel; /* messages below this level reach the console */
extern volatile int oops_in_progress;

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __noreturn panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
u64 ktime_get_ns(void);
u64 get_boot_cycles(void); /* time CSR value that ktime_get_ns() calls 0 */
extern u64 timebase_freq;  /* Hz of the time CSR (from the FDT) */

/* The log buffer (kernel/printk.c) for syslog(2) (kernel/syslog.c). */
#define LOG_BUF_LEN (64 * 1024)
extern u64 syslog_seq, clear_seq;
size_t log_read(u64 *from, char *buf, size_t n, bool consume, bool newest);
u64 log_pending(u64 *from, bool set);

#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

#endif
