/* Boot test: runs the boot-test programs one after another, twice, and
 * checks that the second round ends with as much free memory (MemFree +
 * Slab in /proc/meminfo) as it started with: no frame leaks across whole
 * processes. The first round fills the page cache with the programs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/meminfo.h"

static const char *progs[] = { "syscalls", "mm", "fork", "threads", "futex", "signals", "hello_dyn",
				"threads_dyn", "pipe", "procfs", "libshare_dyn", "fs", "vdso", "locks", "unix_socket",
				"unix_msg", "inotify" };
#define NPROGS (sizeof(progs) / sizeof(progs[0]))


/* Run every program; the number that failed. Their output goes to /dev
 * of nothing: the console, prefixed by the test framework's own lines. */
static int round_of_tests(void)
{
	int failed = 0;

	for (unsigned i = 0; i < NPROGS; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/test/%s", progs[i]);
		pid_t pid = fork();
		if (pid == 0) {
			char *argv[] = { path, NULL }; /* argv[0] the path, as a shell gives it */
			execv(path, argv);
			_exit(127);
		}
		int st, other;
		waitpid(pid, &st, 0);
		while (waitpid(-1, &other, WNOHANG) > 0) /* as init: reap orphans */
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("# runall: %s failed (status %#x)\n", progs[i], st);
			failed++;
		}
	}
	return failed;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int failed = round_of_tests();
	memfree_slab_kb();
	long before = memfree_slab_settled_kb();
	failed += round_of_tests();
	long after = memfree_slab_settled_kb();
	printf("# runall leak-check: MemFree+Slab before %ld kB after %ld kB\n", before, after);
	printf("%s runall: the whole suite twice, no frame leaks\n",
	       !failed && before == after ? "ok 1" : "not ok 1");
	return failed || before != after;
}
