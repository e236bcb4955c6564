/* epoll's hook in the file release path (Linux: include/linux/eventpoll.h):
 * a file's last fput takes it out of every epoll set watching it. */
#ifndef KERNEL_FS_EVENTPOLL_H
#define KERNEL_FS_EVENTPOLL_H
#include "kernel/fs/fs.h"

void eventpoll_release_file(struct file *f);

static inline void eventpoll_release(struct file *f)
{
	/* No lock: at the last reference nobody can add f to a set any more. */
	if (!list_empty(&f->f_ep_links))
		eventpoll_release_file(f);
}

#endif
