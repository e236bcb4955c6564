/* Kernel-internal name-space calls on kernel strings (kernel/fs/init.c);
 * paths resolve from the calling task's root and cwd. */
#ifndef KERNEL_FS_INIT_H
#define KERNEL_FS_INIT_H
#include "kernel/types.h"

int init_mkdir(const char *path, u32 mode);
int init_mknod(const char *path, u32 mode, u32 dev);   /* S_IFREG makes a file */
int init_symlink(const char *target, const char *path);
int init_link(const char *oldpath, const char *newpath);
int init_remove(const char *path);                     /* unlink, or rmdir if a dir */
int init_setattr(const char *path, u32 mode, u32 uid, u32 gid, s64 mtime);
int init_mount(const char *dev, const char *dir, const char *type, unsigned long flags);

#endif
