/* Pipes and FIFOs (Linux: include/linux/pipe_fs_i.h): a ring of pages
 * between the writers and the readers of one inode. pipe2() makes an
 * anonymous one; opening an S_IFIFO inode of a file system shares one. */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H
#include "kernel/fs/fs.h"
#include "proc/wait.h"

#define PIPE_DEF_BUFFERS 16     /* pages in a new ring: 64 KiB, Linux's default */
#define PIPE_MAX_SIZE (1024 * 1024) /* F_SETPIPE_SZ limit (/proc/sys/fs/pipe-max-size) */
#define PIPE_BUF 4096           /* writes up to this size are atomic */
#define FIONREAD 0x541B         /* ioctl: unread bytes, as an int */
#define F_SETPIPE_SZ 1031       /* fcntl (F_LINUX_SPECIFIC_BASE + 7) */
#define F_GETPIPE_SZ 1032

/* One slot of the ring: the unread bytes [offset, offset + len) of a page. */
struct pipe_buffer {
	char *page;             /* kernel address; NULL while the slot is free */
	unsigned int offset;
	unsigned int len;
};

struct pipe_inode_info {
	struct mutex mutex;     /* protects everything below except files */
	wait_queue_head_t rd_wait; /* readers: data came or the last writer went;
				    * FIFO opens waiting for a writer */
	wait_queue_head_t wr_wait; /* writers: room came or the last reader went;
				    * FIFO opens waiting for a reader */
	/* Free-running slot counters: bufs[tail % ring_size] holds the
	 * oldest bytes, bufs[head % ring_size] is the next slot to fill. The
	 * unlocked readers (poll, wait conditions) only use them as hints. */
	unsigned int head, tail;
	unsigned int ring_size; /* slots: a power of two (F_SETPIPE_SZ changes it) */
	unsigned int nr_bytes;  /* unread bytes in the ring (FIONREAD) */
	unsigned int readers, writers;     /* open ends */
	unsigned int r_counter, w_counter; /* reader/writer opens ever: a FIFO
					    * open waits for the other to move */
	unsigned int files;     /* struct files using it; pipe_files_lock protects it */
	char *tmp_page;         /* a drained page kept for the next write */
	struct pipe_buffer *bufs; /* ring_size of them */
};

/* What open() installs for S_IFIFO inodes (init_special_inode) and what
 * pipe2's files use: read, write, poll, FIONREAD, and the FIFO open. */
extern const struct file_operations pipefifo_fops;

/* The pipe behind f, or NULL if f is not a pipe or FIFO. */
struct pipe_inode_info *get_pipe_info(struct file *f);
/* fcntl's F_GETPIPE_SZ / F_SETPIPE_SZ on f (-EBADF if it is no pipe):
 * the capacity in bytes. F_SETPIPE_SZ rounds up to a power of two of
 * pages, refuses more than PIPE_MAX_SIZE (-EPERM) and a size too small
 * for the unread bytes (-EBUSY). */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

#endif
