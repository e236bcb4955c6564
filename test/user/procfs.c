/* Boot test: /proc in Linux's formats. Checks properties that hold on any
 * Linux (also under qemu-riscv64 on a host, where /proc is the host's and
 * a few /proc/self files are QEMU's): fields that match system calls,
 * consistency between files, a second thread appearing, a zombie and then
 * a reaped child, and the layout tools parse (stat, maps, meminfo...).
 * Mounts /proc itself when it runs as init without it. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

static char buf[1 << 16];

/* Under qemu-riscv64, QEMU makes /proc/self/stat itself (few fields, no
 * state): the full line is checked on a child's /proc/<pid>/stat. */

/* The whole file into buf (NUL-terminated); bytes read or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -1 : n;
}

/* The number after "Key:" at the start of a line of text, or -1. */
static long field(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, k) == 0 && p[k] == ':')
			return strtol(p + k + 1, NULL, 10);
	return -1;
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

/* Split a stat line after "pid (comm)": fields 3.. into out, count returned. */
static int stat_fields(const char *text, int *pid, char *comm, size_t comm_len, char out[][32], int max)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	int n = 0;

	if (!open || !close || close < open)
		return -1;
	*pid = atoi(text);
	snprintf(comm, comm_len, "%.*s", (int)(close - open - 1), open + 1);
	for (const char *p = close + 1; *p && n < max;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		size_t len = strcspn(p, " \n");
		snprintf(out[n++], 32, "%.*s", (int)len, p);
		p += len;
	}
	return n;
}

static void test_stat(const char *argv0)
{
	char f[60][32], comm[64], want[16];
	int pid;
	int n = (slurp("/proc/self/stat") > 0) ? stat_fields(buf, &pid, comm, sizeof(comm), f, 60) : -1;
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

	snprintf(want, sizeof(want), "%s", base); /* comm keeps 15 bytes */
	CHECK(n >= 42 && pid == getpid(), "/proc/self/stat: pid field is getpid()");
	CHECK(n >= 42 && strcmp(comm, want) == 0, "/proc/self/stat: (comm) is the program's name");
	CHECK(n >= 42 && atoi(f[1]) == getppid(), "/proc/self/stat: ppid field is getppid()");

	/* A child's full line (the /proc/<pid>/stat of another process). */
	int pipefd[2];
	if (pipe(pipefd))
		return;
	pid_t c = fork();
	if (c == 0) {
		char x;
		close(pipefd[1]);
		read(pipefd[0], &x, 1); /* wait until the parent has looked */
		_exit(0);
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", c);
	n = slurp(path) > 0 ? stat_fields(buf, &pid, comm, sizeof(comm), f, 60) : -1;
	CHECK(n == 50, "/proc/<child>/stat has Linux's 52 fields");
	CHECK(n == 50 && pid == c && atoi(f[1]) == getpid(), "child's stat: pid and ppid");
	CHECK(n == 50 && strchr("RSD", f[0][0]) && f[0][1] == 0, "child's stat: a live state letter (R, S or D)");
	CHECK(n == 50 && atoi(f[2]) == getpgid(c) && atoi(f[3]) == getsid(c),
	      "child's stat: pgrp and session match getpgid/getsid");
	CHECK(n == 50 && atol(f[17]) >= 1 && atol(f[20]) > 0 && atol(f[21]) > 0,
	      "child's stat: num_threads, vsize (bytes) and rss (pages) are set");
	CHECK(n == 50 && atoi(f[35]) == SIGCHLD, "child's stat: exit_signal is SIGCHLD");
	close(pipefd[0]);
	close(pipefd[1]); /* the child's read returns 0: it exits */

	/* A zombie until reaped, then gone; its directory held open goes stale. */
	char dpath[32];
	snprintf(dpath, sizeof(dpath), "/proc/%d", c);
	int dirfd = open(dpath, O_RDONLY | O_DIRECTORY);
	int zombie = 0;
	for (int i = 0; i < 200 && !zombie; i++) {
		if (slurp(path) > 0 && stat_fields(buf, &pid, comm, sizeof(comm), f, 60) > 0 && f[0][0] == 'Z')
			zombie = 1;
		else
			sleep_ms(10);
	}
	CHECK(zombie, "an exited, unreaped child shows state Z");
	CHECK(waitpid(c, NULL, 0) == c, "reap the child");
	errno = 0;
	int fd = open(path, O_RDONLY);
	CHECK(fd < 0 && errno == ENOENT, "/proc/<reaped child>/stat: ENOENT");
	snprintf(path, sizeof(path), "/proc/%d", c);
	struct stat st;
	errno = 0;
	CHECK(stat(path, &st) < 0 && errno == ENOENT, "/proc/<reaped child>: ENOENT");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = openat(dirfd, "status", O_RDONLY);
	CHECK(dirfd >= 0 && fd < 0 && errno == ESRCH, "a held-open /proc/<reaped child>/: its files are ESRCH");
	char dents[1024];
	errno = 0;
	CHECK(dirfd >= 0 && syscall(SYS_getdents64, dirfd, dents, sizeof(dents)) < 0 && errno == ENOENT,
	      "a held-open /proc/<reaped child>/: getdents is ENOENT");
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
}

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static volatile long thread_tid;

static void *parked(void *arg)
{
	(void)arg;
	thread_tid = syscall(SYS_gettid);
	pthread_mutex_lock(&gate); /* until main lets go */
	pthread_mutex_unlock(&gate);
	return NULL;
}

static int dir_has(const char *dir, const char *name, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	*count = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.')
			(*count)++;
		if (strcmp(e->d_name, name) == 0)
			found = 1;
	}
	closedir(d);
	return found;
}

static void test_status_threads(void)
{
	char comm[64] = "", name[32], path[96];
	long threads0;
	int count;

	slurp("/proc/self/comm");
	snprintf(comm, sizeof(comm), "%.63s", buf);
	comm[strcspn(comm, "\n")] = 0;
	CHECK(slurp("/proc/self/status") > 0, "read /proc/self/status");
	char *nl = strstr(buf, "Name:\t");
	CHECK(nl && strncmp(nl + 6, comm, strlen(comm)) == 0 && nl[6 + strlen(comm)] == '\n',
	      "status Name: is /proc/self/comm");
	CHECK(field(buf, "Pid") == getpid() && field(buf, "Tgid") == getpid() && field(buf, "PPid") == getppid(),
	      "status Pid/Tgid/PPid match getpid/getppid");
	CHECK(strstr(buf, "\nState:\t") && strstr(buf, "\nUid:\t") && strstr(buf, "\nVmRSS:") &&
		      strstr(buf, "\nvoluntary_ctxt_switches:") && strstr(buf, "\nCpus_allowed_list:"),
	      "status has State, Uid, VmRSS, context switches and Cpus_allowed_list");
	threads0 = field(buf, "Threads");

	pthread_t t;
	pthread_mutex_lock(&gate);
	if (pthread_create(&t, NULL, parked, NULL) != 0) {
		pthread_mutex_unlock(&gate);
		return;
	}
	while (!thread_tid)
		sleep_ms(1);
	slurp("/proc/self/status");
	CHECK(threads0 >= 1 && field(buf, "Threads") == threads0 + 1, "status Threads: one more with a second thread");
	snprintf(name, sizeof(name), "%ld", thread_tid);
	CHECK(dir_has("/proc/self/task", name, &count) && count == threads0 + 1,
	      "/proc/self/task lists the new thread");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/status", thread_tid);
	CHECK(slurp(path) > 0 && field(buf, "Pid") == thread_tid && field(buf, "Tgid") == getpid(),
	      "task/<tid>/status: Pid is the thread id, Tgid the process");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", thread_tid);
	CHECK(slurp(path) > 0 && atol(buf) == thread_tid, "task/<tid>/stat starts with the thread id");
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), getpid());
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "task/<pid> of the main thread is a directory");
	char link[64], want[64];
	ssize_t n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof(want), "%d/task/%ld", getpid(), (long)syscall(SYS_gettid));
	CHECK(strcmp(link, want) == 0, "readlink /proc/thread-self is <pid>/task/<tid>");
	pthread_mutex_unlock(&gate);
	pthread_join(t, NULL);
}

static void test_cmdline_maps(int argc, char **argv)
{
	long n = slurp("/proc/self/cmdline");
	long want = 0;
	int same = 1;

	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;
		if (want + (long)len > n || memcmp(buf + want, argv[i], len) != 0)
			same = 0;
		want += (long)len;
	}
	CHECK(same && n == want, "/proc/self/cmdline is argv, NUL-separated");

	char exe[512];
	ssize_t el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[el > 0 ? el : 0] = 0;
	CHECK(el > 0 && exe[0] == '/', "readlink /proc/self/exe gives an absolute path");
	CHECK(slurp("/proc/self/maps") > 0, "read /proc/self/maps");
	int text = 0, stack = 0, lines = 0, format = 1;
	unsigned long here = (unsigned long)&n;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long lo, hi, off, ino;
		unsigned int maj, min;
		char perms[8];
		int name_at = 0;
		lines++;
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &lo, &hi, perms, &off, &maj, &min, &ino,
			   &name_at) < 7 || lo >= hi || strlen(perms) != 4) {
			format = 0;
			continue;
		}
		const char *name = name_at ? line + name_at : "";
		if (perms[2] == 'x' && strcmp(name, exe) == 0)
			text = 1;
		if (strcmp(name, "[stack]") == 0 && lo <= here && here < hi)
			stack = 1;
	}
	CHECK(lines > 3 && format, "maps lines parse as start-end perms offset dev inode [name]");
	CHECK(text, "maps has an executable mapping of the program file");
	CHECK(stack, "maps has [stack] around a local variable");

	/* fd/: a pipe is "pipe:[ino]", a file its path. */
	int p[2], fd = open(exe, O_RDONLY);
	char path[64], link[600];
	if (pipe(p) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
		ssize_t l = readlink(path, link, sizeof(link) - 1);
		link[l > 0 ? l : 0] = 0;
		CHECK(strncmp(link, "pipe:[", 6) == 0, "readlink fd/<pipe> is pipe:[ino]");
		close(p[0]);
		close(p[1]);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t l = readlink(path, link, sizeof(link) - 1);
	link[l > 0 ? l : 0] = 0;
	CHECK(fd >= 0 && strcmp(link, exe) == 0, "readlink fd/<file> is the file's path");
	int count;
	snprintf(path, sizeof(path), "%d", fd);
	CHECK(dir_has("/proc/self/fd", path, &count) && count >= 4, "/proc/self/fd lists the open descriptors");
	close(fd);
}

static void test_global(void)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF), procs = 0, mmus = 0, isa = 0;

	CHECK(slurp("/proc/cpuinfo") > 0, "read /proc/cpuinfo");
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		procs += strncmp(line, "processor", 9) == 0;
		mmus += strncmp(line, "mmu", 3) == 0 && strchr(line, ':');
		isa += strncmp(line, "isa", 3) == 0 && strchr(line, ':');
	}
	CHECK(procs == conf, "cpuinfo: one processor block per sysconf(_SC_NPROCESSORS_CONF)");
	CHECK(!isa || (isa == procs && mmus == procs), "cpuinfo (RISC-V layout): isa and mmu lines per hart");

	CHECK(slurp("/proc/meminfo") > 0 && field(buf, "MemTotal") > 0 && field(buf, "MemFree") > 0 &&
		      field(buf, "MemFree") <= field(buf, "MemTotal") && strstr(buf, " kB\n"),
	      "meminfo: MemTotal and MemFree parse, free <= total, in kB");

	double up1 = -1, up2 = -1, idle = -1;
	if (slurp("/proc/uptime") > 0)
		sscanf(buf, "%lf %lf", &up1, &idle);
	sleep_ms(120);
	if (slurp("/proc/uptime") > 0)
		sscanf(buf, "%lf", &up2);
	CHECK(up1 > 0 && idle >= 0 && up2 >= up1 + 0.05, "uptime parses and increases");

	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), cpus = 0;
	unsigned long long u, ni, sy, id;
	int cpu_ok = slurp("/proc/stat") > 0 && sscanf(buf, "cpu %llu %llu %llu %llu", &u, &ni, &sy, &id) == 4 &&
		     strncmp(buf, "cpu  ", 5) == 0;
	for (char *p = buf; (p = strstr(p, "\ncpu")); p++)
		cpus += isdigit((unsigned char)p[4]) != 0;
	CHECK(cpu_ok, "/proc/stat: a \"cpu  \" line with user nice system idle");
	CHECK(cpus == ncpu, "/proc/stat: one cpuN line per online cpu");
	CHECK(strstr(buf, "\nctxt ") && strstr(buf, "\nbtime ") && strstr(buf, "\nprocesses ") &&
		      strstr(buf, "\nprocs_running ") && strstr(buf, "\nprocs_blocked "),
	      "/proc/stat: ctxt, btime, processes, procs_running, procs_blocked");

	double l1, l5, l15;
	int run = 0, total = 0, last = 0;
	CHECK(slurp("/proc/loadavg") > 0 && sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &total, &last) == 6 &&
		      run >= 1 && total >= run && l1 >= 0,
	      "loadavg: three averages, running/total (we run), last pid");
	CHECK(slurp("/proc/version") > 0 && strncmp(buf, "Linux version ", 14) == 0, "version starts \"Linux version \"");
	CHECK(slurp("/proc/filesystems") > 0 && strstr(buf, "\tproc\n"), "filesystems lists proc");
	CHECK(slurp("/proc/mounts") > 0 && strstr(buf, " /proc proc "), "mounts shows proc on /proc");

	unsigned long sz, res, sh, txt, lib, dat, dt;
	CHECK(slurp("/proc/self/statm") > 0 &&
		      sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &sz, &res, &sh, &txt, &lib, &dat, &dt) == 7 &&
		      sz >= res && res > 0,
	      "statm: seven page counts, size >= resident > 0");

	char name[16], link[32];
	int count;
	snprintf(name, sizeof(name), "%d", getpid());
	CHECK(dir_has("/proc", name, &count) && dir_has("/proc", "self", &count), "getdents on /proc lists our pid and self");
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK(atoi(link) == getpid(), "readlink /proc/self is getpid()");
	errno = 0;
	CHECK(open("/proc/no-such-file", O_RDONLY) < 0 && errno == ENOENT, "a missing /proc name is ENOENT");
}

int main(int argc, char **argv)
{
	KTAP_START("procfs");
	if (access("/proc/self", F_OK) != 0) {
		mkdir("/proc", 0555);
		CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0, "mount proc on /proc");
	}
	test_stat(argv[0]);
	test_status_threads();
	test_cmdline_maps(argc, argv);
	test_global();
	return ktap_done();
}
