/* Wall-clock time (see timekeeping.h) and QEMU virt's goldfish RTC, which
 * only needs reading once: after that the time CSR keeps time. */
#include "kernel/timekeeping.h"
#include "kernel/printk.h"
#include "mm/ioremap.h"
#include "arch/riscv/vdso.h"
#include "kernel/fs/timerfd.h"

static s64 realtime_offset_ns; /* atomic: CLOCK_REALTIME - CLOCK_MONOTONIC */

s64 ktime_realtime_offset(void)
{
	return __atomic_load_n(&realtime_offset_ns, __ATOMIC_ACQUIRE);
}

u64 ktime_get_real_ns(void)
{
	return ktime_get_ns() + (u64)ktime_realtime_offset();
}

void do_settimeofday(u64 real_ns)
{
	s64 off = (s64)(real_ns - ktime_get_ns());

	__atomic_store_n(&realtime_offset_ns, off, __ATOMIC_RELEASE);
	vdso_set_realtime_offset(off);
	timerfd_clock_was_set();
}

u64 real_to_mono_ns(u64 real_ns)
{
	s64 off = ktime_realtime_offset();

	if (off > 0 && real_ns < (u64)off)
		return 0;
	return real_ns - (u64)off;
}

#define GOLDFISH_TIME_LOW 0x00  /* reading it latches TIME_HIGH */
#define GOLDFISH_TIME_HIGH 0x04

void rtc_init(u64 base_pa)
{
	volatile u32 *rtc = base_pa ? ioremap(base_pa, 0x1000) : NULL;

	if (!rtc)
		return;
	u64 lo = rtc[GOLDFISH_TIME_LOW / 4];
	u64 hi = rtc[GOLDFISH_TIME_HIGH / 4];
	do_settimeofday(hi << 32 | lo);
	pr_info("rtc: goldfish at %#lx: %lu s since the epoch\n", (unsigned long)base_pa,
		(unsigned long)((hi << 32 | lo) / 1000000000UL));
}
