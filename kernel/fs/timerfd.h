/* timerfd's hook in timekeeping (Linux: timerfd_clock_was_set): after
 * CLOCK_REALTIME is set, absolute CLOCK_REALTIME timerfds move to the new
 * offset and those with TFD_TIMER_CANCEL_ON_SET report -ECANCELED once. */
#ifndef KERNEL_FS_TIMERFD_H
#define KERNEL_FS_TIMERFD_H

void timerfd_clock_was_set(void); /* process context, or boot before any timerfd */

#endif
