/* The memory character devices (kernel/fs/mem.c): /dev/null, /dev/zero,
 * /dev/full, /dev/random and /dev/urandom, all of major 1. */
#ifndef KERNEL_FS_MEM_H
#define KERNEL_FS_MEM_H

void chr_dev_init(void); /* register major 1; before the first open */

#endif
