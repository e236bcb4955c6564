/* Rate limiting for log messages (Linux: lib/ratelimit.c). A fault storm
 * from user space must not turn the console into the bottleneck. */
#include "kernel/ratelimit.h"
#include "kernel/printk.h"

bool __ratelimit(struct ratelimit_state *rs, const char *func)
{
	u64 now = ktime_get_ns();
	unsigned long flags = spin_lock_irqsave(&rs->lock);
	int missed = 0;
	bool ok;

	if (!rs->begin || now - rs->begin > rs->interval_ns) {
		missed = rs->missed;
		rs->begin = now;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->printed < rs->burst;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	spin_unlock_irqrestore(&rs->lock, flags);
	if (missed)
		printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, missed);
	return ok;
}
