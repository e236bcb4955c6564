/* Shared by kernel/fs/eventpoll.c (the sets: items, wake-up callbacks,
 * the ready list) and kernel/fs/eventpoll_syscalls.c (epoll_ctl's checks
 * and the waits): the user ABI and the operations on a set. Not for the
 * rest of the kernel (that has kernel/fs/eventpoll.h). */
#ifndef KERNEL_FS_EVENTPOLL_INTERNAL_H
#define KERNEL_FS_EVENTPOLL_INTERNAL_H
#include "kernel/fs/fs.h"

#define EPOLLIN 0x00000001
#define EPOLLOUT 0x00000004
#define EPOLLERR 0x00000008
#define EPOLLHUP 0x00000010
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)
/* Bits that are not events: a one-shot item keeps only these. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
				EPOLLET | EPOLLEXCLUSIVE)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define EP_MAX_NESTS 4          /* epoll sets inside epoll sets, at most this deep */
#define EP_MAX_EVENTS (0x7fffffff / sizeof(struct epoll_event))

/* The riscv64 layout (only x86-64 packs it). */
struct epoll_event {
	u32 events;
	u64 data;
};

struct eventpoll;

bool is_file_epoll(struct file *f);
/* EPOLL_CTL_ADD/MOD/DEL on the set (its mutex taken here). */
int ep_ctl(struct eventpoll *ep, int op, struct file *tf, int fd, struct epoll_event *ev);
/* Would adding the set `to` into `ep` make a loop or too deep a chain?
 * The caller holds epnested_mutex (kernel/fs/eventpoll_syscalls.c). */
bool ep_loop_check(struct eventpoll *ep, struct eventpoll *to);
/* epoll_wait: events copied out, 0 at the deadline, -EINTR, -EFAULT. */
int ep_poll(struct eventpoll *ep, struct epoll_event __user *events, int maxevents, u64 deadline);

#endif
