/* Process credentials: the set*id rules, supplementary groups, file
 * permission checks with the fs ids, chmod/chown/utimes rules, sticky
 * directories, kill permission, inheritance across fork, threads and exec,
 * and set-user-ID executables. Runs as root; each check that gives up
 * root does so in a child. Passes on Linux (qemu-riscv64 as root). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/ktap.h"

static char dir[64], secret[96];

/* Run fn in a child, whose checks continue our numbering; it sends back
 * how many it made and how many failed. */
static void in_child(void (*fn)(void))
{
	int p[2], counts[2] = { 0, 0 };

	if (pipe(p))
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int n0 = ktap_n, f0 = ktap_failed;
		close(p[0]);
		fn();
		fflush(stdout);
		counts[0] = ktap_n - n0;
		counts[1] = ktap_failed - f0;
		_exit(write(p[1], counts, sizeof(counts)) == sizeof(counts) ? 0 : 1);
	}
	close(p[1]);
	ssize_t k = read(p[0], counts, sizeof(counts));
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	if (k == sizeof(counts)) {
		ktap_n += counts[0];
		ktap_failed += counts[1];
	}
	if (k != sizeof(counts) || !WIFEXITED(st) || WEXITSTATUS(st))
		printf("# child: read %zd bytes of counts, wait status %#x\n", k, st);
	CHECK(k == sizeof(counts) && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child ran to its end");
}

static bool ids(uid_t r, uid_t e, uid_t s)
{
	uid_t a, b, c;
	return getresuid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

static bool gids(gid_t r, gid_t e, gid_t s)
{
	gid_t a, b, c;
	return getresgid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

static void drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		perror("drop_to");
		_exit(99);
	}
}

/* ---- the setuid family ---- */
static void uid_rules(void)
{
	CHECK(setresuid(1000, 2000, 0) == 0 && ids(1000, 2000, 0), "root: setresuid(1000, 2000, 0)");
	CHECK(geteuid() == 2000 && getuid() == 1000, "geteuid 2000, getuid 1000");
	CHECK(setuid(3000) == -1 && errno == EPERM, "unprivileged setuid to a foreign uid: EPERM");
	CHECK(setresuid(-1, 0, -1) == 0 && ids(1000, 0, 0), "seteuid back to the saved uid 0");
	CHECK(setreuid(-1, 1000) == 0 && ids(1000, 1000, 0), "setreuid(-1, ruid) keeps the saved uid");
	CHECK(setreuid(-1, 0) == 0 && ids(1000, 0, 0), "setreuid(-1, saved) is allowed");
	CHECK(setreuid(-1, 2000) == 0 && ids(1000, 2000, 2000), "setreuid(-1, other) saves the new euid");
	CHECK(setresuid(-1, 0, -1) == -1 && errno == EPERM, "root is gone from all three: EPERM");
	CHECK(setuid(1000) == 0 && ids(1000, 1000, 2000), "unprivileged setuid(ruid) sets euid only");
	CHECK(setreuid(3000, -1) == -1 && errno == EPERM, "setreuid to a foreign real uid: EPERM");
	CHECK(setresuid(2000, 1000, 1000) == 0 && ids(2000, 1000, 1000), "setresuid permutes own ids");
	CHECK(setfsuid(2000) == 1000 && setfsuid(-1) == 2000, "setfsuid returns the old fsuid");
	CHECK(setfsuid(5000) == 2000 && setfsuid(-1) == 2000, "setfsuid to a foreign uid: no change");
	CHECK(setuid(-1) == -1 && errno == EINVAL, "setuid(-1): EINVAL");
	CHECK(setgroups(0, NULL) == -1 && errno == EPERM, "unprivileged setgroups: EPERM");
}

static void gid_rules(void)
{
	CHECK(setresgid(100, 200, 300) == 0 && gids(100, 200, 300), "root: setresgid(100, 200, 300)");
	CHECK(getgid() == 100 && getegid() == 200, "getgid 100, getegid 200");
	CHECK(setresuid(1000, 1000, 1000) == 0, "drop root");
	CHECK(setgid(300) == 0 && gids(100, 300, 300), "unprivileged setgid to the saved gid");
	CHECK(setgid(400) == -1 && errno == EPERM, "unprivileged setgid to a foreign gid: EPERM");
	CHECK(setregid(-1, 100) == 0 && gids(100, 100, 300), "setregid(-1, rgid)");
	CHECK(setregid(300, -1) == -1 && errno == EPERM, "setregid real to the saved gid: EPERM");
	CHECK(setresgid(300, -1, 100) == 0 && gids(300, 100, 100), "setresgid among own gids");
	CHECK(setfsgid(300) == 100 && setfsgid(-1) == 300, "setfsgid returns the old fsgid");
}

/* ---- supplementary groups ---- */
static void groups(void)
{
	gid_t set[3] = { 30, 10, 20 }, got[8];
	char buf[4096];

	CHECK(setgroups(3, set) == 0, "root: setgroups(3)");
	CHECK(getgroups(0, NULL) == 3, "getgroups(0) counts them");
	CHECK(getgroups(1, got) == -1 && errno == EINVAL, "getgroups with a small buffer: EINVAL");
	CHECK(getgroups(8, got) == 3 && got[0] == 10 && got[1] == 20 && got[2] == 30,
	      "getgroups returns them sorted");
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	CHECK(strstr(buf, "\nGroups:\t10 20 30 \n") != NULL, "/proc/self/status lists the groups");
	CHECK(setresgid(1000, 1000, 1000) == 0 && setresuid(1000, 1000, 1000) == 0, "drop root");
	char p[128];
	snprintf(p, sizeof(p), "%s/grp20", dir);
	fd = open(p, O_RDONLY);
	CHECK(fd >= 0, "a 0040 file of group 20 is readable through a supplementary group");
	close(fd);
	snprintf(p, sizeof(p), "%s/grp50", dir);
	CHECK(open(p, O_RDONLY) == -1 && errno == EACCES, "a 0040 file of group 50 is not");
	fd = open("/proc/self/status", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	CHECK(strstr(buf, "\nUid:\t1000\t1000\t1000\t1000\n") && strstr(buf, "\nGid:\t1000\t1000\t1000\t1000\n"),
	      "/proc/self/status shows the new ids");
}

/* ---- file permissions ---- */
static void files_as_user(void)
{
	char p[128];

	drop_to(1000, 1000);
	CHECK(open(secret, O_RDONLY) == -1 && errno == EACCES, "uid 1000 cannot open a 0600 root file");
	CHECK(access(secret, R_OK) == -1 && errno == EACCES, "access(R_OK) says so too");
	CHECK(access(dir, R_OK | X_OK) == 0, "a 0755 directory is readable and searchable");
	snprintf(p, sizeof(p), "%s/new", dir);
	CHECK(open(p, O_CREAT | O_WRONLY, 0644) == -1 && errno == EACCES,
	      "no file created in root's 0755 directory");
	CHECK(mkdir(p, 0755) == -1 && errno == EACCES, "no directory either");
	CHECK(chmod(secret, 0644) == -1 && errno == EPERM, "chmod of another's file: EPERM");
	CHECK(chown(secret, 1000, 1000) == -1 && errno == EPERM, "chown to oneself: EPERM");
	snprintf(p, sizeof(p), "%s/mine", dir);
	CHECK(chmod(p, 0600) == 0, "the owner may chmod");
	CHECK(chown(p, 1000, -1) == 0 && chown(p, -1, 1000) == 0, "no-op chown and chgrp to own group");
	CHECK(chown(p, 2000, -1) == -1 && errno == EPERM, "giving a file away: EPERM");
	CHECK(chown(p, -1, 50) == -1 && errno == EPERM, "chgrp to a foreign group: EPERM");
	snprintf(p, sizeof(p), "%s/gid50", dir);
	struct stat st;
	CHECK(chmod(p, 02755) == 0 && stat(p, &st) == 0 && (st.st_mode & 07777) == 0755,
	      "chmod g+s outside the file's group clears S_ISGID");
	struct timespec t[2] = { { 1000, 0 }, { 2000, 0 } };
	snprintf(p, sizeof(p), "%s/world", dir);
	CHECK(utimensat(AT_FDCWD, p, NULL, 0) == 0, "a writer may set the times to now");
	CHECK(utimensat(AT_FDCWD, p, t, 0) == -1 && errno == EPERM, "explicit times: owner only");
	CHECK(utimensat(AT_FDCWD, secret, NULL, 0) == -1 && errno == EACCES,
	      "times to now without write access: EACCES");
	snprintf(p, sizeof(p), "%s/mine", dir);
	CHECK(utimensat(AT_FDCWD, p, t, 0) == 0 && stat(p, &st) == 0 && st.st_mtime == 2000,
	      "the owner sets explicit times");
}

/* What only root may do, and a write that takes S_ISUID away. */
static void privileged_calls(void)
{
	struct rlimit rl;
	struct timespec now;
	struct stat st;
	char p[128];

	drop_to(1000, 1000);
	CHECK(sethostname("x", 1) == -1 && errno == EPERM, "sethostname: EPERM");
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(clock_settime(CLOCK_REALTIME, &now) == -1 && errno == EPERM, "clock_settime: EPERM");
	CHECK(chroot("/") == -1 && errno == EPERM, "chroot: EPERM");
	CHECK(mount("none", dir, "tmpfs", 0, NULL) == -1 && errno == EPERM, "mount: EPERM");
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_cur;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "lowering a hard limit is allowed");
	rl.rlim_max++;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM, "raising it again: EPERM");
	CHECK(prlimit(1, RLIMIT_NOFILE, NULL, &rl) == -1 && errno == EPERM,
	      "another user's process's limits: EPERM");
	snprintf(p, sizeof(p), "%s/setuid", dir);
	int fd = open(p, O_WRONLY);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0755,
	      "a write by the owner clears S_ISUID");
	close(fd);
}

/* fsuid: root acting as 1000 on files loses its override. */
static void fsuid_switch(void)
{
	int fd;

	CHECK(setfsuid(1000) == 0, "root: setfsuid(1000) returns 0");
	CHECK(open(secret, O_RDONLY) == -1 && errno == EACCES, "fsuid 1000 cannot open the 0600 file");
	CHECK(getuid() == 0 && geteuid() == 0, "uid and euid are still 0");
	CHECK(setfsuid(0) == 1000, "setfsuid(0) returns 1000");
	fd = open(secret, O_RDONLY);
	CHECK(fd >= 0, "fsuid 0 opens it again");
	close(fd);
	/* access() checks the real ids: uid 0 can even with euid 1000. */
	CHECK(setresuid(-1, 1000, -1) == 0, "seteuid(1000)");
	CHECK(open(secret, O_RDONLY) == -1 && errno == EACCES, "euid 1000 cannot open it");
	CHECK(access(secret, R_OK) == 0, "access() uses the real uid 0");
	CHECK(faccessat(AT_FDCWD, secret, R_OK, AT_EACCESS) == -1 && errno == EACCES,
	      "faccessat(AT_EACCESS) uses the effective uid");
}

/* ---- sticky directories and new files' owners ---- */
static void sticky_and_owner(void)
{
	char p[128], q[128];
	struct stat st;

	drop_to(1000, 1000);
	snprintf(p, sizeof(p), "%s/sticky/rootfile", dir);
	snprintf(q, sizeof(q), "%s/sticky/moved", dir);
	CHECK(unlink(p) == -1 && errno == EPERM, "sticky: no unlink of another's file");
	CHECK(rename(p, q) == -1 && errno == EPERM, "sticky: no rename of it either");
	snprintf(p, sizeof(p), "%s/sticky/mine", dir);
	int fd = open(p, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000,
	      "a new file belongs to the fsuid and fsgid");
	close(fd);
	CHECK(rename(p, q) == 0 && unlink(q) == 0, "sticky: one's own file may go");
	snprintf(p, sizeof(p), "%s/open/rootfile", dir);
	CHECK(unlink(p) == 0, "not sticky: anyone with write access may unlink");
	snprintf(p, sizeof(p), "%s/sgid/f", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_gid == 77, "in a set-group-ID dir: its group");
	close(fd);
	snprintf(p, sizeof(p), "%s/sgid/d", dir);
	CHECK(mkdir(p, 0755) == 0 && stat(p, &st) == 0 && st.st_gid == 77 && (st.st_mode & S_ISGID),
	      "a subdirectory inherits the group and S_ISGID");
}

/* ---- kill permission ---- */
static void kill_rules(void)
{
	int to_target[2], to_killer[2];
	char c;

	if (pipe(to_target) || pipe(to_killer))
		return;
	pid_t target = fork();
	if (target == 0) {
		read(to_target[0], &c, 1);
		setresuid(1000, 0, 0); /* the real uid lets uid 1000 signal us */
		write(to_killer[1], "x", 1);
		pause();
		_exit(0);
	}
	drop_to(1000, 1000);
	CHECK(kill(target, 0) == -1 && errno == EPERM, "uid 1000 cannot signal a root process");
	CHECK(kill(target, SIGTERM) == -1 && errno == EPERM, "not even SIGTERM");
	CHECK(kill(target, SIGCONT) == 0, "SIGCONT within the session is allowed");
	CHECK(sigqueue(target, SIGUSR1, (union sigval){ 0 }) == -1 && errno == EPERM,
	      "sigqueue is checked the same way");
	write(to_target[1], "x", 1);
	read(to_killer[0], &c, 1);
	CHECK(kill(target, 0) == 0, "after the target took uid 1000 as real uid: allowed");
	CHECK(kill(target, SIGKILL) == 0, "and SIGKILL goes through");
	int st;
	CHECK(waitpid(target, &st, 0) == target && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the target died of it");
}

/* ---- threads ---- */
static volatile int thread_step;
static uid_t thread_seen[2];

static void *thread_fn(void *arg)
{
	(void)arg;
	uid_t r, e, s;

	/* The raw call changes this thread alone (Linux: per-thread creds). */
	syscall(SYS_setresuid, -1, -1, 5000);
	getresuid(&r, &e, &s);
	thread_seen[0] = s;
	thread_step = 1;
	while (thread_step != 2)
		usleep(1000);
	thread_seen[1] = getuid();
	return NULL;
}

static void thread_creds(void)
{
	pthread_t th;

	pthread_create(&th, NULL, thread_fn, NULL);
	while (thread_step != 1)
		usleep(1000);
	CHECK(thread_seen[0] == 5000 && ids(0, 0, 0), "a raw setresuid changes one thread only");
	/* glibc's setuid() makes every thread do it (SIGSETXID). */
	CHECK(setresuid(1000, 1000, 1000) == 0 && getuid() == 1000, "glibc setresuid in the main thread");
	thread_step = 2;
	pthread_join(th, NULL);
	CHECK(thread_seen[1] == 1000, "the other thread has the new uid too");
}

/* ---- fork and exec ---- */
static int report_ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("%u %u %u %u %u %u %lu\n", r, e, s, gr, ge, gs, getauxval(AT_SECURE));
	return 0;
}

/* Run path "report" with the given ids; its line, or "" */
static void exec_report(const char *path, uid_t uid, char *out, size_t n)
{
	int p[2];

	out[0] = 0;
	if (pipe(p))
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		drop_to(uid, uid);
		execl(path, path, "report", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	ssize_t k = read(p[0], out, n - 1);
	out[k > 0 ? k : 0] = 0;
	close(p[0]);
	waitpid(pid, NULL, 0);
}

static void fork_inherit(void)
{
	drop_to(1000, 1000);
	pid_t pid = fork();
	if (pid == 0)
		_exit(getuid() == 1000 && geteuid() == 1000 && getgid() == 1000 ? 0 : 1);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED) == 0 && si.si_code == CLD_EXITED && si.si_status == 0,
	      "a forked child has its parent's ids");
	CHECK(si.si_uid == 1000, "waitid reports the child's uid");
}

static bool copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	ssize_t n;
	bool ok = in >= 0 && out >= 0;

	while (ok && (n = read(in, buf, sizeof(buf))) > 0)
		ok = write(out, buf, n) == n;
	close(in);
	close(out);
	return ok;
}

static void exec_checks(const char *self)
{
	char line[128], suid[128];

	exec_report(self, 1000, line, sizeof(line));
	CHECK(strcmp(line, "1000 1000 1000 1000 1000 1000 0\n") == 0, "ids survive exec, AT_SECURE 0");
	snprintf(suid, sizeof(suid), "%s/suid", dir);
	CHECK(copy_file(self, suid) && chown(suid, 1000, 1000) == 0 && chmod(suid, 06755) == 0,
	      "a set-user-ID, set-group-ID copy owned by 1000");
	exec_report(suid, 2000, line, sizeof(line));
	CHECK(strcmp(line, "2000 1000 1000 2000 1000 1000 1\n") == 0,
	      "exec of it: euid/egid and saved ids 1000, AT_SECURE 1");
	CHECK(chmod(suid, 0711) == 0, "without the set-id bits, execute-only");
	exec_report(suid, 2000, line, sizeof(line));
	CHECK(strcmp(line, "2000 2000 2000 2000 2000 2000 0\n") == 0,
	      "exec needs no read permission and keeps the caller's ids");
	CHECK(chmod(suid, 0744) == 0, "no execute bit for others");
	exec_report(suid, 2000, line, sizeof(line));
	CHECK(line[0] == 0, "then uid 2000 cannot exec it");
}

/* The files the checks use, made by root: name, mode (S_IFDIR for a
 * directory), owner and group. */
static const struct { const char *name; mode_t mode; uid_t uid; gid_t gid; } files[] = {
	{ "secret", 0600, 0, 0 },          { "grp20", 0040, 0, 20 },
	{ "grp50", 0040, 0, 50 },          { "mine", 0644, 1000, 1000 },
	{ "gid50", 0755, 1000, 50 },       { "world", 0666, 0, 0 },
	{ "sticky", S_IFDIR | 01777, 0, 0 }, { "sticky/rootfile", 0666, 0, 0 },
	{ "open", S_IFDIR | 0777, 0, 0 },  { "open/rootfile", 0644, 0, 0 },
	{ "sgid", S_IFDIR | 02777, 0, 77 },  { "setuid", 04755, 1000, 1000 },
};

static void setup(void)
{
	char p[128];

	umask(0);
	snprintf(dir, sizeof(dir), "/tmp/credtest.%d", getpid());
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	mkdir(dir, 0755);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i].name);
		if (S_ISDIR(files[i].mode))
			mkdir(p, 0700);
		else
			close(open(p, O_CREAT | O_WRONLY, 0600));
		/* chown first: it clears set-id bits that chmod then sets. */
		if (chown(p, files[i].uid, files[i].gid) || chmod(p, files[i].mode & 07777))
			perror(p);
	}
}

static void cleanup(void)
{
	char cmd[128];

	/* Test files only: a fixed pattern under /tmp. */
	static const char *names[] = { "secret", "grp20", "grp50", "mine", "gid50", "world", "suid",
				       "sticky/rootfile", "sticky", "open", "sgid/f", "sgid/d", "sgid",
				       "setuid" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/%s", dir, names[i]);
		if (unlink(cmd))
			rmdir(cmd);
	}
	rmdir(dir);
}

int main(int argc, char **argv)
{
	struct utsname u;

	if (argc > 1 && !strcmp(argv[1], "report"))
		return report_ids();
	KTAP_START("cred");
	setup();
	CHECK(ids(0, 0, 0) && gids(0, 0, 0), "we start as root: getresuid/getresgid all 0");
	in_child(uid_rules);
	in_child(gid_rules);
	in_child(groups);
	in_child(files_as_user);
	in_child(fsuid_switch);
	in_child(privileged_calls);
	in_child(sticky_and_owner);
	in_child(kill_rules);
	in_child(thread_creds);
	in_child(fork_inherit);
	CHECK(ids(0, 0, 0), "the parent is still root");
	/* qemu-user cannot execve a riscv64 program (no binfmt_misc here), so
	 * the exec checks run on Vireo only: its uname release says so. */
	if (uname(&u) == 0 && strstr(u.release, "vireo"))
		exec_checks(argv[0][0] == '/' ? argv[0] : "/test/cred");
	else
		printf("# exec checks skipped: not on Vireo\n");
	cleanup();
	return ktap_done();
}
