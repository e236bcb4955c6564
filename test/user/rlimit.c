/* Resource limits: getrlimit/setrlimit (the system calls themselves:
 * glibc uses prlimit64) and prlimit64, their rules (soft <= hard, EINVAL,
 * EFAULT, EPERM), inheritance by fork, and enforcement: RLIMIT_NOFILE
 * (EMFILE), RLIMIT_FSIZE (SIGXFSZ and EFBIG), RLIMIT_AS and RLIMIT_DATA
 * (ENOMEM). Each enforcement check runs in a child, so limits do not leak. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/ktap.h"

static int sys_getrlimit(int res, struct rlimit *r) { return (int)syscall(SYS_getrlimit, res, r); }
static int sys_setrlimit(int res, const struct rlimit *r) { return (int)syscall(SYS_setrlimit, res, r); }

/* Run fn in a child; its exit status is the number of failures seen. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	int st = -1;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

/* A limit set but not applied (qemu-user keeps AS/DATA/STACK for itself). */
static int limit_applied(int res, rlim_t want)
{
	struct rlimit r;
	return sys_getrlimit(res, &r) == 0 && r.rlim_cur == want;
}

static void skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ktap_n, name, why);
}

static void test_rules(void)
{
	struct rlimit r, r2;

	CHECK(sys_getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur <= r.rlim_max && r.rlim_cur >= 3,
	      "getrlimit(RLIMIT_NOFILE)");
	CHECK(prlimit(0, RLIMIT_NOFILE, NULL, &r2) == 0 && r2.rlim_cur == r.rlim_cur &&
		      r2.rlim_max == r.rlim_max,
	      "prlimit64 reads the same");
	CHECK(sys_getrlimit(99, &r2) == -1 && errno == EINVAL, "getrlimit of an unknown resource: EINVAL");
	CHECK(sys_setrlimit(99, &r) == -1 && errno == EINVAL, "setrlimit of an unknown resource: EINVAL");
	CHECK(sys_getrlimit(RLIMIT_NOFILE, (struct rlimit *)8) == -1 && errno == EFAULT, "getrlimit bad pointer: EFAULT");
	CHECK(sys_setrlimit(RLIMIT_NOFILE, (struct rlimit *)8) == -1 && errno == EFAULT, "setrlimit bad pointer: EFAULT");
	r2.rlim_cur = r.rlim_max + 1;
	r2.rlim_max = r.rlim_max;
	CHECK(sys_setrlimit(RLIMIT_NOFILE, &r2) == -1 && errno == EINVAL, "soft above hard: EINVAL");
	r2.rlim_cur = r2.rlim_max = 1 << 30;
	CHECK(sys_setrlimit(RLIMIT_NOFILE, &r2) == -1 && errno == EPERM, "RLIMIT_NOFILE above nr_open: EPERM");
	r2.rlim_cur = 0;
	r2.rlim_max = RLIM_INFINITY;
	CHECK(sys_setrlimit(RLIMIT_CORE, &r2) == 0 && sys_getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0 &&
		      r.rlim_max == RLIM_INFINITY,
	      "setrlimit(RLIMIT_CORE) is stored");
}

static int child_hard_limit(void)
{
	struct rlimit r = { 100, 200 }, got;
	int bad = 0;

	bad += sys_setrlimit(RLIMIT_NOFILE, &r) != 0;
	bad += sys_getrlimit(RLIMIT_NOFILE, &got) != 0 || got.rlim_cur != 100 || got.rlim_max != 200;
	r.rlim_max = 300;
	r.rlim_cur = 300;
	/* Raising the hard limit needs CAP_SYS_RESOURCE (a container's root
	 * may lack it): either it is raised or EPERM leaves it alone. */
	int ret = sys_setrlimit(RLIMIT_NOFILE, &r), err = errno;
	sys_getrlimit(RLIMIT_NOFILE, &got);
	bad += ret == 0 ? got.rlim_max != 300 : !(err == EPERM && got.rlim_max == 200);
	/* A grandchild inherits the limits. */
	r = (struct rlimit){ 50, 60 };
	sys_setrlimit(RLIMIT_NOFILE, &r);
	pid_t pid = fork();
	if (pid == 0)
		_exit(sys_getrlimit(RLIMIT_NOFILE, &got) == 0 && got.rlim_cur == 50 && got.rlim_max == 60 ? 0 : 1);
	int st = -1;
	waitpid(pid, &st, 0);
	bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return bad;
}

static int child_nofile(void)
{
	struct rlimit r = { 8, 8 };
	int bad = 0, fd, last = -1;

	bad += sys_setrlimit(RLIMIT_NOFILE, &r) != 0;
	while ((fd = open("/", O_RDONLY)) >= 0)
		last = fd;
	bad += errno != EMFILE;
	bad += last != 7;
	bad += !(dup(0) == -1 && errno == EMFILE);
	bad += !(fcntl(0, F_DUPFD, 8) == -1 && errno == EINVAL);
	return bad;
}

static volatile int got_xfsz;
static void on_xfsz(int s)
{
	(void)s;
	got_xfsz++;
}

static int child_fsize(void)
{
	char path[] = "/tmp/rlimitXXXXXX", buf[1500] = { 0 };
	struct rlimit r = { 1000, RLIM_INFINITY };
	int bad = 0;

	signal(SIGXFSZ, on_xfsz);
	int fd = mkstemp(path);
	if (fd < 0)
		return 50;
	unlink(path);
	bad += sys_setrlimit(RLIMIT_FSIZE, &r) != 0;
	bad += write(fd, buf, sizeof(buf)) != 1000;  /* cut short at the limit */
	bad += got_xfsz != 0;
	bad += !(write(fd, buf, 10) == -1 && errno == EFBIG);
	bad += got_xfsz != 1;
	bad += !(ftruncate(fd, 5000) == -1 && errno == EFBIG);
	bad += ftruncate(fd, 500) != 0;
	bad += pwrite(fd, buf, 100, 200) != 100; /* below the limit: fine */
	return bad;
}

static int child_as(void)
{
	struct rlimit r;
	int bad = 0;

	sys_getrlimit(RLIMIT_AS, &r);
	r.rlim_cur = 256UL << 20;
	sys_setrlimit(RLIMIT_AS, &r);
	if (!limit_applied(RLIMIT_AS, r.rlim_cur))
		return 99;
	void *p = mmap(NULL, 512UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad += !(p == MAP_FAILED && errno == ENOMEM);
	p = mmap(NULL, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad += p == MAP_FAILED;
	return bad;
}

static int child_data(void)
{
	struct rlimit r;
	int bad = 0;

	sys_getrlimit(RLIMIT_DATA, &r);
	r.rlim_cur = 64UL << 20;
	sys_setrlimit(RLIMIT_DATA, &r);
	if (!limit_applied(RLIMIT_DATA, r.rlim_cur))
		return 99;
	bad += sbrk(128L << 20) != (void *)-1 || errno != ENOMEM;
	bad += sbrk(4096) == (void *)-1;
	void *p = mmap(NULL, 128UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad += !(p == MAP_FAILED && errno == ENOMEM); /* private writable: data */
	p = mmap(NULL, 128UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bad += p == MAP_FAILED; /* read-only: not data */
	return bad;
}

#define NOBODY 54321 /* a uid nothing else runs as */

/* As a user without capabilities: RLIMIT_NPROC counts our tasks, a hard
 * limit cannot be raised, another user's limits cannot be touched. */
static int child_nproc(void)
{
	struct rlimit r = { 3, 3 }, big;
	int bad = 0, pfd[2], n = 0;
	pid_t kids[8];

	pipe(pfd);
	bad += sys_setrlimit(RLIMIT_NPROC, &r) != 0;
	if (setuid(NOBODY))
		return 50;
	for (; n < 8; n++) {
		kids[n] = fork();
		if (kids[n] == 0) {
			char c;
			close(pfd[1]);
			read(pfd[0], &c, 1); /* until the pipe closes */
			_exit(0);
		}
		if (kids[n] < 0)
			break;
	}
	/* Us and two children make 3 (under qemu-user each process also has a
	 * thread of qemu's own, so one child fewer fits). */
	bad += !(n >= 1 && n <= 2 && errno == EAGAIN);
	close(pfd[1]);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	sys_getrlimit(RLIMIT_NOFILE, &big);
	big.rlim_max++;
	bad += !(sys_setrlimit(RLIMIT_NOFILE, &big) == -1 && errno == EPERM);
	bad += !(prlimit(getppid(), RLIMIT_NOFILE, NULL, &big) == -1 && errno == EPERM);
	return bad;
}

/* RLIMIT_MEMLOCK for a user without CAP_IPC_LOCK. */
static int child_memlock(void)
{
	struct rlimit r = { 2 * 4096, 2 * 4096 };
	int bad = 0;
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	bad += sys_setrlimit(RLIMIT_MEMLOCK, &r) != 0;
	if (setuid(NOBODY))
		return 50;
	bad += mlock(p, 4096) != 0;
	bad += !(mlock(p, 4 * 4096) == -1 && errno == ENOMEM);
	bad += mlock(p, 2 * 4096) != 0; /* the page already locked counts once */
	bad += !(mlockall(MCL_CURRENT) == -1 && errno == ENOMEM);
	bad += mmap(NULL, 4 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) != MAP_FAILED;
	bad += munlock(p, 8 * 4096) != 0;
	r.rlim_cur = 0;
	bad += sys_setrlimit(RLIMIT_MEMLOCK, &r) != 0;
	bad += !(mlock(p, 4096) == -1 && errno == EPERM);
	return bad;
}

static volatile int got_xcpu;
static int xcpu_pipe[2];
static void on_xcpu(int s)
{
	(void)s;
	got_xcpu++;
	write(xcpu_pipe[1], "x", 1); /* the parent counts them */
}

/* RLIMIT_CPU {1, 2}: SIGXCPU after 1 s of CPU, SIGKILL at 2 s. */
static int child_cpu(void)
{
	struct rlimit r = { 1, 2 };

	signal(SIGXCPU, on_xcpu);
	if (sys_setrlimit(RLIMIT_CPU, &r))
		return 1;
	for (;;) /* spin until killed */
		if (got_xcpu && sys_getrlimit(RLIMIT_CPU, &r) == 0 && r.rlim_cur < 2)
			return 2; /* the soft limit should have moved to 2 */
}

int main(void)
{
	KTAP_START("rlimit");
	test_rules();
	CHECK(in_child(child_hard_limit) == 0, "lower and raise limits; a child inherits them");
	CHECK(in_child(child_nofile) == 0, "RLIMIT_NOFILE: EMFILE at the limit (open, dup), F_DUPFD past it EINVAL");
	CHECK(in_child(child_fsize) == 0, "RLIMIT_FSIZE: short write, then SIGXFSZ and EFBIG; ftruncate EFBIG");
	int r = in_child(child_as);
	if (r == 99)
		skip("RLIMIT_AS: mmap beyond it fails with ENOMEM", "limit not applied (qemu-user)");
	else
		CHECK(r == 0, "RLIMIT_AS: mmap beyond it fails with ENOMEM");
	r = in_child(child_data);
	if (r == 99)
		skip("RLIMIT_DATA: brk and private writable mmap beyond it fail", "limit not applied (qemu-user)");
	else
		CHECK(r == 0, "RLIMIT_DATA: brk and private writable mmap beyond it fail");
	CHECK(in_child(child_nproc) == 0, "non-root: RLIMIT_NPROC (EAGAIN), no raising a hard limit, no prlimit of root");
	CHECK(in_child(child_memlock) == 0, "non-root: RLIMIT_MEMLOCK (ENOMEM, EAGAIN for MAP_LOCKED, EPERM at 0)");
	pipe(xcpu_pipe);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_cpu());
	close(xcpu_pipe[1]);
	int st = 0;
	waitpid(pid, &st, 0);
	char buf[16];
	ssize_t n = read(xcpu_pipe[0], buf, sizeof(buf));
	CHECK(n == 1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard one");
	return ktap_done();
}
