/* /init: mounts /proc, /dev, /dev/pts and /tmp, runs /etc/rc if there is one, then
 * either runs the command given on the kernel command line (after "--")
 * with /bin/sh -c and powers off with its status (make run), or keeps a
 * login-less shell on the console (make qemu). As init it reaps orphans,
 * and busybox's poweroff/halt/reboot reach it as SIGUSR2/SIGUSR1/SIGTERM. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t shutdown_how; /* RB_* once a shutdown signal came */

static void on_shutdown_signal(int sig)
{
	shutdown_how = sig == SIGTERM ? RB_AUTOBOOT : sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_POWER_OFF;
}

static void mount_fs(const char *type, const char *dir, const char *probe, unsigned long flags)
{
	if (probe && access(probe, F_OK) == 0)
		return; /* already there (the kernel mounts devtmpfs itself) */
	mkdir(dir, 0755);
	if (mount(type, dir, type, flags, NULL) < 0)
		fprintf(stderr, "init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/* The name in /etc/hostname, if there is one, becomes the node name. */
static void set_hostname(void)
{
	char name[65] = "";
	FILE *f = fopen("/etc/hostname", "r");

	if (!f)
		return;
	if (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = 0;
		if (*name)
			sethostname(name, strlen(name));
	}
	fclose(f);
}

/* A child's wait status as a shell reports it: 128+signal if killed. */
static int status_code(int st)
{
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

/* Run argv in a new session whose controlling terminal is the console. */
static pid_t spawn(char *const argv[], bool ctty)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	setsid();
	if (ctty) {
		int fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			ioctl(fd, TIOCSCTTY, 0);
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	execv(argv[0], argv);
	fprintf(stderr, "init: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Wait for pid, reaping any orphan that ends meanwhile; -1 if a shutdown
 * signal interrupted the wait. */
static int wait_for(pid_t pid)
{
	int st;

	for (;;) {
		pid_t got = wait(&st);
		if (got == pid)
			return status_code(st);
		if (got < 0 && errno == EINTR && shutdown_how)
			return -1;
		if (got < 0 && errno == ECHILD)
			return 127;
	}
}

static void shut_down(int how)
{
	printf("init: stopping all processes\n");
	kill(-1, SIGTERM);
	sleep(1);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	sync();
	reboot(how);
	exit(0); /* not reached: as pid 1, exiting powers the machine off too */
}

/* make run passes its command line hex-encoded in one word (the kernel
 * command line splits at spaces and strips quotes). */
static char *hex_decode(const char *hex)
{
	size_t n = strlen(hex) / 2;
	char *s = calloc(1, n + 1);

	for (size_t i = 0; s && i < n; i++) {
		unsigned int byte;
		if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
			break;
		s[i] = (char)byte;
	}
	return s;
}

/* The kernel gives the words after "--" as arguments: one command line. */
static char *join_args(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--hex"))
		return hex_decode(argv[2]);
	size_t len = 1;

	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *cmd = calloc(1, len);
	for (int i = 1; cmd && i < argc; i++) {
		if (i > 1)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	return cmd;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_shutdown_signal }; /* no SA_RESTART */

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN); /* Ctrl-Alt-Del is no reason to die */
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	if (!getenv("HOME"))
		setenv("HOME", "/", 1);
	mount_fs("proc", "/proc", "/proc/self", 0);
	mount_fs("devtmpfs", "/dev", "/dev/null", 0);
	mount_fs("devpts", "/dev/pts", "/dev/pts/ptmx", MS_NOSUID | MS_NOEXEC);
	mount_fs("mqueue", "/dev/mqueue", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_fs("tmpfs", "/tmp", NULL, 0);
	set_hostname();
	if (access("/etc/rc", X_OK) == 0) {
		char *rc[] = { "/bin/sh", "/etc/rc", NULL };
		wait_for(spawn(rc, false));
	}
	if (argc > 1) { /* make run: the command's status becomes the machine's */
		char *sh[] = { "/bin/sh", "-c", join_args(argc, argv), NULL };
		int code = wait_for(spawn(sh, false));
		if (code < 0)
			shut_down(shutdown_how);
		return code;
	}
	for (;;) {
		char *sh[] = { "/bin/sh", NULL };
		printf("\nVireo: busybox shell on the console (poweroff or Ctrl-A X to stop)\n");
		fflush(stdout);
		if (wait_for(spawn(sh, true)) < 0)
			shut_down(shutdown_how);
		if (shutdown_how)
			shut_down(shutdown_how);
	}
}
