/* Files with no file system behind them (Linux: include/linux/anon_inodes.h):
 * eventfd, epoll, timerfd and signalfd files share one inode and differ in
 * their f_op and private_data. */
#ifndef KERNEL_FS_ANON_INODES_H
#define KERNEL_FS_ANON_INODES_H
#include "kernel/fs/fs.h"

/* A file named "anon_inode:<name>" (name is "[eventfd]"-like and must
 * outlive the file); flags: O_ACCMODE, O_NONBLOCK. ERR_PTR on failure. */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, unsigned int flags);
/* The same, installed in a new descriptor (O_CLOEXEC honoured): the fd or
 * -errno (priv is then the caller's to free). */
int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     unsigned int flags);

#endif
