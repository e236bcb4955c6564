/* Boot test: the console tty (kernel/tty/) and the memory devices
 * (kernel/fs/mem.c). Without typing: input is injected with TIOCSTI, so
 * line editing, EOF, VMIN/VTIME and the signal characters are checked;
 * termios defaults and round trips, window size and SIGWINCH, foreground
 * groups (tcsetpgrp and its errors), SIGTTIN/SIGTTOU for background
 * groups, /dev/tty. Passes on Linux too when stdin is a terminal (e.g.
 * under `script`); the tty part is skipped when it is not. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

static int tfd = -1;            /* /dev/tty */
static struct termios saved;    /* the terminal as we found it */
static pid_t our_pgrp;
static volatile sig_atomic_t got_int, got_quit, got_tstp, got_winch, got_alrm;

static void skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ktap_n, name, why);
	fflush(stdout);
}

static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_int++;
	else if (sig == SIGQUIT)
		got_quit++;
	else if (sig == SIGTSTP)
		got_tstp++;
	else if (sig == SIGWINCH)
		got_winch++;
	else if (sig == SIGALRM)
		got_alrm++;
}

/* A handler without SA_RESTART: an alarm breaks a read that would hang. */
static void catch(int sig)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(sig, &sa, NULL);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- memory devices ---- */

static void test_mem_devices(void)
{
	char buf[4096];
	struct stat st;
	int fd = open("/dev/null", O_RDWR);

	CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
	      "/dev/null is character device 1:3");
	CHECK(write(fd, "abc", 3) == 3 && read(fd, buf, sizeof(buf)) == 0,
	      "/dev/null swallows writes and reads as end of file");
	CHECK(tcgetpgrp(fd) == -1 && errno == ENOTTY, "tcgetpgrp on /dev/null: ENOTTY");
	CHECK(ioctl(fd, TIOCSPGRP, &(pid_t){ getpgrp() }) == -1 && errno == ENOTTY,
	      "TIOCSPGRP on /dev/null: ENOTTY");
	close(fd);

	fd = open("/dev/zero", O_RDWR);
	memset(buf, 0xaa, sizeof(buf));
	int zeros = 0;
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == sizeof(buf), "/dev/zero reads in full");
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros += buf[i] == 0;
	CHECK(zeros == (int)sizeof(buf), "/dev/zero gives zeros");
	CHECK(write(fd, buf, 100) == 100, "/dev/zero swallows writes");
	close(fd);

	fd = open("/dev/full", O_RDWR);
	buf[0] = 1;
	CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == ENOSPC, "/dev/full: write gives ENOSPC");
	CHECK(read(fd, buf, 16) == 16 && buf[0] == 0 && buf[15] == 0, "/dev/full reads zeros");
	close(fd);

	unsigned char a[64], b[64];
	int nonzero = 0;
	fd = open("/dev/urandom", O_RDONLY);
	CHECK(fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a) && read(fd, b, sizeof(b)) == sizeof(b),
	      "/dev/urandom reads in full");
	for (size_t i = 0; i < sizeof(a); i++)
		nonzero += a[i] != 0;
	CHECK(nonzero > 32 && memcmp(a, b, sizeof(a)) != 0, "/dev/urandom bytes look random");
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_rdev == makedev(1, 8) &&
	      read(fd, a, 16) == 16, "/dev/random (1:8) reads");
	close(fd);
}

/* ---- termios ---- */

/* The termios of the riscv64 ABI, as TCGETS gives it. */
struct kernel_termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[19];
};

static void set_mode(tcflag_t lflag_on, tcflag_t lflag_off, int vmin, int vtime)
{
	struct termios t;
	tcgetattr(tfd, &t);
	t.c_lflag = (t.c_lflag | lflag_on) & ~lflag_off;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tcsetattr(tfd, TCSANOW, &t);
}

/* Cooked, no echo (the injected input would litter the output). */
static void cooked(void)
{
	set_mode(ICANON | ISIG | IEXTEN, ECHO | NOFLSH, 1, 0);
}

static void inject(const char *s)
{
	for (; *s; s++)
		ioctl(tfd, TIOCSTI, s);
}

/* One read with an alarm in case it would hang; the bytes, NUL-ended. */
static ssize_t read_str(char *buf, size_t n)
{
	alarm(3);
	ssize_t r = read(tfd, buf, n - 1);
	alarm(0);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

static void test_termios_defaults(void)
{
	struct termios t;
	struct kernel_termios k;

	CHECK(tcgetattr(0, &t) == 0, "tcgetattr on fd 0");
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG | IEXTEN | ECHOE | ECHOK)) ==
	      (ICANON | ECHO | ISIG | IEXTEN | ECHOE | ECHOK), "lflag: ICANON ECHO ISIG IEXTEN ECHOE ECHOK");
	CHECK((t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR) && (t.c_iflag & ICRNL),
	      "oflag OPOST|ONLCR, iflag ICRNL");
	CHECK(t.c_cc[VINTR] == 3 && t.c_cc[VQUIT] == 034 && t.c_cc[VERASE] == 0177 &&
	      t.c_cc[VKILL] == 025 && t.c_cc[VEOF] == 4 && t.c_cc[VSUSP] == 032 &&
	      t.c_cc[VWERASE] == 027 && t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0,
	      "c_cc: ^C ^\\ DEL ^U ^D ^Z ^W, VMIN 1, VTIME 0");
	CHECK((t.c_cflag & CSIZE) == CS8 && (t.c_cflag & CREAD), "cflag CS8|CREAD");
	CHECK(ioctl(0, TCGETS, &k) == 0 && k.c_lflag == t.c_lflag && k.c_iflag == t.c_iflag &&
	      k.c_cc[VEOF] == 4 && k.c_cc[VMIN] == 1, "TCGETS gives the 36-byte kernel termios");
}

static void test_termios_roundtrip(void)
{
	struct termios raw = saved, t;

	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	CHECK(tcsetattr(tfd, TCSANOW, &raw) == 0 && tcgetattr(tfd, &t) == 0 &&
	      t.c_lflag == raw.c_lflag && t.c_iflag == raw.c_iflag && t.c_oflag == raw.c_oflag &&
	      t.c_cc[VMIN] == 0, "raw mode set and read back");
	char c;
	long t0 = now_ms();
	CHECK(read(tfd, &c, 1) == 0 && now_ms() - t0 < 500, "raw, VMIN=0 VTIME=0, no input: read gives 0 at once");
	CHECK(tcsetattr(tfd, TCSAFLUSH, &saved) == 0 && tcgetattr(tfd, &t) == 0 &&
	      t.c_lflag == saved.c_lflag && t.c_iflag == saved.c_iflag && t.c_oflag == saved.c_oflag &&
	      !memcmp(t.c_cc, saved.c_cc, NCCS), "the saved termios restored");
}

/* ---- input, fed with TIOCSTI ---- */

static void test_canonical(void)
{
	char buf[64];
	int n = -1;

	cooked();
	inject("abx\177c\n");
	CHECK(read_str(buf, sizeof(buf)) == 4 && !strcmp(buf, "abc\n"), "ERASE (DEL) takes back one character");
	inject("ab\bx\n");
	CHECK(read_str(buf, sizeof(buf)) == 5 && !strcmp(buf, "ab\bx\n"), "^H is an ordinary character when ERASE is DEL");
	inject("junk\025ok\n");
	CHECK(read_str(buf, sizeof(buf)) == 3 && !strcmp(buf, "ok\n"), "KILL (^U) takes back the line");
	inject("one two  \027three\n");
	CHECK(read_str(buf, sizeof(buf)) == 10 && !strcmp(buf, "one three\n"), "WERASE (^W) takes back a word");
	inject("x\177\177\177y\n");
	CHECK(read_str(buf, sizeof(buf)) == 2 && !strcmp(buf, "y\n"), "ERASE stops at the start of the line");
	inject("cr\r");
	CHECK(read_str(buf, sizeof(buf)) == 3 && !strcmp(buf, "cr\n"), "ICRNL: CR ends the line as NL");
	inject("ab\004");
	CHECK(read_str(buf, sizeof(buf)) == 2 && !strcmp(buf, "ab"), "EOF (^D) after text returns the text");
	inject("\004");
	CHECK(read_str(buf, sizeof(buf)) == 0, "EOF at the start of a line reads 0");
	inject("\026\025\n");
	CHECK(read_str(buf, sizeof(buf)) == 2 && buf[0] == 025, "LNEXT (^V) makes the next character literal");
	inject("line1\nline2\n");
	CHECK(read_str(buf, sizeof(buf)) == 6 && !strcmp(buf, "line1\n"), "one read returns one line");
	CHECK(read_str(buf, 4) == 3 && !strcmp(buf, "lin"), "a short read takes part of a line...");
	CHECK(read_str(buf, sizeof(buf)) == 3 && !strcmp(buf, "e2\n"), "...and the next read the rest");

	inject("part");
	struct pollfd p = { .fd = tfd, .events = POLLIN | POLLOUT };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "a partial line: poll says POLLOUT, not POLLIN");
	CHECK(ioctl(tfd, FIONREAD, &n) == 0 && n == 0, "a partial line: FIONREAD 0");
	int nb = open("/dev/tty", O_RDWR | O_NONBLOCK);
	CHECK(read(nb, buf, sizeof(buf)) == -1 && errno == EAGAIN, "O_NONBLOCK read of a partial line: EAGAIN");
	close(nb);
	inject("\n");
	CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "the line ended: POLLIN");
	CHECK(ioctl(tfd, FIONREAD, &n) == 0 && n == 5, "FIONREAD counts the complete line");
	CHECK(read_str(buf, sizeof(buf)) == 5 && !strcmp(buf, "part\n"), "and it reads back");

	inject("zzz\n");
	CHECK(tcflush(tfd, TCIFLUSH) == 0 && ioctl(tfd, FIONREAD, &n) == 0 && n == 0,
	      "tcflush(TCIFLUSH) throws input away");
	inject("mode");
	set_mode(0, ICANON, 0, 0);
	CHECK(read_str(buf, sizeof(buf)) == 4 && !strcmp(buf, "mode"), "leaving ICANON makes a partial line readable");
	cooked();
}

static void test_raw(void)
{
	char buf[64];

	set_mode(0, ICANON, 3, 0);
	inject("pqrs");
	CHECK(read_str(buf, sizeof(buf)) == 4 && !strcmp(buf, "pqrs"), "VMIN=3: a read takes all 4 bytes there");
	inject("\177\025\004\n");
	CHECK(read_str(buf, sizeof(buf)) == 4 && !strcmp(buf, "\177\025\004\n"), "raw mode: editing characters are data");

	set_mode(0, ICANON, 0, 2);
	long t0 = now_ms();
	ssize_t r = read_str(buf, sizeof(buf));
	long dt = now_ms() - t0;
	printf("# VTIME read: %zd after %ld ms\n", r, dt);
	CHECK(r == 0 && dt >= 150 && dt < 2000, "VMIN=0 VTIME=2: read times out after about 0.2 s");
	inject("x");
	CHECK(read_str(buf, sizeof(buf)) == 1, "VMIN=0 VTIME=2: a byte there is returned");

	set_mode(0, ICANON, 2, 1);
	inject("y");
	t0 = now_ms();
	r = read_str(buf, sizeof(buf));
	dt = now_ms() - t0;
	CHECK(r == 1 && dt >= 50 && dt < 2000, "VMIN=2 VTIME=1: the interbyte timer ends a short read");

	set_mode(0, ICANON, 0, 0);
	inject("xyz");
	cooked();
	CHECK(read_str(buf, sizeof(buf)) == 3 && !strcmp(buf, "xyz"), "entering ICANON makes pending bytes a line");
	cooked();
}

static void test_signal_chars(void)
{
	char buf[64];

	cooked();
	catch(SIGINT);
	catch(SIGQUIT);
	catch(SIGTSTP);
	inject("abc\003");
	CHECK(got_int == 1, "INTR (^C) sends SIGINT to the foreground group");
	inject("d\n");
	CHECK(read_str(buf, sizeof(buf)) == 2 && !strcmp(buf, "d\n"), "...and throws away the input before it");
	inject("\034");
	CHECK(got_quit == 1, "QUIT (^\\) sends SIGQUIT");
	inject("\032");
	CHECK(got_tstp == 1, "SUSP (^Z) sends SIGTSTP");
	set_mode(NOFLSH, 0, 1, 0);
	inject("ab\003c\n");
	CHECK(got_int == 2 && read_str(buf, sizeof(buf)) == 4 && !strcmp(buf, "abc\n"), "NOFLSH keeps the input");
	set_mode(0, ISIG | NOFLSH, 1, 0);
	inject("\003\n");
	CHECK(got_int == 2 && read_str(buf, sizeof(buf)) == 2 && buf[0] == 3, "without ISIG ^C is data");
	cooked();
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
}

/* ---- window size ---- */

static void test_winsize(void)
{
	struct winsize ws, ws2, orig;

	catch(SIGWINCH);
	CHECK(ioctl(tfd, TIOCGWINSZ, &orig) == 0, "TIOCGWINSZ");
	printf("# window %ux%u\n", orig.ws_row, orig.ws_col);
	ws = orig;
	ws.ws_row += 3;
	ws.ws_col += 5;
	CHECK(ioctl(tfd, TIOCSWINSZ, &ws) == 0 && ioctl(tfd, TIOCGWINSZ, &ws2) == 0 &&
	      ws2.ws_row == ws.ws_row && ws2.ws_col == ws.ws_col, "TIOCSWINSZ sets it");
	CHECK(got_winch == 1, "a new size sends SIGWINCH to the foreground group");
	CHECK(ioctl(tfd, TIOCSWINSZ, &ws) == 0 && got_winch == 1, "the same size again: no SIGWINCH");
	CHECK(ioctl(tfd, TIOCSWINSZ, &orig) == 0 && got_winch == 2, "size restored (SIGWINCH again)");
	signal(SIGWINCH, SIG_DFL);
}

/* ---- job control ---- */

/* fn runs in process B in a background group: we fork A (in our group),
 * A forks B, B makes its own group. B's parent A is in our session and
 * another group, so B's group is not orphaned. B's exit status, or 100 +
 * the signal that stopped it, or 99 if it hung. */
static int in_background(int (*fn)(void))
{
	pid_t a = fork();

	if (a == 0) {
		pid_t b = fork();
		if (b == 0) {
			setpgid(0, 0);
			_exit(fn());
		}
		setpgid(b, b);
		int st = 0;
		for (int i = 0; i < 300 && waitpid(b, &st, WNOHANG | WUNTRACED) == 0; i++)
			usleep(10000);
		if (waitpid(b, &st, WNOHANG | WUNTRACED) == 0 || WIFSTOPPED(st)) {
			kill(b, SIGKILL);
			waitpid(b, NULL, 0);
			_exit(WIFSTOPPED(st) ? 100 + WSTOPSIG(st) : 99);
		}
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 98);
	}
	int st;
	waitpid(a, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define GOT_TTIN 50
#define GOT_TTOU 51
static void ttin_exit(int sig) { (void)sig; _exit(GOT_TTIN); }
static void ttou_exit(int sig) { (void)sig; _exit(GOT_TTOU); }

static int bg_read(void)
{
	char c;
	signal(SIGTTIN, ttin_exit);
	read(tfd, &c, 1);
	return 1;
}

static int bg_read_ignored(void)
{
	char c;
	signal(SIGTTIN, SIG_IGN);
	return read(tfd, &c, 1) == -1 && errno == EIO ? 0 : 1;
}

static int bg_write(void)
{
	signal(SIGTTOU, ttou_exit);
	return write(tfd, "# a background write\n", 21) == 21 ? 0 : 1;
}

static int bg_write_ignored(void)
{
	signal(SIGTTOU, SIG_IGN);
	return write(tfd, "# a background write, SIGTTOU ignored\n", 38) == 38 ? 0 : 1;
}

static int bg_tcsetattr(void)
{
	struct termios t;
	signal(SIGTTOU, ttou_exit);
	tcgetattr(tfd, &t);
	tcsetattr(tfd, TCSANOW, &t);
	return 1;
}

static int bg_tcsetpgrp(void)
{
	signal(SIGTTOU, ttou_exit);
	tcsetpgrp(tfd, getpgrp());
	return 1;
}

/* What a shell does to run a job in the foreground and take the terminal
 * back: with SIGTTOU ignored a background group may tcsetpgrp. */
static int bg_tcsetpgrp_ignored(void)
{
	signal(SIGTTOU, SIG_IGN);
	if (tcgetpgrp(tfd) != our_pgrp)
		return 1;
	if (tcsetpgrp(tfd, getpgrp()) != 0 || tcgetpgrp(tfd) != getpgrp())
		return 2;
	return tcsetpgrp(tfd, our_pgrp) == 0 ? 0 : 3;
}

static void test_foreground(void)
{
	pid_t sid = getsid(0);
	int v = -1;

	CHECK(tcgetpgrp(tfd) == our_pgrp, "tcgetpgrp: we are the foreground group");
	CHECK(ioctl(tfd, TIOCGSID, &v) == 0 && v == sid, "TIOCGSID gives our session");
	CHECK(tcsetpgrp(tfd, our_pgrp) == 0, "tcsetpgrp to our own group (the shell's path)");

	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	CHECK(tcsetpgrp(tfd, gone) == -1 && errno == ESRCH, "tcsetpgrp to a group that does not exist: ESRCH");

	int pfd[2];
	char c;
	pipe(pfd);
	pid_t other = fork();
	if (other == 0) {
		setsid();
		write(pfd[1], "s", 1);
		pause();
		_exit(0);
	}
	read(pfd[0], &c, 1);
	CHECK(tcsetpgrp(tfd, other) == -1 && errno == EPERM, "tcsetpgrp to a group of another session: EPERM");
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);

	/* A new session has no controlling tty: ours is not its. */
	pid_t c2 = fork();
	if (c2 == 0) {
		int bad = 0;
		setsid();
		if (!(tcgetpgrp(tfd) == -1 && errno == ENOTTY))
			bad |= 1;
		if (!(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO))
			bad |= 2;
		if (!(ioctl(tfd, TIOCSCTTY, 0) == -1 && errno == EPERM))
			bad |= 4;
		if (!(tcsetpgrp(tfd, getpgrp()) == -1 && errno == ENOTTY))
			bad |= 8;
		_exit(bad);
	}
	int st;
	waitpid(c2, &st, 0);
	printf("# new-session child status %#x\n", st);
	CHECK(WIFEXITED(st) && (WEXITSTATUS(st) & 3) == 0,
	      "after setsid: tcgetpgrp ENOTTY, /dev/tty ENXIO");
	CHECK(WIFEXITED(st) && (WEXITSTATUS(st) & 12) == 0,
	      "after setsid: TIOCSCTTY of another session's tty EPERM, tcsetpgrp ENOTTY");
}

static void test_background(void)
{
	struct termios t;

	CHECK(in_background(bg_read) == GOT_TTIN, "a background read gets SIGTTIN");
	CHECK(in_background(bg_read_ignored) == 0, "a background read with SIGTTIN ignored: EIO");
	CHECK(in_background(bg_write) == 0, "a background write without TOSTOP goes out");
	tcgetattr(tfd, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(tfd, TCSANOW, &t);
	CHECK(in_background(bg_write) == GOT_TTOU, "with TOSTOP a background write gets SIGTTOU");
	CHECK(in_background(bg_write_ignored) == 0, "with TOSTOP and SIGTTOU ignored the write goes out");
	t.c_lflag &= ~TOSTOP;
	tcsetattr(tfd, TCSANOW, &t);
	CHECK(in_background(bg_tcsetattr) == GOT_TTOU, "a background tcsetattr gets SIGTTOU");
	CHECK(in_background(bg_tcsetpgrp) == GOT_TTOU, "a background tcsetpgrp gets SIGTTOU");
	CHECK(in_background(bg_tcsetpgrp_ignored) == 0,
	      "with SIGTTOU ignored a background group takes the terminal and gives it back");
	CHECK(tcgetpgrp(tfd) == our_pgrp, "we are in the foreground again");
}

/* A group whose parents all left the session's other groups is orphaned:
 * its background read fails with EIO instead of stopping it. */
static void test_orphaned(void)
{
	int pfd[2];
	char c = '?';

	pipe(pfd);
	pid_t a = fork();
	if (a == 0) {
		pid_t self = getpid();
		if (fork() == 0) {
			setpgid(0, 0);
			for (int i = 0; i < 300 && getppid() == self; i++)
				usleep(10000); /* until A has gone */
			signal(SIGTTIN, ttin_exit);
			char r = read(tfd, &c, 1) == -1 && errno == EIO ? 'E' : 'X';
			write(pfd[1], &r, 1);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(a, NULL, 0);
	close(pfd[1]);
	alarm(5);
	ssize_t n = read(pfd[0], &c, 1);
	alarm(0);
	close(pfd[0]);
	printf("# orphaned child said %c (%zd)\n", c, n);
	CHECK(n == 1 && c == 'E', "a background read from an orphaned group: EIO, no SIGTTIN");
	while (waitpid(-1, NULL, WNOHANG) > 0) /* as init we inherit it */
		;
}

/* Make fd 0's terminal our controlling tty if it is not yet (as init on
 * Vireo, a session leader whose console was opened before setsid). */
static bool get_ctty(void)
{
	if (tcgetpgrp(0) >= 0)
		return true;
	if (errno != ENOTTY || getsid(0) != getpid())
		return false;
	CHECK(ioctl(0, TIOCSCTTY, 0) == 0, "TIOCSCTTY: the session leader takes fd 0's tty");
	return tcgetpgrp(0) >= 0;
}

static void test_tty(void)
{
	struct stat st;

	if (!get_ctty()) {
		skip("tty tests", "fd 0 is a terminal but not our controlling one");
		return;
	}
	tfd = open("/dev/tty", O_RDWR);
	CHECK(tfd >= 0 && isatty(tfd), "/dev/tty opens our controlling terminal");
	CHECK(fstat(tfd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(5, 0), "/dev/tty is 5:0");
	our_pgrp = getpgrp();
	tcgetattr(tfd, &saved);
	catch(SIGALRM);
	test_termios_defaults();
	test_termios_roundtrip();
	char c = 'x';
	cooked();
	if (ioctl(tfd, TIOCSTI, &c) == 0) {
		tcflush(tfd, TCIFLUSH);
		test_canonical();
		test_raw();
		test_signal_chars();
	} else {
		skip("line editing and signal characters", "TIOCSTI not allowed");
	}
	tcsetattr(tfd, TCSAFLUSH, &saved);
	test_winsize();
	test_foreground();
	test_background();
	test_orphaned();
	tcsetattr(tfd, TCSAFLUSH, &saved);
}

int main(void)
{
	KTAP_START("tty");
	test_mem_devices();
	if (isatty(0))
		test_tty();
	else
		skip("tty tests", "stdin is not a terminal");
	return ktap_done();
}
