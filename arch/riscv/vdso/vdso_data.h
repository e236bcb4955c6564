/* The vDSO's data page ([vvar]): what the kernel publishes for the vDSO
 * code (arch/riscv/vdso/) to read the clocks without a trap. Shared by the
 * kernel (arch/riscv/vdso.c writes it) and the vDSO (reads it). */
#ifndef ARCH_RISCV_VDSO_VDSO_DATA_H
#define ARCH_RISCV_VDSO_VDSO_DATA_H

/* The [vvar] VMA sits right below the vDSO image: the image (linked at 0)
 * finds the data at -VDSO_VVAR_SIZE, pc-relative. */
#define VDSO_VVAR_PAGES 1
#define VDSO_VVAR_SIZE (VDSO_VVAR_PAGES * 4096)

#ifndef __ASSEMBLY__
#include "kernel/types.h"

/*
 * User space computes exactly what ktime_get_ns() does:
 *   t = time CSR - boot_cycles
 *   ns = t / freq * 10^9 + t % freq * 10^9 / freq
 * and adds realtime_offset_ns for CLOCK_REALTIME{,_COARSE}.
 * A writer makes seq odd, changes the fields, makes it even again
 * (release ordering); readers retry while it is odd or changed. Today
 * only the first vDSO mapping writes it (before any reader exists);
 * a run-time change (clock_settime) would follow the same protocol.
 */
struct vdso_data {
	u32 seq;
	u32 res_ns;             /* clock_getres() of the clocks served here */
	u64 boot_cycles;        /* time CSR value at ktime 0 (get_boot_cycles) */
	u64 freq;               /* timebase frequency, Hz */
	s64 realtime_offset_ns; /* CLOCK_REALTIME minus CLOCK_MONOTONIC */
};
#endif

#endif
