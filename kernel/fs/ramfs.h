/* ramfs/tmpfs/devtmpfs: memory file systems whose directories are the
 * dcache and whose files are their page cache (kernel/fs/ramfs.c). */
#ifndef KERNEL_FS_RAMFS_H
#define KERNEL_FS_RAMFS_H
#include "kernel/fs/fs.h"

/* Register "rootfs", "ramfs", "tmpfs" and "devtmpfs". */
void ramfs_init(void);
/* A new inode of a memory file system (dev: for device nodes). */
struct inode *ramfs_get_inode(struct super_block *sb, u32 mode, u32 dev);
/* Make a regular file show data[0..size) (kept alive by the caller, e.g.
 * the initramfs) until it is written: pages are copied on first use. */
int ramfs_set_backing(struct inode *inode, const u8 *data, u64 size);
/* The single devtmpfs instance, made on first use. */
struct super_block *devtmpfs_super(void);
extern const struct file_operations ramfs_file_operations;
/* A regular file's attributes (memfd's inodes wrap them). */
int ramfs_setattr(struct dentry *d, struct iattr *a);
int ramfs_getattr(struct dentry *d, struct kstat *st);

/* Unpack a newc archive (or several concatenated) into the root through
 * the VFS (kernel/fs/initramfs.c). Returns entries unpacked, or -errno. */
int unpack_to_rootfs(const u8 *buf, size_t len);

#endif
