/* Pipes and FIFOs (Linux: fs/pipe.c): blocking reads and writes on the
 * ring of pages in kernel/fs/pipe.h with PIPE_BUF atomicity, SIGPIPE,
 * poll, FIONREAD, pipe2() and the FIFO open rendezvous. */
#include "kernel/fs/pipe.h"
#include "kernel/fs/file.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"

/* Protects inode->i_pipe of FIFOs and every pipe's files count: an open
 * finding or creating a FIFO's pipe against the last close freeing it. */
static DEFINE_SPINLOCK(pipe_files_lock);

/* ---- the ring ------------------------------------------------------------ */

static struct pipe_buffer *pipe_slot(struct pipe_inode_info *pipe, unsigned int n)
{
	return &pipe->bufs[n & (pipe->ring_size - 1)];
}

/* Lock-free hints for wait conditions and poll; the mutex holder
 * re-checks. A free slot is what a blocked writer waits for: a writer
 * only sleeps when its bytes fit neither a free slot nor the last page. */
static bool pipe_has_free_slot(struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) - READ_ONCE(pipe->tail) < READ_ONCE(pipe->ring_size);
}

static bool pipe_readable(struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) != READ_ONCE(pipe->tail) || !READ_ONCE(pipe->writers);
}

static bool pipe_writable(struct pipe_inode_info *pipe)
{
	return pipe_has_free_slot(pipe) || !READ_ONCE(pipe->readers);
}

/* Bytes a write can add now without sleeping (mutex held): the free
 * slots' pages and what is left of the last page. */
static size_t pipe_room(struct pipe_inode_info *pipe)
{
	unsigned int used = pipe->head - pipe->tail;
	size_t room = (size_t)(pipe->ring_size - used) * PAGE_SIZE;

	if (used) {
		struct pipe_buffer *last = pipe_slot(pipe, pipe->head - 1);
		room += PAGE_SIZE - (last->offset + last->len);
	}
	return room;
}

static char *pipe_get_page(struct pipe_inode_info *pipe)
{
	char *page = pipe->tmp_page;

	if (page) {
		pipe->tmp_page = NULL;
		return page;
	}
	return alloc_page_va();
}

static void pipe_put_page(struct pipe_inode_info *pipe, char *page)
{
	if (!pipe->tmp_page)
		pipe->tmp_page = page;
	else
		free_page_va(page);
}

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe));

	if (!pipe)
		return NULL;
	pipe->bufs = kzalloc(PIPE_DEF_BUFFERS * sizeof(struct pipe_buffer));
	if (!pipe->bufs) {
		kfree(pipe);
		return NULL;
	}
	pipe->ring_size = PIPE_DEF_BUFFERS;
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	return pipe;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	for (unsigned int n = pipe->tail; n != pipe->head; n++)
		free_page_va(pipe_slot(pipe, n)->page);
	free_page_va(pipe->tmp_page);
	kfree(pipe->bufs);
	kfree(pipe);
}

/* ---- read and write ------------------------------------------------------ */

/* Move unread bytes to the caller (mutex held); the count, or -EFAULT
 * if the first byte could not be stored. */
static ssize_t pipe_copy_out(struct pipe_inode_info *pipe, struct iov_iter *to)
{
	ssize_t done = 0;

	while (pipe->tail != pipe->head && to->count) {
		struct pipe_buffer *buf = pipe_slot(pipe, pipe->tail);
		size_t want = MIN((size_t)buf->len, to->count);
		size_t got = copy_to_iter(buf->page + buf->offset, want, to);

		buf->offset += got;
		buf->len -= got;
		pipe->nr_bytes -= got;
		done += got;
		if (!buf->len) {
			pipe_put_page(pipe, buf->page);
			buf->page = NULL;
			pipe->tail++;
		}
		if (got < want)
			return done ? done : -EFAULT;
	}
	return done;
}

/* Returns what there is (at least one byte), 0 at end of file once no
 * writer is left, or waits. */
static ssize_t pipe_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct pipe_inode_info *pipe = f->private_data;
	ssize_t ret;

	(void)pos;
	if (!to->count)
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		ret = pipe_copy_out(pipe, to);
		if (ret || !pipe->writers)
			break;
		if (f->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		ret = wait_event_interruptible(pipe->rd_wait, pipe_readable(pipe));
		if (ret)
			return ret; /* -ERESTARTSYS: SA_RESTART handlers restart the read */
		mutex_lock(&pipe->mutex);
	}
	mutex_unlock(&pipe->mutex);
	if (ret > 0)
		wake_up_all(&pipe->wr_wait);
	return ret;
}

/* Append up to n bytes (at most pipe_room) from the caller, mutex held:
 * into what is left of the last page, then into fresh pages. The count,
 * short only on a fault or no memory; -EFAULT/-ENOMEM if nothing went in. */
static ssize_t pipe_copy_in(struct pipe_inode_info *pipe, struct iov_iter *from, size_t n)
{
	size_t done = 0;
	int err = 0;

	if (pipe->head != pipe->tail) {
		struct pipe_buffer *last = pipe_slot(pipe, pipe->head - 1);
		size_t end = last->offset + last->len, want = MIN(n, PAGE_SIZE - end);
		size_t got = copy_from_iter(last->page + end, want, from);
		last->len += got;
		done = got;
		if (got < want)
			err = -EFAULT;
	}
	while (!err && done < n && pipe->head - pipe->tail < pipe->ring_size) {
		char *page = pipe_get_page(pipe);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		size_t want = MIN(n - done, PAGE_SIZE);
		size_t got = copy_from_iter(page, want, from);
		if (!got) {
			pipe_put_page(pipe, page);
			err = -EFAULT;
			break;
		}
		*pipe_slot(pipe, pipe->head) = (struct pipe_buffer){ page, 0, (unsigned int)got };
		pipe->head++;
		done += got;
		if (got < want)
			err = -EFAULT;
	}
	pipe->nr_bytes += done;
	return done ? (ssize_t)done : err;
}

/* Writes of at most PIPE_BUF bytes go in at once or not at all (they wait
 * for room); larger ones go in pieces as room appears. No reader: SIGPIPE
 * and -EPIPE. */
static ssize_t pipe_write(struct file *f, struct iov_iter *from, u64 *pos)
{
	struct pipe_inode_info *pipe = f->private_data;
	size_t total = from->count;
	ssize_t ret = 0, written = 0;

	(void)pos;
	if (!total)
		return 0;
	mutex_lock(&pipe->mutex);
	for (;;) {
		if (!pipe->readers) {
			send_sig(SIGPIPE, current, 0);
			ret = -EPIPE;
			break;
		}
		size_t left = total - written, room = pipe_room(pipe);
		if (room && (total > PIPE_BUF || room >= total)) {
			ret = pipe_copy_in(pipe, from, MIN(left, room));
			if (ret < 0)
				break;
			written += ret;
			if ((size_t)written == total || (size_t)ret < MIN(left, room))
				break; /* done, or a fault or no memory cut it short */
			wake_up_all(&pipe->rd_wait); /* let readers drain while we wait */
			continue;
		}
		if (f->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		ret = wait_event_interruptible(pipe->wr_wait, pipe_writable(pipe));
		mutex_lock(&pipe->mutex);
		if (ret)
			break; /* -ERESTARTSYS */
	}
	mutex_unlock(&pipe->mutex);
	if (written) {
		wake_up_all(&pipe->rd_wait);
		return written;
	}
	return ret;
}

/* ---- poll, ioctl, fcntl -------------------------------------------------- */

/* As Linux: readable when bytes wait, hung up when the writers have gone
 * (not while a FIFO has never had a writer: Linux keeps that per open
 * file, here per pipe); writable when a slot is free, POLLERR when the
 * readers have gone. */
static __poll_t pipe_poll(struct file *f, poll_table *pt)
{
	struct pipe_inode_info *pipe = f->private_data;
	__poll_t mask = 0;

	if (f->f_mode & FMODE_READ)
		poll_wait(f, &pipe->rd_wait, pt);
	if (f->f_mode & FMODE_WRITE)
		poll_wait(f, &pipe->wr_wait, pt);
	if (f->f_mode & FMODE_READ) {
		if (READ_ONCE(pipe->head) != READ_ONCE(pipe->tail))
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(pipe->writers) && READ_ONCE(pipe->w_counter))
			mask |= POLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (pipe_has_free_slot(pipe))
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->private_data;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	int n = (int)pipe->nr_bytes;
	mutex_unlock(&pipe->mutex);
	return put_user(n, (int __user *)arg);
}

struct pipe_inode_info *get_pipe_info(struct file *f)
{
	return f->f_op == &pipefifo_fops ? f->private_data : NULL;
}

/* A new ring of `slots` (mutex held), keeping the unread slots in order. */
static long pipe_resize_ring(struct pipe_inode_info *pipe, unsigned int slots)
{
	if (pipe->head - pipe->tail > slots)
		return -EBUSY;
	struct pipe_buffer *bufs = kzalloc(slots * sizeof(*bufs));
	if (!bufs)
		return -ENOMEM;
	for (unsigned int n = pipe->tail; n != pipe->head; n++)
		bufs[n & (slots - 1)] = *pipe_slot(pipe, n);
	kfree(pipe->bufs);
	pipe->bufs = bufs;
	pipe->ring_size = slots;
	return 0;
}

long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = get_pipe_info(f);
	long ret;

	if (!pipe)
		return -EBADF;
	mutex_lock(&pipe->mutex);
	if (cmd == F_SETPIPE_SZ) {
		/* fcntl passes the int argument: only its low 32 bits count */
		unsigned int size = (unsigned int)arg, slots = 1;
		if (size > (1U << 31)) {
			ret = -EINVAL;
			goto out;
		}
		if (size > PIPE_MAX_SIZE) {
			ret = -EPERM; /* everyone is root here, but memory is small */
			goto out;
		}
		while ((size_t)slots * PAGE_SIZE < size)
			slots <<= 1;
		ret = pipe_resize_ring(pipe, slots);
		if (ret)
			goto out;
	} else if (cmd != F_GETPIPE_SZ) {
		ret = -EINVAL;
		goto out;
	}
	ret = (long)pipe->ring_size * PAGE_SIZE;
out:
	mutex_unlock(&pipe->mutex);
	if (cmd == F_SETPIPE_SZ && ret > 0)
		wake_up_all(&pipe->wr_wait); /* a bigger ring has room for them */
	return ret;
}

/* ---- opening and closing ------------------------------------------------- */

/* Drop f's use of the pipe; the last one frees it and unhooks the inode
 * (a FIFO's inode stays, with no pipe until the next open). */
static void put_pipe_info(struct inode *inode, struct pipe_inode_info *pipe)
{
	bool last;

	spin_lock(&pipe_files_lock);
	last = --pipe->files == 0;
	if (last)
		inode->i_pipe = NULL;
	spin_unlock(&pipe_files_lock);
	if (last)
		free_pipe_info(pipe);
}

/* The last close of one end wakes the other side: readers see end of
 * file, writers EPIPE, pollers POLLHUP/POLLERR. */
static int pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = f->private_data;

	mutex_lock(&pipe->mutex);
	if (f->f_mode & FMODE_READ)
		pipe->readers--;
	if (f->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	wake_up_all(&pipe->rd_wait);
	wake_up_all(&pipe->wr_wait);
	put_pipe_info(inode, pipe);
	return 0;
}

/* inode->i_pipe with one more file using it, made on the first open. */
static struct pipe_inode_info *fifo_get_pipe(struct inode *inode)
{
	struct pipe_inode_info *pipe, *fresh = NULL;

	for (;;) {
		spin_lock(&pipe_files_lock);
		pipe = inode->i_pipe;
		if (!pipe && fresh) {
			inode->i_pipe = pipe = fresh;
			fresh = NULL;
		}
		if (pipe)
			pipe->files++;
		spin_unlock(&pipe_files_lock);
		if (pipe)
			break;
		fresh = alloc_pipe_info(); /* outside the spinlock, then look again */
		if (!fresh)
			return NULL;
	}
	if (fresh)
		free_pipe_info(fresh); /* another open made it first */
	return pipe;
}

/* Sleep until *counter moves from `seen` (another end opened), the mutex
 * dropped meanwhile; 0 or -ERESTARTSYS. */
static int wait_for_partner(struct pipe_inode_info *pipe, wait_queue_head_t *wq,
			    unsigned int *counter, unsigned int seen)
{
	mutex_unlock(&pipe->mutex);
	int ret = wait_event_interruptible(*wq, READ_ONCE(*counter) != seen);
	mutex_lock(&pipe->mutex);
	return ret;
}

/* Opening a FIFO (Linux's fifo_open): read-only waits for a writer and
 * write-only for a reader unless O_NONBLOCK (then a lone writer gets
 * -ENXIO); read-write never waits. */
#define PIPEFS_MAGIC 0x50495045

static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = fifo_get_pipe(inode);
	/* Reopening a pipe (/proc/self/fd/N) never waits for a partner. */
	bool is_pipe = inode->i_sb && inode->i_sb->s_magic == PIPEFS_MAGIC;
	bool nonblock = f->f_flags & O_NONBLOCK;
	int ret = 0;

	if (!pipe)
		return -ENOMEM;
	f->private_data = pipe;
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	mutex_lock(&pipe->mutex);
	switch (f->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->r_counter++;
		pipe->readers++;
		wake_up_all(&pipe->wr_wait);
		if (!is_pipe && !pipe->writers && !nonblock)
			ret = wait_for_partner(pipe, &pipe->rd_wait, &pipe->w_counter,
					       pipe->w_counter);
		if (ret)
			pipe->readers--;
		break;
	case FMODE_WRITE:
		if (!is_pipe && !pipe->readers && nonblock) {
			ret = -ENXIO;
			break;
		}
		pipe->w_counter++;
		pipe->writers++;
		wake_up_all(&pipe->rd_wait);
		if (!is_pipe && !pipe->readers)
			ret = wait_for_partner(pipe, &pipe->wr_wait, &pipe->r_counter,
					       pipe->r_counter);
		if (ret)
			pipe->writers--;
		break;
	case FMODE_READ | FMODE_WRITE:
		pipe->r_counter++;
		pipe->w_counter++;
		pipe->readers++;
		pipe->writers++;
		wake_up_all(&pipe->rd_wait);
		wake_up_all(&pipe->wr_wait);
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&pipe->mutex);
	if (ret) {
		/* the side we woke must see that we left again */
		wake_up_all(&pipe->rd_wait);
		wake_up_all(&pipe->wr_wait);
		put_pipe_info(inode, pipe);
	}
	return ret;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* ---- pipe2 --------------------------------------------------------------- */

/* An anonymous pipe: one pseudo inode (S_IFIFO, 0600) and its two files,
 * res[0] the read end, res[1] the write end. */
static int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = new_inode_pseudo();
	struct pipe_inode_info *pipe;
	struct file *r, *w;

	if (!inode || IS_ERR(inode))
		return -ENFILE;
	pipe = alloc_pipe_info();
	if (!pipe) {
		iput(inode);
		return -ENFILE;
	}
	inode->i_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	inode->i_fop = &pipefifo_fops;
	inode->i_pipe = pipe;
	pipe->readers = pipe->writers = 1;
	pipe->r_counter = pipe->w_counter = 1;
	pipe->files = 2;
	w = alloc_file_pseudo(inode, O_WRONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	if (!w) {
		inode->i_pipe = NULL;
		free_pipe_info(pipe);
		iput(inode);
		return -ENFILE;
	}
	w->private_data = pipe;
	r = alloc_file_pseudo(ihold(inode), O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	if (!r) {
		iput(inode);
		pipe->readers = 0;
		pipe->files = 1;
		fput(w); /* frees the pipe and the inode */
		return -ENFILE;
	}
	r->private_data = pipe;
	res[0] = r;
	res[1] = w;
	return 0;
}

/* O_DIRECT (packet mode) pipes are not supported: -EINVAL as on a kernel
 * without them. */
SYSCALL_DEFINE2(pipe2, int __user *, ufds, int, flags)
{
	struct file *files[2];
	int fds[2], ret;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	ret = create_pipe_files(files, flags);
	if (ret)
		return ret;
	fds[0] = get_unused_fd_flags(flags);
	if (fds[0] < 0) {
		ret = fds[0];
		goto put_files;
	}
	fds[1] = get_unused_fd_flags(flags);
	if (fds[1] < 0) {
		ret = fds[1];
		goto put_fd0;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		ret = -EFAULT;
		put_unused_fd(fds[1]);
		goto put_fd0;
	}
	fd_install_at(fds[0], files[0]);
	fd_install_at(fds[1], files[1]);
	return 0;
put_fd0:
	put_unused_fd(fds[0]);
put_files:
	fput(files[0]);
	fput(files[1]);
	return ret;
}
