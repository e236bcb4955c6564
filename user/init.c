/* /init until busybox arrives (files issue): a tiny console command runner.
 * Reads a line, splits it at spaces, runs the program by path with
 * fork + execve and waits; reaps orphans as init must. "exit [N]" or
 * "poweroff" ends it, and with it the machine (status N). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void run(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		perror("fork");
		return;
	}
	if (pid == 0) {
		execve(argv[0], argv, environ);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		printf("[%s killed by signal %d]\n", argv[0], WTERMSIG(st));
	else if (WEXITSTATUS(st))
		printf("[%s exited with status %d]\n", argv[0], WEXITSTATUS(st));
	while (waitpid(-1, &st, WNOHANG) > 0) /* orphans reparented to us */
		;
}

int main(void)
{
	char line[1024];

	printf("Vireo: no shell yet (busybox comes with the files issue).\n"
	       "Type a program path and arguments, e.g. /bin/hello a b; 'exit [N]' powers off.\n");
	for (;;) {
		char *argv[64];
		int argc = 0;

		printf("vireo# ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 0;
		for (char *t = strtok(line, " \t\r\n"); t && argc < 63; t = strtok(NULL, " \t\r\n"))
			argv[argc++] = t;
		argv[argc] = NULL;
		if (!argc)
			continue;
		if (!strcmp(argv[0], "exit") || !strcmp(argv[0], "poweroff"))
			return argc > 1 ? atoi(argv[1]) : 0;
		run(argv);
	}
}
