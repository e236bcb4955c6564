/* /dev as a devtmpfs mount with the kernel's device nodes (devtmpfs.c). */
#ifndef KERNEL_FS_DEVTMPFS_H
#define KERNEL_FS_DEVTMPFS_H

void devtmpfs_init(void); /* mkdir /dev, mount devtmpfs there, make the nodes */

#endif
