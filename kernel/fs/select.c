/* Waiting on many descriptors (Linux: fs/select.c): ppoll and pselect6
 * ask each file's ->poll, queue the caller on the wait queues it names
 * and sleep until a wake-up, the timeout or a signal, then ask again. */
#include "kernel/fs/file.h"
#include "kernel/fs/select.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/slab.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/wait.h"

#define NSEC_PER_SEC 1000000000ULL

__poll_t vfs_poll(struct file *f, poll_table *pt)
{
	return f->f_op && f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
}

/* ---- the wait: one entry per (file, wait queue) the files name ---------- */

struct poll_table_entry {
	struct file *filp;      /* a reference, so the queue outlives a racing close */
	wait_queue_head_t *wq;
	struct wait_queue_entry wait;
};

/* Entries beyond the inline ones come in pages chained here. */
struct poll_table_page {
	struct poll_table_page *next;
	unsigned int nr;
	struct poll_table_entry entries[];
};
#define ENTRIES_PER_PAGE \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / sizeof(struct poll_table_entry))
#define POLL_INLINE_ENTRIES 8

struct poll_wqueues {
	poll_table pt;
	int error;              /* -ENOMEM if an entry could not be had */
	unsigned int inline_nr;
	struct poll_table_page *pages;
	struct poll_table_entry inline_entries[POLL_INLINE_ENTRIES];
};

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	if (p->inline_nr < POLL_INLINE_ENTRIES)
		return &p->inline_entries[p->inline_nr++];
	if (!p->pages || p->pages->nr == ENTRIES_PER_PAGE) {
		struct poll_table_page *page = kmalloc(PAGE_SIZE);
		if (!page) {
			p->error = -ENOMEM;
			return NULL;
		}
		page->next = p->pages;
		page->nr = 0;
		p->pages = page;
	}
	return &p->pages->entries[p->pages->nr++];
}

/* poll_wait() lands here on the first pass: queue current on wq. */
static void poll_queue_proc(struct file *f, wait_queue_head_t *wq, poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *e = poll_get_entry(p);

	if (!e)
		return;
	e->filp = get_file(f);
	e->wq = wq;
	e->wait = (struct wait_queue_entry){ .task = current };
	/* the caller is already TASK_INTERRUPTIBLE: this keeps it so */
	prepare_to_wait(wq, &e->wait, TASK_INTERRUPTIBLE);
}

static void poll_initwait(struct poll_wqueues *p)
{
	p->pt.qproc = poll_queue_proc;
	p->pt.key = 0;
	p->error = 0;
	p->inline_nr = 0;
	p->pages = NULL;
}

static void poll_free_entry(struct poll_table_entry *e)
{
	finish_wait(e->wq, &e->wait);
	fput(e->filp);
}

/* Off every queue, files released, pages freed. */
static void poll_freewait(struct poll_wqueues *p)
{
	for (unsigned int i = 0; i < p->inline_nr; i++)
		poll_free_entry(&p->inline_entries[i]);
	while (p->pages) {
		struct poll_table_page *page = p->pages;
		for (unsigned int i = 0; i < page->nr; i++)
			poll_free_entry(&page->entries[i]);
		p->pages = page->next;
		kfree(page);
	}
}

static void poll_timer_fn(struct timer *t)
{
	wake_up_process(t->data);
}

/* Sleep until a wake-up or the deadline; false once the deadline has
 * passed. The caller set TASK_INTERRUPTIBLE before its last look at the
 * files and it must stay so: a wake-up since then made it TASK_RUNNING
 * and schedule() returns at once (schedule_timeout would set the state
 * again and lose that wake-up). */
bool poll_schedule_timeout(u64 deadline)
{
	struct timer t;

	if (deadline == POLL_FOREVER) {
		schedule();
		return true;
	}
	if (ktime_get_ns() >= deadline)
		return false;
	timer_init(&t, poll_timer_fn, current);
	timer_add(&t, deadline);
	schedule();
	timer_del(&t);
	return ktime_get_ns() < deadline;
}

/* One look at every descriptor; the number ready. pt is NULL after the
 * first pass (and once one file is ready: no need to queue on the rest). */
typedef int (*poll_pass_fn)(void *arg, poll_table *pt);

/* The loop shared by poll and select: the number ready, 0 on timeout,
 * -ERESTARTNOHAND on a signal, -ENOMEM. */
static int poll_wait_loop(u64 deadline, poll_pass_fn pass, void *arg)
{
	struct poll_wqueues table;
	bool timed_out = deadline == POLL_NO_WAIT;
	int count;

	poll_initwait(&table);
	poll_table *pt = timed_out ? NULL : &table.pt;
	for (;;) {
		/* Before looking: a wake-up from here on is not missed. */
		set_current_state(TASK_INTERRUPTIBLE);
		count = pass(arg, pt);
		pt = NULL;
		if (count || timed_out)
			break;
		if (table.error) {
			count = table.error;
			break;
		}
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;
			break;
		}
		timed_out = !poll_schedule_timeout(deadline);
	}
	set_current_state(TASK_RUNNING);
	poll_freewait(&table);
	return count;
}

/* A descriptor to poll: O_PATH files count as not open, as in Linux. */
static struct file *fget_poll(int fd)
{
	struct file *f = fget(fd);

	if (f && (f->f_mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

/* ---- timeouts and the temporary signal mask ---------------------------- */

/* The deadline a user timespec gives: POLL_FOREVER for NULL, POLL_NO_WAIT
 * for zero; -EFAULT, or -EINVAL for a negative or malformed one. */
int poll_get_deadline(const struct kernel_timespec __user *utsp, u64 *deadline)
{
	struct kernel_timespec ts;

	*deadline = POLL_FOREVER;
	if (!utsp)
		return 0;
	if (copy_from_user(&ts, utsp, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	if (!ts.tv_sec && !ts.tv_nsec) {
		*deadline = POLL_NO_WAIT;
		return 0;
	}
	u64 now = ktime_get_ns(), limit = POLL_FOREVER - 1 - now;
	if ((u64)ts.tv_sec >= limit / NSEC_PER_SEC)
		*deadline = POLL_FOREVER - 1; /* practically forever, still a timeout */
	else
		*deadline = MIN(now + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec,
				POLL_FOREVER - 1);
	return 0;
}

/* The mask for the wait, as rt_sigsuspend does it: saved_sigmask holds
 * the old one; a handler's frame saves that, so the handler runs with
 * the temporary mask and sigreturn restores the old. */
int set_user_sigmask(const sigset_t __user *umask, size_t size)
{
	sigset_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	set_current_blocked(&mask);
	current->restore_sigmask = true;
	return 0;
}

/* Leaving ppoll/pselect6: the old mask back unless a signal is about to
 * be delivered (do_signal does it then), and the time left written back
 * to the user's timespec (a failed write turns a restart into -EINTR, as
 * the restarted call would not see the time already spent). */
static long poll_select_finish(u64 deadline, struct kernel_timespec __user *utsp, long ret)
{
	if (ret != -ERESTARTNOHAND)
		restore_saved_sigmask();
	if (!utsp || deadline == POLL_NO_WAIT || deadline == POLL_FOREVER)
		return ret;
	u64 now = ktime_get_ns(), left = deadline > now ? deadline - now : 0;
	struct kernel_timespec ts = { (s64)(left / NSEC_PER_SEC), (long)(left % NSEC_PER_SEC) };
	if (copy_to_user(utsp, &ts, sizeof(ts)) && ret == -ERESTARTNOHAND)
		ret = -EINTR;
	return ret;
}

/* ---- poll ---------------------------------------------------------------- */

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct poll_list {
	struct pollfd *fds;
	unsigned int nfds;
};

/* Bad descriptors answer POLLNVAL; negative ones are skipped. Only the
 * asked-for events count, and POLLERR/POLLHUP always. */
static int do_pollfd(struct pollfd *p, poll_table *pt)
{
	if (p->fd < 0) {
		p->revents = 0;
		return 0;
	}
	struct file *f = fget_poll(p->fd);
	__poll_t mask = POLLNVAL;
	if (f) {
		__poll_t filter = (unsigned short)p->events | POLLERR | POLLHUP;
		if (pt)
			pt->key = filter;
		mask = vfs_poll(f, pt) & filter;
		fput(f);
	}
	p->revents = (short)mask;
	return mask != 0;
}

static int poll_pass(void *arg, poll_table *pt)
{
	struct poll_list *l = arg;
	int count = 0;

	for (unsigned int i = 0; i < l->nfds; i++) {
		if (do_pollfd(&l->fds[i], pt)) {
			count++;
			pt = NULL;
		}
	}
	return count;
}

#define POLL_STACK_FDS 32

static long do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, u64 deadline)
{
	struct pollfd stack_fds[POLL_STACK_FDS];
	struct poll_list l = { stack_fds, nfds };
	long ret;

	if (nfds > task_rlimit(current, RLIMIT_NOFILE))
		return -EINVAL;
	if (nfds > POLL_STACK_FDS) {
		l.fds = kmalloc((size_t)nfds * sizeof(struct pollfd));
		if (!l.fds)
			return -ENOMEM;
	}
	ret = -EFAULT;
	if (nfds && copy_from_user(l.fds, ufds, (size_t)nfds * sizeof(struct pollfd)))
		goto out;
	ret = poll_wait_loop(deadline, poll_pass, &l);
	/* revents go back whatever happened, as in Linux */
	for (unsigned int i = 0; i < nfds; i++)
		if (put_user(l.fds[i].revents, &ufds[i].revents)) {
			ret = -EFAULT;
			break;
		}
out:
	if (l.fds != stack_fds)
		kfree(l.fds);
	return ret;
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct kernel_timespec __user *, tsp, const sigset_t __user *, sigmask,
		size_t, sigsetsize)
{
	u64 deadline;
	long ret = poll_get_deadline(tsp, &deadline);

	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, deadline);
	return poll_select_finish(deadline, tsp, ret);
}

/* ---- select -------------------------------------------------------------- */

#define BITS_PER_LONG 64
#define FDS_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* What readiness each set means (Linux's POLLIN_SET...). */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

/* The three sets asked about and the three answered, FDS_LONGS(n) each,
 * in one allocation. */
struct fd_set_bits {
	int n;
	unsigned long *in, *out, *ex, *res_in, *res_out, *res_ex;
};

static struct fd_set_bits *alloc_fd_set_bits(int n)
{
	size_t longs = FDS_LONGS(n);
	struct fd_set_bits *s = kmalloc(sizeof(*s) + 6 * longs * sizeof(long));

	if (!s)
		return NULL;
	s->n = n;
	s->in = (unsigned long *)(s + 1);
	s->out = s->in + longs;
	s->ex = s->out + longs;
	s->res_in = s->ex + longs;
	s->res_out = s->res_in + longs;
	s->res_ex = s->res_out + longs;
	return s;
}

static int get_fd_set(int n, const unsigned long __user *ufds, unsigned long *fds)
{
	size_t bytes = FDS_LONGS(n) * sizeof(long);

	if (!ufds) {
		memset(fds, 0, bytes);
		return 0;
	}
	return copy_from_user(fds, ufds, bytes);
}

static int set_fd_set(int n, unsigned long __user *ufds, const unsigned long *fds)
{
	return ufds ? copy_to_user(ufds, fds, FDS_LONGS(n) * sizeof(long)) : 0;
}

static bool test_fd(const unsigned long *set, int fd)
{
	return (set[fd / BITS_PER_LONG] >> (fd % BITS_PER_LONG)) & 1;
}

static void set_fd(unsigned long *set, int fd)
{
	set[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

/* Every descriptor named must be open: -EBADF otherwise. */
static int select_check_fds(struct fd_set_bits *s)
{
	for (int fd = 0; fd < s->n; fd++) {
		if (!test_fd(s->in, fd) && !test_fd(s->out, fd) && !test_fd(s->ex, fd))
			continue;
		struct file *f = fget_poll(fd);
		if (!f)
			return -EBADF;
		fput(f);
	}
	return 0;
}

static int select_pass(void *arg, poll_table *pt)
{
	struct fd_set_bits *s = arg;
	int count = 0;

	memset(s->res_in, 0, 3 * FDS_LONGS(s->n) * sizeof(long)); /* res_out, res_ex follow */
	for (int fd = 0; fd < s->n; fd++) {
		bool in = test_fd(s->in, fd), out = test_fd(s->out, fd), ex = test_fd(s->ex, fd);
		if (!in && !out && !ex)
			continue;
		struct file *f = fget_poll(fd);
		if (!f)
			continue; /* closed since the check: Linux skips it too */
		if (pt)
			pt->key = POLLEX_SET | (in ? POLLIN_SET : 0) | (out ? POLLOUT_SET : 0);
		__poll_t mask = vfs_poll(f, pt);
		fput(f);
		int before = count;
		if (in && (mask & POLLIN_SET)) {
			set_fd(s->res_in, fd);
			count++;
		}
		if (out && (mask & POLLOUT_SET)) {
			set_fd(s->res_out, fd);
			count++;
		}
		if (ex && (mask & POLLEX_SET)) {
			set_fd(s->res_ex, fd);
			count++;
		}
		if (count != before)
			pt = NULL;
	}
	return count;
}

static long core_sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
			    unsigned long __user *exp, u64 deadline)
{
	struct fd_set_bits *s;
	long ret;

	if (n < 0)
		return -EINVAL;
	/* Bits past the descriptor table are ignored, as Linux clamps to max_fds. */
	struct files_struct *files = current->files;
	spin_lock(&files->file_lock);
	if ((unsigned int)n > files->max_fds)
		n = (int)files->max_fds;
	spin_unlock(&files->file_lock);
	s = alloc_fd_set_bits(n);
	if (!s)
		return -ENOMEM;
	ret = -EFAULT;
	if (get_fd_set(n, inp, s->in) || get_fd_set(n, outp, s->out) || get_fd_set(n, exp, s->ex))
		goto out;
	ret = select_check_fds(s);
	if (ret)
		goto out;
	ret = poll_wait_loop(deadline, select_pass, s);
	if (ret < 0)
		goto out;
	if (set_fd_set(n, inp, s->res_in) || set_fd_set(n, outp, s->res_out) ||
	    set_fd_set(n, exp, s->res_ex))
		ret = -EFAULT;
out:
	kfree(s);
	return ret;
}

/* pselect6's sixth argument points at { const sigset_t *ss; size_t ss_len }. */
struct sigset_argpack {
	const sigset_t __user *ss;
	size_t ss_len;
};

SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct kernel_timespec __user *, tsp,
		const struct sigset_argpack __user *, sig)
{
	struct sigset_argpack pack = { NULL, 0 };
	u64 deadline;
	long ret = poll_get_deadline(tsp, &deadline);

	if (ret)
		return ret;
	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	ret = set_user_sigmask(pack.ss, pack.ss_len);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, deadline);
	return poll_select_finish(deadline, tsp, ret);
}
