/* memfd_create files and their seals (kernel/fs/memfd.c). */
#ifndef KERNEL_FS_MEMFD_H
#define KERNEL_FS_MEMFD_H
#include "kernel/fs/fs.h"

/* F_ADD_SEALS / F_GET_SEALS: -EINVAL for a file that is not a memfd. */
long memfd_fcntl(struct file *f, unsigned int cmd, unsigned long arg);
/* mmap of f with *vm_flags: -EPERM if write seals forbid it (and a
 * read-only shared mapping of a sealed memfd loses VM_MAYWRITE). */
int memfd_check_seals_mmap(struct file *f, unsigned long *vm_flags);

#endif
