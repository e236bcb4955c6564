/* syslog(2) (Linux: do_syslog in kernel/printk/printk.c), which glibc
 * calls klogctl: read and clear the kernel log buffer that printk fills,
 * and set which levels reach the console. busybox dmesg uses it. */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/cred.h"
#include "proc/sched.h"
#include "proc/signal.h"

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

#define MINIMUM_CONSOLE_LOGLEVEL 1
#define READ_POLL_NS 50000000ULL /* printk wakes nobody: a blocked reader looks every 50 ms */

static int saved_console_loglevel = -1; /* CONSOLE_OFF's, until CONSOLE_ON */

/* Copy up to len bytes of the log from *from into the user buffer; a
 * READ consumes them even if the copy faults (as Linux). */
static long syslog_copy(u64 *from, char __user *ubuf, int len, bool consume, bool newest)
{
	size_t n = MIN((size_t)len, (size_t)LOG_BUF_LEN);
	char *k = kmalloc(n);

	if (!k)
		return -ENOMEM;
	size_t got = log_read(from, k, n, consume, newest);
	long ret = copy_to_user(ubuf, k, got) ? -EFAULT : (long)got;
	kfree(k);
	return ret;
}

static long syslog_read_wait(char __user *ubuf, int len)
{
	while (!log_pending(&syslog_seq, false)) {
		schedule_timeout(READ_POLL_NS, TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			return -ERESTARTSYS;
	}
	return syslog_copy(&syslog_seq, ubuf, len, true, false);
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, ubuf, int, len)
{
	u64 from;

	/* Reading the log is open to all (dmesg_restrict = 0); the rest needs
	 * CAP_SYSLOG (or, as Linux still allows, CAP_SYS_ADMIN). */
	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER &&
	    !capable(CAP_SYSLOG) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(ubuf, (unsigned long)len))
			return -EFAULT;
		if (type == SYSLOG_ACTION_READ)
			return syslog_read_wait(ubuf, len);
		from = clear_seq;
		long ret = syslog_copy(&from, ubuf, len, false, true);
		if (ret >= 0 && type == SYSLOG_ACTION_READ_CLEAR)
			log_pending(&clear_seq, true);
		return ret;
	case SYSLOG_ACTION_CLEAR:
		log_pending(&clear_seq, true);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = MAX(len, MINIMUM_CONSOLE_LOGLEVEL);
		saved_console_loglevel = -1;
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)log_pending(&syslog_seq, false);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	}
	return -EINVAL;
}
