/* Rate limiting for messages user programs can trigger at will (Linux:
 * lib/ratelimit.c): at most `burst` messages per `interval`, the rest
 * counted and reported as "N callbacks suppressed". */
#ifndef KERNEL_RATELIMIT_H
#define KERNEL_RATELIMIT_H
#include "kernel/spinlock.h"
#include "kernel/types.h"

struct ratelimit_state {
	spinlock_t lock;  /* protects the fields below */
	u64 interval_ns;
	int burst;
	u64 begin;        /* start of the current interval (ktime_get_ns) */
	int printed;      /* messages let through in it */
	int missed;       /* messages suppressed in it */
};

#define DEFAULT_RATELIMIT_INTERVAL_NS (5ULL * 1000000000ULL)
#define DEFAULT_RATELIMIT_BURST 10
#define RATELIMIT_STATE_INIT { .lock = SPINLOCK_INIT, .interval_ns = DEFAULT_RATELIMIT_INTERVAL_NS, \
			       .burst = DEFAULT_RATELIMIT_BURST }

/* True if a message may be printed now. */
bool __ratelimit(struct ratelimit_state *rs, const char *func);
#define ratelimit(rs) __ratelimit(rs, __func__)

#endif
