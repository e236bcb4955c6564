/* Boot test: file locks. POSIX record locks (conflicts, F_GETLK, merge and
 * split, the close() gotcha, F_SETLKW, EDEADLK, EINTR), OFD locks, flock(2)
 * and the errors, between this process and a helper process that runs
 * lock commands sent through a pipe. Usage: locks [file] (default
 * /tmp/locks.test). Passes on Linux (natively and under qemu-riscv64). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

static const char *path = "/tmp/locks.test";
#define FILE_SIZE 1000

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM after ms milliseconds (0: cancel), with or without SA_RESTART. */
static void arm_alarm(int ms, int restart)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

/* fcntl lock command on [start, start+len) from whence; 0 or -errno. */
static int lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl) == 0 ? 0 : -errno;
}

static int setlk(int fd, short type, off_t start, off_t len)
{
	return lk(fd, F_SETLK, type, SEEK_SET, start, len);
}

static int unlock_all(int fd)
{
	return setlk(fd, F_UNLCK, 0, 0);
}

static int flk(int fd, int op)
{
	return flock(fd, op) == 0 ? 0 : -errno;
}

/* ---- the helper: another process, with its own open of the file --------- */

enum { H_OPEN, H_CLOSE, H_FCNTL, H_FLOCK, H_ALARM, H_EXIT };

struct cmd {
	int op, fd, arg;        /* H_FCNTL: arg is the command; H_FLOCK: the op */
	struct flock fl;
};
struct reply {
	int ret;                /* 0, an fd, or -errno */
	int alarms;             /* SIGALRMs the helper has taken */
	struct flock fl;        /* H_FCNTL: the struct after the call */
};

static int to_helper = -1, from_helper = -1;
static pid_t helper_pid;
static int hfd;                 /* the helper's first open of the file (O_RDWR) */

static void helper_loop(int in, int out)
{
	struct cmd c;

	while (read(in, &c, sizeof(c)) == sizeof(c)) {
		struct reply r = { 0, 0, c.fl };
		switch (c.op) {
		case H_OPEN:
			r.ret = open(path, c.arg);
			break;
		case H_CLOSE:
			r.ret = close(c.fd);
			break;
		case H_FCNTL:
			r.ret = fcntl(c.fd, c.arg, &r.fl);
			break;
		case H_FLOCK:
			r.ret = flock(c.fd, c.arg);
			break;
		case H_ALARM:
			arm_alarm(c.arg, c.fd);
			break;
		case H_EXIT:
			_exit(0);
		}
		if (r.ret < 0)
			r.ret = -errno;
		r.alarms = alarms;
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(2);
	}
	_exit(0);
}

static void helper_send(int op, int fd, int arg, const struct flock *fl)
{
	struct cmd c = { op, fd, arg, { 0 } };
	if (fl)
		c.fl = *fl;
	if (write(to_helper, &c, sizeof(c)) != sizeof(c))
		abort();
}

/* Wait up to ms for the helper's reply; 1 if it came. */
static int helper_ready(int ms)
{
	struct pollfd p = { from_helper, POLLIN, 0 };
	return poll(&p, 1, ms) == 1;
}

static struct reply helper_reply(void)
{
	struct reply r;
	if (!helper_ready(10000) || read(from_helper, &r, sizeof(r)) != sizeof(r)) {
		printf("# helper did not answer\n");
		exit(1);
	}
	return r;
}

static struct reply helper(int op, int fd, int arg, const struct flock *fl)
{
	helper_send(op, fd, arg, fl);
	return helper_reply();
}

static void helper_start(void)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		abort();
	helper_pid = fork();
	if (helper_pid == 0) {
		close(a[1]);
		close(b[0]);
		helper_loop(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	to_helper = a[1];
	from_helper = b[0];
	hfd = helper(H_OPEN, 0, O_RDWR, NULL).ret;
}

static int helper_stop(void)
{
	int st;
	helper_send(H_EXIT, 0, 0, NULL);
	close(to_helper);
	close(from_helper);
	return waitpid(helper_pid, &st, 0) == helper_pid && WIFEXITED(st) && !WEXITSTATUS(st);
}

/* The helper's fcntl lock command on its own open file; 0 or -errno. */
static int h_lk(int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return helper(H_FCNTL, hfd, cmd, &fl).ret;
}

static int h_setlk(short type, off_t start, off_t len)
{
	return h_lk(F_SETLK, type, start, len);
}

/* The helper asks F_GETLK (on its own open) about [start, start+len). */
static struct flock h_getlk(short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	struct reply r = helper(H_FCNTL, hfd, F_GETLK, &fl);
	if (r.ret)
		r.fl.l_type = -1;
	return r.fl;
}

static int is_lock(struct flock fl, short type, off_t start, off_t len, pid_t pid)
{
	return fl.l_type == type && fl.l_whence == SEEK_SET && fl.l_start == start &&
	       fl.l_len == len && fl.l_pid == pid;
}

static int h_flock(int fd, int op)
{
	return helper(H_FLOCK, fd, op, NULL).ret;
}

/* ---- POSIX record locks --------------------------------------------------- */

static void test_conflicts(int fd)
{
	pid_t me = getpid();

	CHECK(setlk(fd, F_WRLCK, 0, 100) == 0, "write lock on [0,100)");
	CHECK(h_setlk(F_WRLCK, 50, 10) == -EAGAIN, "another process: overlapping write lock EAGAIN");
	CHECK(h_setlk(F_RDLCK, 99, 1) == -EAGAIN, "another process: read lock on the last byte EAGAIN");
	CHECK(h_setlk(F_WRLCK, 100, 10) == 0, "another process: the next bytes are free");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 100, me),
	      "F_GETLK reports the blocker: type, start, length and pid");
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 50 };
	CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK && fl.l_start == 0 &&
	      fl.l_len == 50, "F_GETLK over one's own lock: F_UNLCK, the rest unchanged");
	CHECK(is_lock(h_getlk(F_WRLCK, 200, 0), F_UNLCK, 200, 0, 0), "F_GETLK on free bytes: F_UNLCK");
	CHECK(unlock_all(fd) == 0 && h_setlk(F_WRLCK, 50, 10) == 0,
	      "after the unlock the other process gets it");
	h_setlk(F_UNLCK, 0, 0);

	CHECK(setlk(fd, F_RDLCK, 0, 100) == 0 && h_setlk(F_RDLCK, 10, 200) == 0,
	      "read locks of two processes share bytes");
	CHECK(setlk(fd, F_WRLCK, 5, 10) == -EAGAIN, "upgrading to write over the other's read lock: EAGAIN");
	CHECK(is_lock(h_getlk(F_WRLCK, 0, 10), F_RDLCK, 0, 100, me),
	      "the failed upgrade left the read lock as it was");
	CHECK(h_setlk(F_WRLCK, 150, 10) == 0, "the other upgrades where only it holds a read lock");
	h_setlk(F_UNLCK, 0, 0);
	unlock_all(fd);
}

static void test_merge_split(int fd)
{
	pid_t me = getpid();

	setlk(fd, F_WRLCK, 0, 10);
	setlk(fd, F_WRLCK, 10, 10);
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 20, me), "adjacent write locks merge: [0,20)");
	setlk(fd, F_WRLCK, 15, 20);
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 35, me), "overlapping ones merge: [0,35)");
	CHECK(setlk(fd, F_UNLCK, 10, 5) == 0, "unlocking [10,15) in the middle");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 10, me) &&
	      is_lock(h_getlk(F_RDLCK, 10, 5), F_UNLCK, 10, 5, 0) &&
	      is_lock(h_getlk(F_RDLCK, 10, 0), F_WRLCK, 15, 20, me), "... splits it in two: [0,10) [15,35)");
	CHECK(h_setlk(F_WRLCK, 10, 5) == 0 && h_setlk(F_UNLCK, 10, 5) == 0, "the hole is free for others");
	unlock_all(fd);

	/* Downgrade part of a write lock, then upgrade it back. */
	setlk(fd, F_WRLCK, 0, 30);
	CHECK(setlk(fd, F_RDLCK, 10, 10) == 0, "downgrading [10,20) to a read lock");
	CHECK(h_setlk(F_RDLCK, 10, 10) == 0 && h_setlk(F_RDLCK, 9, 2) == -EAGAIN,
	      "others may read-lock the downgraded part only");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 10, me) &&
	      is_lock(h_getlk(F_RDLCK, 10, 0), F_WRLCK, 20, 10, me),
	      "the write parts around it remain: [0,10) and [20,30)");
	h_setlk(F_UNLCK, 0, 0);
	CHECK(setlk(fd, F_WRLCK, 10, 10) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 30, me),
	      "upgrading it back merges all three into [0,30)");
	unlock_all(fd);

	/* Read locks inside a write lock and a read lock over a write lock. */
	setlk(fd, F_RDLCK, 0, 100);
	setlk(fd, F_WRLCK, 40, 20);
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 40, 20, me) &&
	      is_lock(h_getlk(F_WRLCK, 0, 40), F_RDLCK, 0, 40, me) &&
	      is_lock(h_getlk(F_WRLCK, 60, 40), F_RDLCK, 60, 40, me),
	      "a write lock inside a read lock splits it: R[0,40) W[40,60) R[60,100)");
	CHECK(setlk(fd, F_RDLCK, 0, 100) == 0 && is_lock(h_getlk(F_WRLCK, 0, 0), F_RDLCK, 0, 100, me),
	      "a read lock over all of it merges back to R[0,100)");
	CHECK(setlk(fd, F_UNLCK, 0, 50) == 0 && is_lock(h_getlk(F_WRLCK, 0, 0), F_RDLCK, 50, 50, me),
	      "unlocking the front half trims it to [50,100)");
	unlock_all(fd);
}

static void test_ranges(int fd)
{
	pid_t me = getpid();

	CHECK(setlk(fd, F_WRLCK, 100, 0) == 0 && h_setlk(F_WRLCK, (off_t)1 << 40, 1) == -EAGAIN,
	      "l_len 0 locks to any end of file");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 100, 0, me), "F_GETLK reports it with l_len 0");
	unlock_all(fd);
	CHECK(setlk(fd, F_WRLCK, 100, -50) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 50, 50, me),
	      "a negative l_len locks the bytes before l_start: [50,100)");
	CHECK(h_setlk(F_WRLCK, 100, 10) == 0 && h_setlk(F_UNLCK, 100, 10) == 0, "... and not l_start itself");
	unlock_all(fd);
	lseek(fd, 200, SEEK_SET);
	CHECK(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, 10, 5) == 0 &&
	      is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 210, 5, me), "SEEK_CUR counts from the offset");
	CHECK(lk(fd, F_SETLK, F_UNLCK, SEEK_CUR, 10, 5) == 0 &&
	      is_lock(h_getlk(F_RDLCK, 0, 0), F_UNLCK, 0, 0, 0), "... and unlocks the same way");
	CHECK(lk(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 10) == 0 &&
	      is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, FILE_SIZE - 10, 10, me),
	      "SEEK_END counts from the size");
	CHECK(lk(fd, F_SETLK, F_WRLCK, SEEK_END, 0, 0) == 0 &&
	      is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, FILE_SIZE - 10, 0, me),
	      "a lock from the end to EOF merges with it");
	unlock_all(fd);
	CHECK(setlk(fd, F_WRLCK, LLONG_MAX, 1) == 0 && h_setlk(F_WRLCK, LLONG_MAX, 0) == -EAGAIN,
	      "the very last byte can be locked");
	unlock_all(fd);

	/* glibc's lockf is F_SETLK/F_GETLK from the current offset. */
	lseek(fd, 300, SEEK_SET);
	CHECK(lockf(fd, F_TLOCK, 10) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 300, 10, me),
	      "lockf(F_TLOCK) locks 10 bytes from the offset");
	pid_t pid = fork();
	if (pid == 0)
		_exit(lockf(fd, F_TEST, 10) == -1 && (errno == EACCES || errno == EAGAIN) ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "lockf(F_TEST) in another process sees it");
	CHECK(lockf(fd, F_ULOCK, 10) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_UNLCK, 0, 0, 0),
	      "lockf(F_ULOCK) unlocks it");
}

static void *thread_lock(void *arg)
{
	return (void *)(long)setlk(*(int *)arg, F_WRLCK, 500, 10);
}

/* POSIX locks belong to the process: its threads share them. */
static void test_threads(int fd)
{
	pthread_t t;
	void *ret = (void *)1;

	CHECK(pthread_create(&t, NULL, thread_lock, &fd) == 0 && pthread_join(t, &ret) == 0 && !ret,
	      "a thread sets a lock");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 500, 10, getpid()),
	      "F_GETLK names the process (tgid), the lock outlives the thread");
	CHECK(setlk(fd, F_UNLCK, 500, 10) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_UNLCK, 0, 0, 0),
	      "the main thread owns it and unlocks it");
}

static void test_errors(int fd)
{
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);

	CHECK(lk(fd, F_SETLK, F_WRLCK, 7, 0, 1) == -EINVAL, "bad l_whence: EINVAL");
	CHECK(lk(fd, F_SETLK, 5, SEEK_SET, 0, 1) == -EINVAL, "bad l_type: EINVAL");
	CHECK(lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1) == -EINVAL, "F_GETLK with F_UNLCK: EINVAL");
	CHECK(lk(fd, F_GETLK, F_WRLCK, 3, 0, 1) == -EINVAL, "F_GETLK with a bad l_whence: EINVAL");
	CHECK(setlk(fd, F_WRLCK, -1, 1) == -EINVAL, "a start before 0: EINVAL");
	CHECK(setlk(fd, F_WRLCK, 10, -11) == -EINVAL, "a negative length reaching before 0: EINVAL");
	CHECK(setlk(fd, F_WRLCK, LLONG_MAX, 2) == -EOVERFLOW, "a range past the largest offset: EOVERFLOW");
	CHECK(lk(fd, F_SETLK, F_WRLCK, SEEK_END, LLONG_MAX, 1) == -EOVERFLOW,
	      "SEEK_END plus a huge start: EOVERFLOW");
	CHECK(setlk(ro, F_WRLCK, 0, 1) == -EBADF, "a write lock through an O_RDONLY fd: EBADF");
	CHECK(setlk(wo, F_RDLCK, 0, 1) == -EBADF, "a read lock through an O_WRONLY fd: EBADF");
	CHECK(setlk(ro, F_RDLCK, 0, 1) == 0 && setlk(wo, F_WRLCK, 1, 1) == 0 && setlk(ro, F_UNLCK, 0, 0) == 0,
	      "read locks through O_RDONLY, write locks through O_WRONLY, unlock through either");
	CHECK(setlk(99, F_RDLCK, 0, 1) == -EBADF, "a closed descriptor: EBADF");
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1 };
	CHECK(fcntl(fd, F_OFD_SETLK, &fl) == -1 && errno == EINVAL, "F_OFD_SETLK with l_pid set: EINVAL");
	CHECK(fcntl(fd, F_OFD_GETLK, &fl) == -1 && errno == EINVAL, "F_OFD_GETLK with l_pid set: EINVAL");
	CHECK(fcntl(fd, F_SETLK, (struct flock *)8) == -1 && errno == EFAULT, "a bad pointer: EFAULT");
	CHECK(flk(fd, 0) == -EINVAL && flk(fd, LOCK_SH | LOCK_EX) == -EINVAL, "flock with a bad op: EINVAL");
	CHECK(flk(99, LOCK_SH) == -EBADF, "flock on a closed descriptor: EBADF");
	close(ro);
	close(wo);
}

/* Any close() of a descriptor on the file drops the process's locks. */
static void test_close_drops(int fd)
{
	CHECK(setlk(fd, F_WRLCK, 0, 10) == 0 && h_setlk(F_WRLCK, 0, 10) == -EAGAIN, "locked through fd");
	int other = open(path, O_RDONLY);
	close(other);
	CHECK(h_setlk(F_WRLCK, 0, 10) == 0, "closing another descriptor on the file dropped the lock");
	h_setlk(F_UNLCK, 0, 0);

	setlk(fd, F_WRLCK, 0, 10);
	int d = dup(fd);
	close(d);
	CHECK(h_setlk(F_WRLCK, 0, 10) == 0, "so did closing a dup of the descriptor");
	h_setlk(F_UNLCK, 0, 0);

	/* A forked child shares the open file but not the locks. */
	setlk(fd, F_WRLCK, 0, 10);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = setlk(fd, F_WRLCK, 0, 10) == -EAGAIN; /* not the owner */
		close(fd); /* the child's close is not the parent's */
		_exit(ok ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child does not inherit POSIX locks");
	CHECK(h_setlk(F_WRLCK, 0, 10) == -EAGAIN, "the child's close of its copy left the parent's lock");
	unlock_all(fd);
}

/* F_SETLKW sleeps until the lock is free, and wakes when it shrinks. */
static void test_setlkw(int fd)
{
	struct flock want = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 50, .l_len = 10 };

	setlk(fd, F_WRLCK, 0, 100);
	helper_send(H_FCNTL, hfd, F_SETLKW, &want);
	CHECK(!helper_ready(200), "F_SETLKW on a held range blocks");
	setlk(fd, F_UNLCK, 0, 10);
	CHECK(!helper_ready(100), "... and keeps blocking when an unrelated part is unlocked");
	setlk(fd, F_UNLCK, 45, 20);
	CHECK(helper_ready(2000) && helper_reply().ret == 0, "it gets the lock once the range is released");
	CHECK(setlk(fd, F_WRLCK, 55, 1) == -EAGAIN, "the woken process holds it now");
	h_setlk(F_UNLCK, 0, 0);
	unlock_all(fd);

	/* Released by a close of another descriptor. */
	setlk(fd, F_RDLCK, 0, 0);
	helper_send(H_FCNTL, hfd, F_SETLKW, &want);
	CHECK(!helper_ready(100), "F_SETLKW waits for a read lock to go");
	close(open(path, O_RDONLY));
	CHECK(helper_ready(2000) && helper_reply().ret == 0, "a close() of any fd of the holder wakes it");
	h_setlk(F_UNLCK, 0, 0);

	/* Released by the holder's exit. */
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		int f = open(path, O_RDWR);
		setlk(f, F_WRLCK, 0, 0);
		flock(f, LOCK_EX);
		write(p[1], "x", 1);
		pause();
		_exit(0);
	}
	char c;
	read(p[0], &c, 1);
	helper_send(H_FCNTL, hfd, F_SETLKW, &want);
	CHECK(!helper_ready(100), "F_SETLKW waits for another process's lock");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(helper_ready(2000) && helper_reply().ret == 0, "the holder's death releases it and wakes the waiter");
	CHECK(h_flock(hfd, LOCK_EX | LOCK_NB) == 0 && h_flock(hfd, LOCK_UN) == 0,
	      "the dead process's flock lock went too");
	h_setlk(F_UNLCK, 0, 0);
	close(p[0]);
	close(p[1]);
}

static void test_deadlock(int fd)
{
	struct flock a = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };

	setlk(fd, F_WRLCK, 0, 10);
	CHECK(h_setlk(F_WRLCK, 100, 10) == 0, "the other process locks [100,110)");
	helper_send(H_FCNTL, hfd, F_SETLKW, &a);
	CHECK(!helper_ready(300), "it waits for [0,10), held here");
	arm_alarm(5000, 0); /* never hang if the deadlock is missed */
	int r = lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 100, 10);
	arm_alarm(0, 0);
	CHECK(r == -EDEADLK, "waiting here for [100,110) would close a cycle: EDEADLK");
	CHECK(!helper_ready(50), "the other process still waits");
	unlock_all(fd);
	CHECK(helper_ready(2000) && helper_reply().ret == 0, "unlocking lets it through");
	struct flock t = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	CHECK(fcntl(fd, F_GETLK, &t) == 0 && t.l_type == F_WRLCK && t.l_start == 0 && t.l_len == 10 &&
	      t.l_pid == helper_pid, "F_GETLK here now names the other process");
	h_setlk(F_UNLCK, 0, 0);
}

static void test_eintr(int fd)
{
	struct flock want = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };

	setlk(fd, F_WRLCK, 0, 10);
	helper(H_ALARM, 0, 200, NULL);
	struct reply r = helper(H_FCNTL, hfd, F_SETLKW, &want);
	CHECK(r.ret == -EINTR && r.alarms == 1, "a signal interrupts F_SETLKW: EINTR");
	CHECK(h_setlk(F_RDLCK, 0, 1) == -EAGAIN, "the interrupted request left nothing behind");

	helper(H_ALARM, 1, 100, NULL); /* SA_RESTART */
	helper_send(H_FCNTL, hfd, F_SETLKW, &want);
	sleep_ms(400);
	CHECK(!helper_ready(0), "with SA_RESTART it goes back to waiting after the handler");
	unlock_all(fd);
	r = helper_reply();
	CHECK(r.ret == 0 && r.alarms == 2, "... and gets the lock when it is released");
	h_setlk(F_UNLCK, 0, 0);

	CHECK(flk(fd, LOCK_EX) == 0, "flock LOCK_EX here");
	helper(H_ALARM, 0, 200, NULL);
	r = helper(H_FLOCK, hfd, LOCK_SH, NULL);
	CHECK(r.ret == -EINTR && r.alarms == 3, "a signal interrupts a blocked flock: EINTR");
	flk(fd, LOCK_UN);
}

/* ---- OFD locks -------------------------------------------------------------- */

static int ofd(int fd, int cmd, short type, off_t start, off_t len)
{
	return lk(fd, cmd, type, SEEK_SET, start, len);
}

static void test_ofd(int fd)
{
	int a = open(path, O_RDWR), b = open(path, O_RDWR);

	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK, 0, 10) == 0, "an OFD write lock through one open");
	CHECK(ofd(b, F_OFD_SETLK, F_WRLCK, 5, 10) == -EAGAIN,
	      "another open file of the same process conflicts with it");
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	CHECK(fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_start == 0 &&
	      fl.l_len == 10 && fl.l_pid == -1, "F_OFD_GETLK reports it with l_pid -1");
	CHECK(setlk(fd, F_WRLCK, 0, 1) == -EAGAIN, "a POSIX lock of the same process conflicts with it");
	CHECK(is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 10, -1), "plain F_GETLK also reports l_pid -1");
	CHECK(ofd(a, F_OFD_SETLK, F_WRLCK, 5, 10) == 0 && ofd(a, F_OFD_SETLK, F_UNLCK, 0, 5) == 0 &&
	      is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 5, 10, -1), "its own open file merges and trims it");
	close(b);
	CHECK(h_setlk(F_RDLCK, 5, 1) == -EAGAIN, "closing another open of the file keeps the OFD lock");
	int d = dup(a);
	close(a);
	CHECK(h_setlk(F_RDLCK, 5, 1) == -EAGAIN, "so does closing one of two descriptors of the open file");
	pid_t pid = fork();
	if (pid == 0)
		_exit(ofd(d, F_OFD_SETLK, F_WRLCK, 0, 20) == 0 ? 0 : 1);
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && is_lock(h_getlk(F_RDLCK, 0, 0), F_WRLCK, 0, 20, -1),
	      "a forked child holding the open file owns its OFD locks too");
	close(d);
	CHECK(h_setlk(F_WRLCK, 0, 20) == 0, "the last close of the open file releases them");
	h_setlk(F_UNLCK, 0, 0);

	/* F_OFD_SETLKW waits. */
	a = open(path, O_RDWR);
	setlk(fd, F_RDLCK, 0, 10);
	struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	helper_send(H_FCNTL, hfd, F_OFD_SETLKW, &w);
	CHECK(!helper_ready(100), "F_OFD_SETLKW waits for a POSIX read lock");
	setlk(fd, F_UNLCK, 0, 0);
	CHECK(helper_ready(2000) && helper_reply().ret == 0, "... and gets it on release");
	CHECK(ofd(a, F_OFD_SETLK, F_RDLCK, 0, 1) == -EAGAIN, "the helper's OFD lock holds");
	w.l_type = F_UNLCK;
	CHECK(helper(H_FCNTL, hfd, F_OFD_SETLK, &w).ret == 0 && ofd(a, F_OFD_SETLK, F_RDLCK, 0, 1) == 0,
	      "and unlocks");
	close(a);
}

/* ---- flock(2) ------------------------------------------------------------------ */

static void test_flock(int fd)
{
	CHECK(flk(fd, LOCK_SH) == 0 && h_flock(hfd, LOCK_SH | LOCK_NB) == 0, "two shared flock locks");
	CHECK(flk(fd, LOCK_SH) == 0, "taking the same lock again succeeds");
	CHECK(h_flock(hfd, LOCK_EX | LOCK_NB) == -EWOULDBLOCK, "exclusive beside a shared one: EWOULDBLOCK");
	CHECK(flk(fd, LOCK_EX | LOCK_NB) == 0,
	      "the failed conversion dropped the other's shared lock (as Linux): we upgrade");
	CHECK(h_flock(hfd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK, "our exclusive lock keeps it out");
	CHECK(flk(fd, LOCK_SH) == 0 && h_flock(hfd, LOCK_SH | LOCK_NB) == 0,
	      "downgrading to shared lets it share");
	CHECK(flk(fd, LOCK_EX | LOCK_NB) == -EWOULDBLOCK && h_flock(hfd, LOCK_EX | LOCK_NB) == 0,
	      "our upgrade fails beside its shared lock, and drops ours: it upgrades");
	CHECK(flk(fd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK, "its exclusive lock keeps us out");
	CHECK(h_flock(hfd, LOCK_SH) == 0 && flk(fd, LOCK_SH | LOCK_NB) == 0, "its downgrade lets us share");
	CHECK(h_flock(hfd, LOCK_UN) == 0 && flk(fd, LOCK_EX | LOCK_NB) == 0, "we upgrade once it unlocked");

	helper_send(H_FLOCK, hfd, LOCK_SH, NULL);
	CHECK(!helper_ready(200), "a blocking LOCK_SH waits for our exclusive lock");
	CHECK(flk(fd, LOCK_SH) == 0 && helper_ready(2000) && helper_reply().ret == 0,
	      "our downgrade wakes it");
	helper_send(H_FLOCK, hfd, LOCK_EX, NULL);
	CHECK(!helper_ready(100), "its blocking upgrade waits for our shared lock");
	CHECK(flk(fd, LOCK_UN) == 0 && helper_ready(2000) && helper_reply().ret == 0, "our unlock wakes it");
	h_flock(hfd, LOCK_UN);

	/* Owned by the open file: shared by dup and fork, not by another open. */
	CHECK(flk(fd, LOCK_EX) == 0, "LOCK_EX");
	int d = dup(fd);
	CHECK(flk(d, LOCK_EX | LOCK_NB) == 0, "a dup shares the lock");
	pid_t pid = fork();
	if (pid == 0) {
		int other = open(path, O_RDONLY);
		int ok = flk(fd, LOCK_EX | LOCK_NB) == 0 && flk(other, LOCK_SH | LOCK_NB) == -EWOULDBLOCK;
		_exit(ok ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a forked child has the lock through the inherited fd, not through a new open");
	CHECK(h_flock(hfd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK, "the child's exit left the lock in place");
	pid = fork();
	if (pid == 0)
		_exit(flk(fd, LOCK_UN) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	CHECK(h_flock(hfd, LOCK_SH | LOCK_NB) == 0, "LOCK_UN in a child releases it for everyone");
	h_flock(hfd, LOCK_UN);
	flk(fd, LOCK_EX);
	close(d);
	CHECK(h_flock(hfd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK, "closing the dup keeps the lock");
	CHECK(h_setlk(F_WRLCK, 0, 0) == 0 && h_setlk(F_UNLCK, 0, 0) == 0,
	      "flock and POSIX locks do not conflict with each other");
	int ro = open(path, O_RDONLY);
	CHECK(flk(ro, LOCK_EX | LOCK_NB) == -EWOULDBLOCK, "a second open of the file conflicts");
	close(ro);
	flk(fd, LOCK_UN);
}

/* Locks of a process go when it exits, whatever their kind. */
static void test_exit(int fd)
{
	int f = helper(H_OPEN, 0, O_RDWR, NULL).ret;
	struct flock o = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 10 };

	CHECK(h_setlk(F_WRLCK, 0, 10) == 0 && helper(H_FCNTL, f, F_OFD_SETLK, &o).ret == 0 &&
	      h_flock(f, LOCK_EX) == 0, "the other process takes POSIX, OFD and flock locks");
	CHECK(setlk(fd, F_RDLCK, 0, 1) == -EAGAIN && ofd(fd, F_OFD_SETLK, F_WRLCK, 100, 1) == -EAGAIN &&
	      flk(fd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK, "they keep this process out");
	CHECK(helper_stop(), "the other process exits");
	CHECK(setlk(fd, F_WRLCK, 0, 0) == 0 && flk(fd, LOCK_EX | LOCK_NB) == 0,
	      "all its locks went at exit");
	unlock_all(fd);
	flk(fd, LOCK_UN);
	helper_start();
}

int main(int argc, char **argv)
{
	static char buf[FILE_SIZE];

	if (argc > 1)
		path = argv[1];
	KTAP_START("locks");
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, buf, FILE_SIZE) == FILE_SIZE, "made the test file");
	if (fd < 0)
		return ktap_done();
	helper_start();
	CHECK(hfd >= 0, "the helper process opened the file");
	test_conflicts(fd);
	test_merge_split(fd);
	test_ranges(fd);
	test_threads(fd);
	test_errors(fd);
	test_close_drops(fd);
	test_setlkw(fd);
	test_deadlock(fd);
	test_eintr(fd);
	test_ofd(fd);
	test_flock(fd);
	test_exit(fd);
	CHECK(helper_stop(), "the helper exits cleanly");
	close(fd);
	unlink(path);
	return ktap_done();
}
