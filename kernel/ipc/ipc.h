/* System V IPC as the rest of the kernel sees it (Linux: include/linux/ipc.h,
 * shm.h): boot-time setup. */
#ifndef KERNEL_IPC_IPC_H
#define KERNEL_IPC_IPC_H
#include "kernel/types.h"

void ipc_init(void);
void shm_init(void);

#endif
