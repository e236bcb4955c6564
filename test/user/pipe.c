/* Boot test: pipes and FIFOs (capacity, blocking and non-blocking I/O,
 * EOF, EPIPE/SIGPIPE, PIPE_BUF atomicity across processes, FIONREAD) and
 * the poll family (poll, ppoll with a signal mask, select, pselect6).
 * Passes under qemu-riscv64 too, the reference for Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define CAPACITY 65536
#define MS 1000000L

static volatile sig_atomic_t hits[65];

static void count_handler(int sig)
{
	hits[sig]++;
}

static void set_handler(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / MS;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * MS };
	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

static long raw(long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);
	return r < 0 ? -errno : r;
}

/* Exit status of a child, or -1 if it did not exit normally. */
static int wait_exit(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Fill with non-blocking 4096-byte writes; the bytes that went in. */
static long fill(int wfd)
{
	static char buf[4096];
	long total = 0, n;

	memset(buf, 'f', sizeof(buf));
	while ((n = write(wfd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 && errno == EAGAIN ? total : -1;
}

static void test_basics(void)
{
	int p[2];
	char buf[16];
	struct stat st;

	CHECK(pipe2(p, 0) == 0, "pipe2 makes a pipe");
	CHECK(write(p[1], "hello", 5) == 5 && read(p[0], buf, sizeof(buf)) == 5 &&
	      !memcmp(buf, "hello", 5), "bytes written come out of the read end");
	CHECK(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat on a pipe says S_IFIFO");
	CHECK(lseek(p[0], 0, SEEK_CUR) == -1 && errno == ESPIPE, "lseek on a pipe gives ESPIPE");
	CHECK(read(p[1], buf, 1) == -1 && errno == EBADF, "reading the write end gives EBADF");
	CHECK(write(p[0], "x", 1) == -1 && errno == EBADF, "writing the read end gives EBADF");
	int n = -1;
	write(p[1], "abc", 3);
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 3, "FIONREAD counts the unread bytes");
	CHECK(read(p[0], buf, 2) == 2 && ioctl(p[0], FIONREAD, &n) == 0 && n == 1,
	      "a short read leaves the rest, FIONREAD follows");
	close(p[0]);
	close(p[1]);

	CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0 && (fcntl(p[0], F_GETFD) & FD_CLOEXEC) &&
	      (fcntl(p[1], F_GETFL) & O_NONBLOCK), "pipe2 flags give close-on-exec and O_NONBLOCK");
	close(p[0]);
	close(p[1]);
	CHECK(raw(SYS_pipe2, (long)p, O_APPEND, 0, 0, 0, 0) == -EINVAL, "pipe2 with O_APPEND: EINVAL");
	CHECK(raw(SYS_pipe2, 16, 0, 0, 0, 0, 0) == -EFAULT, "pipe2 to a bad address: EFAULT");
}

static void test_nonblocking(void)
{
	int p[2];
	char buf[8];
	int n = -1;

	pipe2(p, O_NONBLOCK);
	CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN, "empty non-blocking read: EAGAIN");
	CHECK(fcntl(p[1], F_GETPIPE_SZ) == CAPACITY, "F_GETPIPE_SZ is 65536");
	CHECK(fill(p[1]) == CAPACITY, "a pipe holds 65536 bytes");
	CHECK(write(p[1], "x", 1) == -1 && errno == EAGAIN, "a full pipe refuses one more byte");
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == CAPACITY, "FIONREAD on a full pipe is 65536");
	struct pollfd pf = { p[1], POLLOUT, 0 };
	CHECK(poll(&pf, 1, 0) == 0 && pf.revents == 0, "a full pipe is not POLLOUT");
	static char page[4096];
	CHECK(read(p[0], buf, 8) == 8 && write(p[1], "x", 1) == -1 && errno == EAGAIN,
	      "a partly read page still takes its slot: still full");
	CHECK(read(p[0], page, 4096) == 4096 && write(p[1], "x", 1) == 1,
	      "once a whole page is read there is room again");
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == -1 && errno == EBUSY,
	      "F_SETPIPE_SZ below the unread bytes: EBUSY");
	close(p[0]);
	close(p[1]);

	pipe2(p, O_NONBLOCK);
	write(p[1], "abc", 3);
	CHECK(fcntl(p[0], F_SETPIPE_SZ, 5000) == 8192 && fcntl(p[1], F_GETPIPE_SZ) == 8192 &&
	      fill(p[1]) == 4096 && read(p[0], buf, 3) == 3 && !memcmp(buf, "abc", 3),
	      "F_SETPIPE_SZ rounds 5000 to 8192 and keeps the unread bytes");
	CHECK(read(p[0], page, 4096) == 4096 && fill(p[1]) == 8192, "the resized pipe holds 8192 bytes");
	CHECK(fcntl(0, F_GETPIPE_SZ) == -1 && errno == EBADF, "F_GETPIPE_SZ on a non-pipe: EBADF");
	close(p[0]);
	close(p[1]);

	/* A write above PIPE_BUF goes in partly; one at or below it never does. */
	static char big[8192];
	pipe2(p, O_NONBLOCK);
	long filled = fill(p[1]);
	CHECK(filled == CAPACITY && read(p[0], page, 4096) == 4096 && write(p[1], big, 8192) == 4096,
	      "a big non-blocking write takes what fits");
	CHECK(read(p[0], page, 100) == 100 && write(p[1], big, 4096) == -1 && errno == EAGAIN,
	      "a PIPE_BUF write with less room than it needs: EAGAIN, nothing written");
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == CAPACITY - 100, "... and nothing went in");
	close(p[0]);
	close(p[1]);
}

static void test_eof_and_epipe(void)
{
	int p[2];
	char buf[8];

	pipe(p);
	write(p[1], "ab", 2);
	close(p[1]);
	CHECK(read(p[0], buf, 8) == 2 && read(p[0], buf, 8) == 0,
	      "data then EOF once the writer has closed");
	struct pollfd pf = { p[0], POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP), "the read end polls POLLHUP");
	close(p[0]);

	pipe(p);
	close(p[0]);
	set_handler(SIGPIPE, count_handler, 0);
	hits[SIGPIPE] = 0;
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE && hits[SIGPIPE] == 1,
	      "writing with no reader: EPIPE and one SIGPIPE");
	pf = (struct pollfd){ p[1], POLLOUT, 0 };
	CHECK(poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR), "the write end polls POLLERR");
	signal(SIGPIPE, SIG_IGN);
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE && hits[SIGPIPE] == 1,
	      "SIGPIPE ignored: EPIPE alone");
	signal(SIGPIPE, SIG_DFL);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "SIGPIPE by default kills the writer");
	close(p[1]);
}

static void test_blocking(void)
{
	int p[2];
	char buf[16];

	/* A reader blocks until another process writes. */
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		write(p[1], "wake", 4);
		_exit(0);
	}
	long t0 = now_ms();
	ssize_t n = read(p[0], buf, sizeof(buf));
	CHECK(n == 4 && !memcmp(buf, "wake", 4) && now_ms() - t0 >= 50,
	      "a blocked reader is woken by a writer in another process");
	CHECK(wait_exit(pid) == 0, "the writer exits 0");
	close(p[0]);
	close(p[1]);

	/* A writer blocks on a full pipe until the reader drains it. */
	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	long filled = fill(p[1]);
	fcntl(p[1], F_SETFL, 0);
	pid = fork();
	if (pid == 0) {
		char c[4096];
		memset(c, 'w', sizeof(c));
		_exit(write(p[1], c, sizeof(c)) == sizeof(c) ? 0 : 1);
	}
	sleep_ms(150);
	int st;
	CHECK(filled == CAPACITY && waitpid(pid, &st, WNOHANG) == 0,
	      "a writer to a full pipe blocks");
	static char drain[CAPACITY];
	n = read(p[0], drain, 4096);
	CHECK(n == 4096 && wait_exit(pid) == 0, "draining the pipe lets the writer finish");
	CHECK(read(p[0], drain, CAPACITY) == CAPACITY && drain[0] == 'f' &&
	      drain[CAPACITY - 4097] == 'f' && drain[CAPACITY - 4096] == 'w' &&
	      drain[CAPACITY - 1] == 'w', "the blocked writer's bytes come last");
	close(p[0]);
	close(p[1]);

	/* A blocked read is interrupted by a signal: EINTR, or restarted with SA_RESTART. */
	for (int restart = 0; restart < 2; restart++) {
		set_handler(SIGUSR1, count_handler, restart ? SA_RESTART : 0);
		hits[SIGUSR1] = 0;
		pipe(p);
		pid_t parent = getpid();
		pid = fork();
		if (pid == 0) {
			sleep_ms(80);
			kill(parent, SIGUSR1);
			sleep_ms(80);
			write(p[1], "late", 4);
			_exit(0);
		}
		n = read(p[0], buf, sizeof(buf));
		if (restart)
			CHECK(n == 4 && hits[SIGUSR1] == 1, "SA_RESTART: the read resumes after the handler");
		else
			CHECK(n == -1 && errno == EINTR && hits[SIGUSR1] == 1,
			      "no SA_RESTART: a blocked read gives EINTR");
		wait_exit(pid);
		close(p[0]);
		close(p[1]);
	}
}

/* Writers in several processes: every message arrives whole. */
static int check_atomic(int msg, int nmsg, int nwriters)
{
	int p[2];
	pipe(p);
	for (int w = 0; w < nwriters; w++) {
		if (fork() == 0) {
			char *m = malloc(msg);
			memset(m, 'A' + w, msg);
			for (int i = 0; i < nmsg; i++)
				if (write(p[1], m, msg) != msg)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	long total = (long)msg * nmsg * nwriters, got = 0;
	char *all = malloc(total + 1);
	ssize_t n;
	while (got <= total && (n = read(p[0], all + got, total + 1 - got)) > 0)
		got += n;
	int ok = got == total, counts[26] = { 0 };
	for (long off = 0; ok && off < total; off += msg) {
		for (int i = 1; i < msg; i++)
			if (all[off + i] != all[off])
				ok = 0;
		counts[all[off] - 'A']++;
	}
	for (int w = 0; w < nwriters; w++)
		ok = ok && counts[w] == nmsg;
	for (int w = 0; w < nwriters; w++)
		ok = ok && wait(NULL) > 0;
	free(all);
	close(p[0]);
	return ok;
}

static void test_atomic(void)
{
	CHECK(check_atomic(4096, 64, 4), "4096-byte (PIPE_BUF) writes from 4 processes stay whole");
	CHECK(check_atomic(777, 200, 4), "777-byte writes from 4 processes stay whole");
}

static void test_poll(void)
{
	int p[2];
	char buf[8];

	pipe(p);
	struct pollfd pf[4] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, POLLIN, 0 },
				{ 99, POLLIN, 0 } };
	CHECK(poll(pf, 4, 0) == 2 && pf[0].revents == 0 && pf[1].revents == POLLOUT &&
	      pf[2].revents == 0 && pf[3].revents == POLLNVAL,
	      "poll: empty read end idle, write end POLLOUT, fd -1 skipped, bad fd POLLNVAL");
	long t0 = now_ms();
	CHECK(poll(pf, 1, 100) == 0 && pf[0].revents == 0 && now_ms() - t0 >= 80,
	      "poll times out after its timeout");
	write(p[1], "x", 1);
	CHECK(poll(pf, 1, 0) == 1 && pf[0].revents == POLLIN, "poll sees POLLIN once data is there");
	read(p[0], buf, 1);

	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		write(p[1], "y", 1);
		_exit(0);
	}
	t0 = now_ms();
	CHECK(poll(pf, 1, -1) == 1 && pf[0].revents == POLLIN && now_ms() - t0 >= 50,
	      "a sleeping poll is woken by a write in another process");
	wait_exit(pid);
	read(p[0], buf, 1);

	struct timespec ts = { 0, 100 * MS };
	CHECK(ppoll(pf, 1, &ts, NULL) == 0, "ppoll times out");
	ts = (struct timespec){ 5, 0 };
	write(p[1], "z", 1);
	CHECK(ppoll(pf, 1, &ts, NULL) == 1 && ts.tv_sec <= 5 && ts.tv_sec >= 4,
	      "ppoll writes the time left back");
	read(p[0], buf, 1);

	/* errors */
	ts = (struct timespec){ 0, 1000000000 };
	CHECK(raw(SYS_ppoll, (long)pf, 1, (long)&ts, 0, 0, 0) == -EINVAL, "ppoll with tv_nsec 1e9: EINVAL");
	ts = (struct timespec){ -1, 0 };
	CHECK(raw(SYS_ppoll, (long)pf, 1, (long)&ts, 0, 0, 0) == -EINVAL, "ppoll with tv_sec -1: EINVAL");
	ts = (struct timespec){ 0, 0 };
	CHECK(raw(SYS_ppoll, 16, 1, (long)&ts, 0, 0, 0) == -EFAULT, "ppoll of a bad array: EFAULT");
	CHECK(raw(SYS_ppoll, (long)pf, 1, 16, 0, 0, 0) == -EFAULT, "ppoll with a bad timespec: EFAULT");
	struct rlimit rl, low = { 64, 64 };
	static struct pollfd many[65];
	getrlimit(RLIMIT_NOFILE, &rl);
	low.rlim_max = rl.rlim_max;
	for (int i = 0; i < 65; i++)
		many[i] = (struct pollfd){ -1, POLLIN, 0 };
	CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0 &&
	      raw(SYS_ppoll, (long)many, 65, (long)&ts, 0, 0, 0) == -EINVAL &&
	      raw(SYS_ppoll, (long)many, 64, (long)&ts, 0, 0, 0) == 0,
	      "ppoll of more fds than RLIMIT_NOFILE: EINVAL");
	setrlimit(RLIMIT_NOFILE, &rl);
	sigset_t none;
	sigemptyset(&none);
	CHECK(raw(SYS_ppoll, (long)pf, 1, (long)&ts, (long)&none, 4, 0) == -EINVAL,
	      "ppoll with a wrong sigsetsize: EINVAL");
	CHECK(raw(SYS_ppoll, 0, 0, (long)&ts, 0, 0, 0) == 0, "ppoll of no fds with a zero timeout: 0");
	close(p[0]);
	close(p[1]);
}

static void test_ppoll_sigmask(void)
{
	int p[2];
	sigset_t block, empty, cur;
	struct pollfd pf;

	pipe(p);
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	set_handler(SIGUSR1, count_handler, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);

	/* Pending but blocked by the ppoll mask too: ppoll times out. */
	hits[SIGUSR1] = 0;
	kill(getpid(), SIGUSR1);
	struct timespec ts = { 0, 50 * MS };
	CHECK(ppoll(&pf, 1, &ts, &block) == 0 && hits[SIGUSR1] == 0,
	      "ppoll whose mask blocks the pending signal times out");
	/* The temporary mask unblocks it: EINTR, the handler ran, the old mask is back. */
	ts = (struct timespec){ 5, 0 };
	CHECK(ppoll(&pf, 1, &ts, &empty) == -1 && errno == EINTR && hits[SIGUSR1] == 1,
	      "ppoll with a mask unblocking a pending signal: EINTR after the handler");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1), "after ppoll the old mask is back");

	/* A signal sent while ppoll sleeps. */
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	long t0 = now_ms();
	CHECK(ppoll(&pf, 1, NULL, &empty) == -1 && errno == EINTR && hits[SIGUSR1] == 2 &&
	      now_ms() - t0 >= 50, "a signal unblocked by ppoll's mask wakes it from sleep");
	wait_exit(pid);

	/* pselect6 takes its mask the same way. */
	kill(getpid(), SIGUSR1);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ts = (struct timespec){ 5, 0 };
	CHECK(pselect(p[0] + 1, &rd, NULL, NULL, &ts, &empty) == -1 && errno == EINTR &&
	      hits[SIGUSR1] == 3, "pselect with a mask unblocking a pending signal: EINTR");
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1), "after pselect the old mask is back");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(p[0]);
	close(p[1]);
}

static void test_select(void)
{
	int p[2];
	fd_set rd, wr;
	struct timeval tv;
	char c;

	pipe(p);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 100000 };
	long t0 = now_ms();
	CHECK(select(p[0] + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &rd) &&
	      now_ms() - t0 >= 80, "select on an empty pipe times out and clears the set");
	write(p[1], "s", 1);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	int max = p[0] > p[1] ? p[0] : p[1];
	tv = (struct timeval){ 1, 0 };
	CHECK(select(max + 1, &rd, &wr, NULL, &tv) == 2 && FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
	      "select: readable read end and writable write end");
	read(p[0], &c, 1);

	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		write(p[1], "t", 1);
		_exit(0);
	}
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CHECK(select(p[0] + 1, &rd, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &rd),
	      "a sleeping select is woken by a write in another process");
	wait_exit(pid);
	read(p[0], &c, 1);

	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 0 };
	CHECK(select(p[0] + 1, &rd, NULL, NULL, &tv) == 1, "select sees EOF as readable");

	FD_ZERO(&rd);
	FD_SET(p[1], &rd); /* closed above */
	struct timespec ts = { 0, 0 };
	CHECK(raw(SYS_pselect6, p[1] + 1, (long)&rd, 0, 0, (long)&ts, 0) == -EBADF,
	      "select on a closed fd: EBADF");
	CHECK(raw(SYS_pselect6, -1, 0, 0, 0, (long)&ts, 0) == -EINVAL, "select with n < 0: EINVAL");
	int q[2];
	pipe(q);
	int hi = dup2(q[0], 200);
	write(q[1], "h", 1);
	FD_ZERO(&rd);
	FD_SET(hi, &rd);
	tv = (struct timeval){ 0, 0 };
	CHECK(hi == 200 && select(hi + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(hi, &rd),
	      "select sees descriptor 200");
	close(hi);
	close(q[0]);
	close(q[1]);
	CHECK(raw(SYS_pselect6, 1, 16, 0, 0, (long)&ts, 0) == -EFAULT, "select of a bad set: EFAULT");
	struct { void *ss; size_t len; } pack = { &ts, 4 };
	CHECK(raw(SYS_pselect6, 0, 0, 0, 0, (long)&ts, (long)&pack) == -EINVAL,
	      "pselect6 with a wrong sigset size: EINVAL");
	ts = (struct timespec){ 0, 200 * MS };
	CHECK(raw(SYS_pselect6, 0, 0, 0, 0, (long)&ts, 0) == 0 && ts.tv_sec == 0 && ts.tv_nsec < 50 * MS,
	      "pselect6 with no fds sleeps its timeout and leaves ~0 time");
	close(p[0]);
}

#define FIFO "/tmp/pipe-test-fifo"

static void test_fifo(void)
{
	struct stat st;
	char buf[16];

	mkdir("/tmp", 01777);
	unlink(FIFO);
	CHECK(mkfifo(FIFO, 0600) == 0 && stat(FIFO, &st) == 0 && S_ISFIFO(st.st_mode),
	      "mkfifo makes an S_IFIFO node");
	CHECK(open(FIFO, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO,
	      "non-blocking write-only open with no reader: ENXIO");
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0 && read(r, buf, 1) == 0, "non-blocking read-only open succeeds, reads EOF");
	struct pollfd pf = { r, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0, "a FIFO reader that never saw a writer is not POLLHUP");
	int w = open(FIFO, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0 && write(w, "nb", 2) == 2 && read(r, buf, 2) == 2,
	      "with a reader there, a non-blocking writer opens and writes");
	close(w);
	close(r);

	/* Blocking opens meet: the reader waits for the writer. */
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		int fd = open(FIFO, O_WRONLY);
		_exit(fd >= 0 && write(fd, "fifo!", 5) == 5 ? 0 : 1);
	}
	long t0 = now_ms();
	r = open(FIFO, O_RDONLY);
	CHECK(r >= 0 && now_ms() - t0 >= 50, "a read-only open blocks until a writer opens");
	ssize_t n = 0, k;
	while (n < 5 && (k = read(r, buf + n, sizeof(buf) - n)) > 0)
		n += k;
	CHECK(n == 5 && !memcmp(buf, "fifo!", 5) && read(r, buf, 1) == 0,
	      "the FIFO carries the writer's bytes, then EOF");
	CHECK(wait_exit(pid) == 0, "the FIFO writer exits 0");
	close(r);

	/* ... and the writer waits for the reader. */
	pid = fork();
	if (pid == 0) {
		sleep_ms(100);
		int fd = open(FIFO, O_RDONLY);
		char b[8];
		_exit(fd >= 0 && read(fd, b, 8) == 3 && !memcmp(b, "abc", 3) ? 0 : 1);
	}
	t0 = now_ms();
	w = open(FIFO, O_WRONLY);
	CHECK(w >= 0 && now_ms() - t0 >= 50 && write(w, "abc", 3) == 3,
	      "a write-only open blocks until a reader opens");
	close(w);
	CHECK(wait_exit(pid) == 0, "the FIFO reader got the bytes");

	int rw = open(FIFO, O_RDWR);
	CHECK(rw >= 0 && write(rw, "rw", 2) == 2 && read(rw, buf, 2) == 2,
	      "an O_RDWR open never blocks and both reads and writes");
	close(rw);
	CHECK(unlink(FIFO) == 0, "the FIFO is unlinked");
}

int main(void)
{
	KTAP_START("pipe");
	test_basics();
	test_nonblocking();
	test_eof_and_epipe();
	test_blocking();
	test_atomic();
	test_poll();
	test_ppoll_sigmask();
	test_select();
	test_fifo();
	return ktap_done();
}
