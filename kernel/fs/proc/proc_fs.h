/* procfs's interface to the rest of the kernel (Linux: include/linux/proc_fs.h):
 * the "proc" file system type and its boot-time set-up. What /proc holds,
 * file by file, is in kernel/fs/proc/internal.h and docs/userland.md. */
#ifndef KERNEL_FS_PROC_PROC_FS_H
#define KERNEL_FS_PROC_PROC_FS_H
#include "kernel/fs/fs.h"

struct fdt_info;

extern struct file_system_type proc_fs_type;

/* Register "proc" and start the load-average sampler; once, at boot, from
 * process context on any hart (the sampler's timer fires on that hart). */
void proc_root_init(void);
/* Keep what /proc/cpuinfo shows of each hart (riscv,isa, mmu-type) from
 * the device tree; call once at boot after the harts are numbered. Without
 * it /proc/cpuinfo prints "rv64" and "sv48". */
void proc_cpuinfo_init(const struct fdt_info *fdt);

#endif
