/* epoll's hook in the file release path (Linux: include/linux/eventpoll.h):
 * a file's last fput takes it out of every epoll set watching it. */
#ifndef KERNEL_FS_EVENTPOLL_H
#define KERNEL_FS_EVENTPOLL_H
#include "kernel/fs/fs.h"

void eventpoll_release_file(struct file *f);

/* At the last reference nobody can add f to a set any more, but a set
 * closing now may be removing its item: taking f_lock waits until that
 * removal is done with f. */
static inline void eventpoll_release(struct file *f)
{
	spin_lock(&f->f_lock);
	bool watched = !list_empty(&f->f_ep_links);
	spin_unlock(&f->f_lock);
	if (watched)
		eventpoll_release_file(f);
}

#endif
