/* Wall-clock time: CLOCK_REALTIME is CLOCK_MONOTONIC (ktime_get_ns, the
 * time CSR since boot) plus an offset, set at boot from the board's RTC
 * and by clock_settime/settimeofday (Linux: kernel/time/timekeeping.c). */
#ifndef KERNEL_TIMEKEEPING_H
#define KERNEL_TIMEKEEPING_H
#include "kernel/types.h"

/* Clock ids (Linux uapi/linux/time.h). */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

u64 ktime_get_real_ns(void);
s64 ktime_realtime_offset(void);        /* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
void do_settimeofday(u64 real_ns);      /* also tells the vDSO */
/* An absolute CLOCK_REALTIME deadline as a CLOCK_MONOTONIC one (at the
 * current offset; 0 if it is already in the past of the boot). */
u64 real_to_mono_ns(u64 real_ns);
void rtc_init(u64 goldfish_base_pa);    /* read the RTC once, set the offset */

#endif
