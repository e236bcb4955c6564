/* Boot test: Unix 98 pseudo-terminals (kernel/tty/pty.c, kernel/fs/devpts.c).
 * openpty/forkpty from glibc; canonical mode with echo to the master and
 * output processing to the master; raw mode; ^C and window size changes
 * signal the slave's foreground group; hangup on master close, EIO on the
 * master after the slave closes; the slave lock (unlockpt), TIOCGPTPEER,
 * ttyname, /proc/<pid>/stat tty_nr; packet mode; poll readiness; a writer blocks (or
 * gets EAGAIN) when nobody reads; pairs used from several harts at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "test/user/ktap.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Read from fd until the text contains want (or 5 s pass); true if seen. */
static bool read_until(int fd, const char *want, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	while (n + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 5000) <= 0)
			return false;
		ssize_t r = read(fd, buf + n, size - 1 - n);
		if (r <= 0)
			return false;
		n += (size_t)r;
		buf[n] = 0;
		if (strstr(buf, want))
			return true;
	}
	return false;
}

static volatile sig_atomic_t got_int, got_winch;

static void on_sig(int sig)
{
	if (sig == SIGINT)
		got_int++;
	else
		got_winch++;
}

/* The forkpty child: a shell-like loop on its controlling slave. The
 * signals are blocked except while waiting (ppoll), so none is missed
 * between a check and the wait. */
static void child_shell(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	char line[256], out[300];
	struct winsize ws;
	sigset_t block, none;

	sigemptyset(&none);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	dprintf(1, "ready pgrp=%d\n", tcgetpgrp(0) == getpgrp());
	for (;;) {
		if (got_int) {
			got_int = 0;
			dprintf(1, "INT\n");
		}
		if (got_winch) {
			got_winch = 0;
			ioctl(0, TIOCGWINSZ, &ws);
			dprintf(1, "WINCH %dx%d\n", ws.ws_row, ws.ws_col);
		}
		struct pollfd p = { .fd = 0, .events = POLLIN };
		if (ppoll(&p, 1, NULL, &none) < 0)
			continue; /* EINTR: a signal to report */
		ssize_t n = read(0, line, sizeof(line) - 1);
		if (n <= 0)
			_exit(3);
		line[n] = 0;
		if (!strcmp(line, "exit\n"))
			_exit(7);
		snprintf(out, sizeof(out), "got:%s", line);
		write(1, out, strlen(out));
	}
}

static void test_openpty(void)
{
	int m, s;
	char name[64], buf[256];
	struct stat st;
	struct termios t;

	CHECK(openpty(&m, &s, name, NULL, NULL) == 0, "openpty");
	CHECK(!strncmp(name, "/dev/pts/", 9), "slave is /dev/pts/N");
	CHECK(ttyname(s) && !strcmp(ttyname(s), name), "ttyname of the slave");
	CHECK(ptsname(m) && !strcmp(ptsname(m), name), "ptsname of the master");
	CHECK(stat(name, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136 &&
		      minor(st.st_rdev) == (unsigned)atoi(name + 9) && st.st_uid == getuid() &&
		      ((st.st_mode & 0777) == 0620 || (st.st_mode & 0777) == 0600),
	      "slave node: char 136:N, mode 0620 (0600: mount option), our uid");
	CHECK(isatty(m) && isatty(s), "both sides are terminals");
	CHECK(tcgetattr(s, &t) == 0 && (t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO) &&
		      (t.c_oflag & ONLCR),
	      "slave termios: canonical, echo, ONLCR");
	struct termios tm;
	CHECK(tcgetattr(m, &tm) == 0 && tm.c_lflag == t.c_lflag, "master termios is the slave's");

	/* Canonical: echo goes back to the master, the line to the slave. */
	CHECK(write(m, "hel", 3) == 3, "write a partial line");
	struct pollfd p = { .fd = s, .events = POLLIN };
	CHECK(poll(&p, 1, 100) == 0, "no line yet: slave not readable");
	CHECK(write(m, "lo\n", 3) == 3, "end the line");
	CHECK(read_until(m, "hello\r\n", buf, sizeof(buf)), "echo reaches the master");
	CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "slave readable");
	int avail = -1;
	CHECK(ioctl(s, FIONREAD, &avail) == 0 && avail == 6, "FIONREAD on the slave");
	ssize_t n = read(s, buf, sizeof(buf));
	CHECK(n == 6 && !memcmp(buf, "hello\n", 6), "slave reads the line");
	CHECK(write(s, "out\n", 4) == 4, "slave writes");
	CHECK(read_until(m, "out\r\n", buf, sizeof(buf)), "master reads it after ONLCR");

	/* Erase and kill edit the line before the slave sees it. */
	CHECK(write(m, "abX\x7f" "c\n", 6) == 6, "line with an erase");
	CHECK(read_until(s, "\n", buf, sizeof(buf)) && !strcmp(buf, "abc\n"), "erase applied");
	read_until(m, "\r\n", buf, sizeof(buf));

	/* Raw mode: bytes as they come, no echo, ^C is data. */
	cfmakeraw(&t);
	CHECK(tcsetattr(s, TCSANOW, &t) == 0, "slave to raw mode");
	CHECK(write(m, "ab\x03" "c", 4) == 4, "write raw bytes");
	usleep(100000);
	n = 0;
	while (n < 4 && read_until(s, "c", buf + n, sizeof(buf) - (size_t)n))
		n = (ssize_t)strlen(buf);
	CHECK(!memcmp(buf, "ab\x03" "c", 4), "raw read gets ^C as data");
	struct pollfd pm = { .fd = m, .events = POLLIN };
	CHECK(poll(&pm, 1, 100) == 0, "no echo in raw mode");
	CHECK(write(s, "x\n", 2) == 2 && read_until(m, "\n", buf, sizeof(buf)) && !strcmp(buf, "x\n"),
	      "no output processing in raw mode");

	/* A bounded buffer: a non-blocking writer runs out of room. */
	fcntl(m, F_SETFL, O_NONBLOCK);
	static char big[4096];
	memset(big, 'z', sizeof(big));
	long total = 0;
	/* Full once the ldisc has taken all it can too: EAGAIN twice, with
	 * time between for bytes in flight to settle. */
	for (int i = 0, eagain = 0; i < 10000 && eagain < 2; i++) {
		n = write(m, big, sizeof(big));
		if (n > 0) {
			total += n;
			eagain = 0;
		} else if (n < 0 && errno == EAGAIN) {
			eagain++;
			usleep(100000);
		} else {
			break;
		}
	}
	CHECK(n < 0 && errno == EAGAIN && total > 0 && total < 1 << 20, "master writer gets EAGAIN");
	pm.events = POLLOUT;
	CHECK(poll(&pm, 1, 0) == 0, "full master: no POLLOUT");
	fcntl(s, F_SETFL, O_NONBLOCK);
	long got = 0;
	for (int tries = 0; got < total && tries < 1000; tries++) {
		n = read(s, buf, sizeof(buf));
		if (n > 0)
			got += n;
		else
			usleep(1000);
	}
	CHECK(got == total, "slave reads every byte");
	CHECK(poll(&pm, 1, 1000) == 1 && (pm.revents & POLLOUT), "master writable again");
	fcntl(m, F_SETFL, 0);

	/* The slave's last close: master reads fail with EIO, poll says POLLHUP. */
	close(s);
	pm.events = POLLIN;
	CHECK(poll(&pm, 1, 1000) == 1 && (pm.revents & POLLHUP), "POLLHUP after slave close");
	CHECK(read(m, buf, sizeof(buf)) < 0 && errno == EIO, "master read: EIO after slave close");
	close(m);
	CHECK(stat(name, &st) < 0 && errno == ENOENT, "/dev/pts/N gone after both close");

	/* A freed pair gives its number back (the lowest free is taken). */
	bool same = true;
	for (int i = 0; i < 100 && same; i++) {
		char again[64];
		if (openpty(&m, &s, again, NULL, NULL))
			same = false;
		else
			same = !strcmp(again, name);
		if (i & 1) { /* either order of closing */
			close(m);
			close(s);
		} else {
			close(s);
			close(m);
		}
	}
	CHECK(same, "100 pairs opened and closed reuse the same number");
}

/* posix_openpt: the slave is locked until unlockpt; TIOCGPTN, TIOCGPTPEER. */
static void test_lock_peer(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), n = -1, lk = 0;
	char name[64];

	CHECK(m >= 0, "posix_openpt");
	CHECK(ioctl(m, TIOCGPTN, &n) == 0 && n >= 0, "TIOCGPTN");
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	if (ioctl(m, TIOCGPTLCK, &lk) < 0 && errno == ENOSYS)
		printf("ok %d TIOCGPTLCK # SKIP qemu-user lacks it\n", ++ktap_n);
	else
		CHECK(lk == 1, "TIOCGPTLCK: a new slave is locked");
	CHECK(open(name, O_RDWR | O_NOCTTY) < 0 && errno == EIO, "locked slave: open fails EIO");
	CHECK(grantpt(m) == 0 && unlockpt(m) == 0, "grantpt, unlockpt");
	int s = open(name, O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "unlocked slave opens");
	int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	CHECK(peer >= 0 && ttyname(peer) && !strcmp(ttyname(peer), name), "TIOCGPTPEER opens the slave");
	char link[64], path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", s);
	ssize_t l = readlink(path, link, sizeof(link) - 1);
	CHECK(l > 0 && (link[l] = 0, !strcmp(link, name)), "/proc/self/fd link names /dev/pts/N");
	struct winsize ws = { .ws_row = 33, .ws_col = 99 }, got = { 0 };
	CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0 && ioctl(s, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 &&
		      got.ws_col == 99,
	      "window size set on the master shows on the slave");
	/* Bad pointers fail with EFAULT, as everywhere. */
	void *bad = (void *)8, *kern = (void *)0xffffffff80000000UL;
	CHECK(ioctl(m, TIOCGPTN, bad) < 0 && errno == EFAULT && ioctl(m, TIOCSPTLCK, kern) < 0 &&
		      errno == EFAULT && ioctl(s, TIOCGWINSZ, bad) < 0 && errno == EFAULT &&
		      ioctl(m, TIOCSWINSZ, kern) < 0 && errno == EFAULT,
	      "pty ioctls with bad pointers: EFAULT");

	/* A session leader opening the slave gets it as controlling tty,
	 * unless it says O_NOCTTY. */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGHUP, SIG_IGN); /* TIOCNOTTY hangs up the leader's foreground group: us */
		setsid();
		int fd = open(name, O_RDWR | O_NOCTTY);
		if (fd < 0 || open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO)
			_exit(1);
		fd = open(name, O_RDWR);
		if (fd < 0 || tcgetpgrp(fd) != getpid()) /* (qemu-user lacks TIOCGSID) */
			_exit(2);
		int t = open("/dev/tty", O_RDWR);
		if (t < 0 || ioctl(t, TIOCNOTTY) < 0 || open("/dev/tty", O_RDWR) >= 0)
			_exit(3);
		_exit(0);
	}
	int wst;
	CHECK(waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0,
	      "slave becomes the controlling tty without O_NOCTTY; TIOCNOTTY lets go");

	/* Hangup: after the master closes, the slave sees end of file. */
	close(m);
	char c;
	ssize_t r = read(s, &c, 1);
	CHECK(r == 0 || (r < 0 && errno == EIO), "slave read after master close: EOF/EIO");
	CHECK(write(s, "x", 1) < 0 && errno == EIO, "slave write after master close: EIO");
	struct pollfd p = { .fd = s, .events = POLLIN };
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP), "slave POLLHUP after master close");
	close(s);
	close(peer);
}

/* Packet mode: each master read starts with a status byte. */
static void test_packet(void)
{
	int m, s, on = 1;
	unsigned char b[64];

	CHECK(openpty(&m, &s, NULL, NULL, NULL) == 0, "openpty for packet mode");
	CHECK(ioctl(m, TIOCPKT, &on) == 0, "TIOCPKT on");
	struct pollfd p = { .fd = m, .events = POLLIN | POLLPRI };
	CHECK(write(s, "hi", 2) == 2 && poll(&p, 1, 1000) == 1 && read(m, b, sizeof(b)) == 3 &&
		      b[0] == TIOCPKT_DATA && !memcmp(b + 1, "hi", 2),
	      "data comes after TIOCPKT_DATA");
	CHECK(tcflush(s, TCIFLUSH) == 0 && poll(&p, 1, 1000) == 1 && (p.revents & POLLPRI) &&
		      read(m, b, sizeof(b)) == 1 && b[0] == TIOCPKT_FLUSHREAD,
	      "slave input flush: POLLPRI, TIOCPKT_FLUSHREAD");
	CHECK(tcflush(s, TCOFLUSH) == 0 && read(m, b, sizeof(b)) == 1 && b[0] == TIOCPKT_FLUSHWRITE,
	      "slave output flush: TIOCPKT_FLUSHWRITE");
	CHECK(tcflow(s, TCOOFF) == 0 && read(m, b, sizeof(b)) == 1 && b[0] == TIOCPKT_STOP,
	      "output stopped: TIOCPKT_STOP");
	CHECK(tcflow(s, TCOON) == 0 && read(m, b, sizeof(b)) == 1 && b[0] == TIOCPKT_START,
	      "output restarted: TIOCPKT_START");
	CHECK(write(s, "yz", 2) == 2 && poll(&p, 1, 1000) == 1 && read(m, b, 1) == 1 &&
		      b[0] == TIOCPKT_DATA && read(m, b, sizeof(b)) == 3 && !memcmp(b + 1, "yz", 2),
	      "a 1-byte read gets the status byte alone");
	close(s);
	close(m);
}

static void test_forkpty(void)
{
	int m;
	char buf[512], name[64];
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	pid_t pid = forkpty(&m, name, NULL, &ws);

	if (pid == 0)
		child_shell();
	CHECK(pid > 0, "forkpty");
	CHECK(read_until(m, "ready pgrp=1", buf, sizeof(buf)), "child has the slave as ctty, foreground");
	CHECK(write(m, "abc\n", 4) == 4 && read_until(m, "got:abc\r\n", buf, sizeof(buf)) &&
		      strstr(buf, "abc\r\n") < strstr(buf, "got:"),
	      "child reads a line; echo then its output");
	CHECK(write(m, "\x03", 1) == 1 && read_until(m, "INT", buf, sizeof(buf)), "^C sends SIGINT");
	ws.ws_row = 50;
	ws.ws_col = 132;
	CHECK(ioctl(m, TIOCSWINSZ, &ws) == 0 && read_until(m, "WINCH 50x132", buf, sizeof(buf)),
	      "TIOCSWINSZ sends SIGWINCH");
	struct stat st;
	stat(name, &st);
	unsigned int dev = st.st_rdev, want = (minor(dev) & 0xff) | (major(dev) << 8) | ((minor(dev) & ~0xffu) << 12);
	unsigned int tty_nr = 0;
	snprintf(buf, sizeof(buf), "/proc/%d/stat", pid); /* not self: qemu-user fakes that one */
	FILE *f = fopen(buf, "r");
	CHECK(f && fscanf(f, "%*d %*s %*c %*d %*d %*d %u", &tty_nr) == 1 && tty_nr == want,
	      "/proc/<pid>/stat tty_nr is the slave");
	if (f)
		fclose(f);
	int pg = -1;
	CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == pid, "TIOCGPGRP on the master: the child's group");
	int st2;
	CHECK(write(m, "exit\n", 5) == 5 && waitpid(pid, &st2, 0) == pid && WIFEXITED(st2) &&
		      WEXITSTATUS(st2) == 7,
	      "child exits");
	close(m);

	/* Hangup: the session leader on the slave gets SIGHUP when the master closes. */
	pid = forkpty(&m, NULL, NULL, NULL);
	if (pid == 0) {
		dprintf(1, "up\n");
		for (;;)
			pause();
	}
	CHECK(read_until(m, "up", buf, sizeof(buf)), "second child up");
	close(m);
	CHECK(waitpid(pid, &st2, 0) == pid && WIFSIGNALED(st2) && WTERMSIG(st2) == SIGHUP,
	      "master close: SIGHUP to the session leader");
}

/* Several pairs at once, one per hart: a raw echo child on each slave. */
static int one_pair(int id)
{
	int m, s;
	if (openpty(&m, &s, NULL, NULL, NULL))
		return 1;
	struct termios t;
	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	pid_t pid = fork();
	if (pid == 0) {
		close(m);
		char b[256];
		ssize_t n;
		while ((n = read(s, b, sizeof(b))) > 0)
			if (write(s, b, (size_t)n) != n)
				_exit(1);
		_exit(0);
	}
	close(s);
	char out[64], in[64];
	for (int i = 0; i < 300; i++) {
		int len = snprintf(out, sizeof(out), "pair %d msg %d;", id, i);
		if (write(m, out, (size_t)len) != len)
			return 2;
		int got = 0;
		while (got < len) {
			ssize_t n = read(m, in + got, (size_t)(len - got));
			if (n <= 0)
				return 3;
			got += (int)n;
		}
		if (memcmp(in, out, (size_t)len))
			return 4;
	}
	close(m);
	int st;
	waitpid(pid, &st, 0);
	return 0;
}

static void test_concurrent(void)
{
	pid_t kids[4];
	int ok = 0;

	for (int i = 0; i < 4; i++)
		if ((kids[i] = fork()) == 0)
			_exit(one_pair(i));
	for (int i = 0; i < 4; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) == kids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	CHECK(ok == 4, "4 pty pairs in parallel echo 300 messages each");
}

int main(void)
{
	KTAP_START("pty");
	test_openpty();
	test_lock_peer();
	test_packet();
	test_forkpty();
	test_concurrent();
	return ktap_done();
}
