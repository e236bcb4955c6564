/* Boot-test helper: die of the default action of the signal argv[1]
 * names, so the harness can check the exit status (128 + signal). No
 * argument: list the modes. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * As pid 1 a forked child does the deed and init exits with the status it
 * died with: Linux's init ignores the signals it has no handler for (only
 * the kernel's own fault signals kill it), which mode "init" checks.
 */

static void segv_again(int sig)
{
	volatile uintptr_t sixteen = 16;
	(void)sig;
	*(volatile int *)sixteen = 1; /* fault inside the SIGSEGV handler */
}

static void never(int sig)
{
	(void)sig;
	printf("sigdie: handler ran (wrong)\n");
	fflush(stdout);
}

static void null_store(void)
{
	volatile uintptr_t zero = 0;
	*(volatile int *)zero = 1;
}

struct mode {
	const char *name;
	int sig;    /* expected death, 0: expected exit(0) */
	const char *what;
};

static const struct mode modes[] = {
	{ "segv", SIGSEGV, "store to NULL" },
	{ "abort", SIGABRT, "abort()" },
	{ "kill9", SIGKILL, "raise(SIGKILL)" },
	{ "term", SIGTERM, "raise(SIGTERM)" },
	{ "ill", SIGILL, "illegal instruction" },
	{ "alarm", SIGALRM, "setitimer, then pause()" },
	{ "blocked-segv", SIGSEGV, "fault with SIGSEGV blocked" },
	{ "ignored-segv", SIGSEGV, "fault with SIGSEGV ignored" },
	{ "segv-in-handler", SIGSEGV, "the SIGSEGV handler faults" },
	{ "bad-altstack", SIGSEGV, "SA_ONSTACK frame on an unwritable stack" },
	{ "bad-sigreturn", SIGSEGV, "rt_sigreturn with no frame" },
	{ "pending-kill", SIGKILL, "SIGKILL while every signal is blocked" },
	{ "init", 0, "as pid 1: SIGTERM/SIGKILL without a handler are ignored" },
};

/* Do it: returns only if the process survived. */
static void act(const char *m)
{
	struct sigaction sa;
	sigset_t all;

	memset(&sa, 0, sizeof(sa));
	sigfillset(&all);
	if (!strcmp(m, "segv")) {
		null_store();
	} else if (!strcmp(m, "abort")) {
		abort();
	} else if (!strcmp(m, "kill9")) {
		raise(SIGKILL);
	} else if (!strcmp(m, "term")) {
		raise(SIGTERM);
	} else if (!strcmp(m, "ill")) {
		__asm__ volatile(".word 0"); /* all-zero: defined illegal */
	} else if (!strcmp(m, "alarm")) {
		struct itimerval it = { { 0, 0 }, { 0, 50000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		for (;;)
			pause();
	} else if (!strcmp(m, "blocked-segv")) {
		sa.sa_handler = never;
		sigaction(SIGSEGV, &sa, NULL);
		sigprocmask(SIG_BLOCK, &all, NULL);
		null_store();
	} else if (!strcmp(m, "ignored-segv")) {
		signal(SIGSEGV, SIG_IGN);
		null_store();
	} else if (!strcmp(m, "segv-in-handler")) {
		signal(SIGSEGV, segv_again);
		null_store();
	} else if (!strcmp(m, "bad-altstack")) {
		long pg = sysconf(_SC_PAGESIZE);
		void *p = mmap(NULL, 4 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		stack_t ss = { .ss_sp = p, .ss_size = 4 * pg, .ss_flags = 0 };
		sigaltstack(&ss, NULL);
		sa.sa_handler = never;
		sa.sa_flags = SA_ONSTACK;
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
	} else if (!strcmp(m, "bad-sigreturn")) {
		/* sp far from any mapping: the frame cannot be read. */
		__asm__ volatile("li sp, 0x1000\n li a7, 139\n ecall" ::: "memory");
	} else if (!strcmp(m, "pending-kill")) {
		sigprocmask(SIG_BLOCK, &all, NULL);
		kill(getpid(), SIGKILL);
	} else if (!strcmp(m, "init")) {
		if (getpid() != 1) {
			printf("sigdie: init: not pid 1, nothing to check\n");
			exit(0);
		}
		raise(SIGTERM);
		raise(SIGKILL);
		kill(1, SIGINT);
		printf("sigdie: init survived SIGTERM, SIGKILL and SIGINT\n");
		exit(0);
	} else {
		printf("sigdie: unknown mode %s\n", m);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const struct mode *md = NULL;

	if (argc < 2) {
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			printf("%-16s dies of %2d: %s\n", modes[i].name, modes[i].sig, modes[i].what);
		return 2;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			md = &modes[i];
	printf("sigdie: %s (%s)\n", argv[1], md ? md->what : "?");
	fflush(stdout);
	if (getpid() == 1 && md && md->sig) {
		/* init would survive most of these: let a child do it. */
		pid_t c = fork();
		if (c < 0) {
			perror("fork");
			return 3;
		}
		if (c == 0) {
			act(argv[1]);
			printf("sigdie: survived (wrong)\n");
			_exit(1);
		}
		int st;
		if (waitpid(c, &st, 0) != c) {
			perror("waitpid");
			return 3;
		}
		if (WIFSIGNALED(st)) {
			printf("sigdie: child killed by signal %d%s\n", WTERMSIG(st),
			       WCOREDUMP(st) ? " (core dumped)" : "");
			fflush(stdout);
			return 128 + WTERMSIG(st);
		}
		printf("sigdie: child exited with %d\n", WEXITSTATUS(st));
		return WEXITSTATUS(st);
	}
	act(argv[1]);
	printf("sigdie: survived (wrong)\n");
	return 1;
}
