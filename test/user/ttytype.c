/* Boot test with typed input (run-tests.py types at each "ttytype: ..."
 * prompt): canonical line editing with echo, ^C and ^Z reaching the
 * foreground job, ^D at the start of a line, a raw-mode keypress. Plays a
 * shell: a child of init (so its jobs' groups are not orphaned) runs each
 * job in its own process group in the foreground and takes the terminal
 * back after, SIGTTOU ignored as shells do. Runs on Linux too (on a
 * terminal, typing at the prompts by hand). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "test/user/ktap.h"

static void prompt(const char *what)
{
	printf("ttytype: %s\n", what);
	fflush(stdout);
}

/* Fork a job that prompts, then sleeps until the typed key acts on it.
 * It runs in its own group, in the foreground. Its wait status. */
static int run_job(const char *what, int options, pid_t *jobp)
{
	pid_t shell_pgrp = getpgrp(), job = fork();
	int st;

	*jobp = job;
	if (job == 0) {
		setpgid(0, 0);
		while (tcgetpgrp(0) != getpgrp()) /* the shell hands us the terminal */
			usleep(1000);
		prompt(what);
		sleep(30);
		_exit(0);
	}
	setpgid(job, job);
	tcsetpgrp(0, job);
	waitpid(job, &st, options);
	putchar('\n'); /* after the echoed ^C or ^Z, as shells do */
	tcsetpgrp(0, shell_pgrp); /* from the background: SIGTTOU is ignored */
	return st;
}

static int shell(void)
{
	char buf[128];
	ssize_t n;
	struct termios saved, raw;

	signal(SIGTTOU, SIG_IGN);
	tcgetattr(0, &saved);

	prompt("type a line");
	n = read(0, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("# got [%s]\n", buf);
	CHECK(n == 4 && !strcmp(buf, "abc\n"), "typed abx, DEL, c, CR: the read gives abc\\n");

	pid_t job;
	int st = run_job("sleeping", 0, &job);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "^C kills the foreground job with SIGINT");
	CHECK(tcgetpgrp(0) == getpgrp(), "the shell has the terminal back");

	st = run_job("stopping", WUNTRACED, &job);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP, "^Z stops the foreground job with SIGTSTP");
	kill(job, SIGKILL);
	waitpid(job, &st, 0);

	prompt("type EOF");
	n = read(0, buf, sizeof(buf));
	CHECK(n == 0, "^D at the start of a line reads as end of file");

	raw = saved;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSAFLUSH, &raw);
	prompt("raw");
	n = read(0, buf, sizeof(buf));
	tcsetattr(0, TCSAFLUSH, &saved);
	CHECK(n == 1 && buf[0] == 'q', "raw mode: one key, no Enter, no echo");
	return ktap_done();
}

int main(void)
{
	KTAP_START("ttytype");
	if (tcgetpgrp(0) < 0 && getsid(0) == getpid())
		ioctl(0, TIOCSCTTY, 0); /* init without a controlling tty yet */
	if (tcgetpgrp(0) != getpgrp()) {
		printf("not ok 1 the console is our controlling terminal, in the foreground\n");
		return 1;
	}
	pid_t sh = fork();
	if (sh == 0)
		_exit(shell());
	int st;
	waitpid(sh, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
