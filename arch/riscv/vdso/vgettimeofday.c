/* The vDSO's clocks: clock_gettime, gettimeofday and clock_getres computed
 * in user space from the time CSR (rdtime) and the [vvar] page, giving
 * exactly what the system calls in proc/sys.c give. Other clocks (CPU
 * time, bad ids) go to the kernel. */
#include "arch/riscv/vdso/vdso_data.h"
#include "arch/riscv/vdso/ecall.h"

#define NSEC_PER_SEC 1000000000UL

/* Linux's clock ids and user structures (uapi). */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
struct vdso_timespec {
	s64 tv_sec, tv_nsec;
};
struct vdso_timeval {
	s64 tv_sec, tv_usec;
};
struct vdso_timezone {
	s32 tz_minuteswest, tz_dsttime;
};

/* Every clock the kernel counts from the timebase; the coarse ones too,
 * since the system call gives them full resolution as well. */
#define TIMEBASE_CLOCKS                                                               \
	((1U << CLOCK_REALTIME) | (1U << CLOCK_MONOTONIC) | (1U << CLOCK_MONOTONIC_RAW) | \
	 (1U << CLOCK_REALTIME_COARSE) | (1U << CLOCK_MONOTONIC_COARSE) | (1U << CLOCK_BOOTTIME))
#define REALTIME_CLOCKS ((1U << CLOCK_REALTIME) | (1U << CLOCK_REALTIME_COARSE))

/* The data page, placed by the linker script just below the image. */
extern const struct vdso_data _vdso_data __attribute__((visibility("hidden")));

static bool timebase_clock(int clk)
{
	return (unsigned int)clk < 32 && (TIMEBASE_CLOCKS & (1U << clk));
}

static u32 read_seq(const volatile struct vdso_data *vd)
{
	u32 seq;

	while ((seq = vd->seq) & 1)
		;
	__asm__ __volatile__("fence r, r" ::: "memory"); /* seq before the fields */
	return seq;
}

static bool retry_seq(const volatile struct vdso_data *vd, u32 seq)
{
	__asm__ __volatile__("fence r, r" ::: "memory"); /* the fields before seq */
	return vd->seq != seq;
}

/* Nanoseconds of CLOCK_MONOTONIC (realtime false) or CLOCK_REALTIME. */
static u64 vdso_ns(bool realtime)
{
	const volatile struct vdso_data *vd = &_vdso_data;
	u64 t, freq, ns;
	u32 seq;

	do {
		seq = read_seq(vd);
		freq = vd->freq;
		__asm__ __volatile__("rdtime %0" : "=r"(t));
		t -= vd->boot_cycles;
		ns = t / freq * NSEC_PER_SEC + t % freq * NSEC_PER_SEC / freq;
		if (realtime)
			ns += (u64)vd->realtime_offset_ns;
	} while (retry_seq(vd, seq));
	return ns;
}

int __vdso_clock_gettime(int clk, struct vdso_timespec *ts)
{
	if (!timebase_clock(clk))
		return (int)vdso_ecall3(NR_clock_gettime, clk, (long)ts, 0);
	u64 ns = vdso_ns(REALTIME_CLOCKS & (1U << clk));
	ts->tv_sec = (s64)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (s64)(ns % NSEC_PER_SEC);
	return 0;
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	if (tv) {
		u64 ns = vdso_ns(true);
		tv->tv_sec = (s64)(ns / NSEC_PER_SEC);
		tv->tv_usec = (s64)(ns % NSEC_PER_SEC / 1000);
	}
	if (tz) { /* the kernel keeps no time zone: UTC */
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}

int __vdso_clock_getres(int clk, struct vdso_timespec *res)
{
	if (!timebase_clock(clk))
		return (int)vdso_ecall3(NR_clock_getres, clk, (long)res, 0);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = ((const volatile struct vdso_data *)&_vdso_data)->res_ns;
	}
	return 0;
}
