/* A system-call fuzzer in the manner of trinity: child processes on every
 * hart issue random system calls (implemented numbers mostly, any number
 * sometimes) with arguments drawn from values that break kernels: bad and
 * kernel-half pointers, pointers into PROT_NONE and unmapped pages, huge
 * lengths, all flag bits, negative numbers, live and dead descriptors.
 *
 * usage: fuzz [SECONDS [SEED [CHILDREN [LO-HI]]]]   (the seed is printed: a
 * run is replayed by passing it again; each child's stream is derived from
 * it; LO-HI limits the numbers called, to bisect a failure).
 * The kernel must not oops or hang, and once the children are gone the
 * free memory (MemFree+Slab) must be what it was before they started.
 * Calls that would end the machine or the run itself are left out: reboot,
 * mount/umount (would pull /proc from under the check), signals to other
 * processes, real-time policies (a FIFO spin would starve the parent). */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"
#include "test/user/meminfo.h"

#define PAGE 4096UL
#define ARENA_PAGES 16
#define CHILD_MS 1500 /* a child is killed and replaced after this long */

/* Never called: they end the machine or the run, or starve the parent. */
static const int banned[] = {
	__NR_reboot, __NR_mount, __NR_umount2, __NR_kill, __NR_tkill, __NR_tgkill,
	__NR_rt_sigqueueinfo, __NR_rt_tgsigqueueinfo, __NR_sched_setscheduler,
	__NR_sched_setattr, __NR_sched_setparam, __NR_setpriority, __NR_chroot,
	__NR_pidfd_send_signal, __NR_swapon, __NR_swapoff, __NR_kexec_load,
	__NR_init_module, __NR_finit_module, __NR_delete_module, __NR_setns,
	__NR_unshare, __NR_pivot_root, __NR_acct, __NR_ptrace,
};

/* Shared with the parent: the count, and each child's call in progress
 * (what a child that cannot be killed is stuck in). */
struct shared {
	long count;
	struct { long nr; uint64_t a[6]; } last[64];
};
static struct shared *sh;

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static char *arena; /* ARENA_PAGES pages: RW, then one PROT_NONE, then a hole */
static int fds[32];
static int nfds;

static const char *const paths[] = {
	"/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fzfile", "/tmp", "/", "/proc/self/maps",
	"/proc/self/status", "/proc/meminfo", "/dev/null", "/dev/zero", "/nonexistent", "",
	"/tmp/fz/../fzfile", "/proc/self/fd/0", "/tmp/fz/fifo", "/tmp/fzlink",
};

/* A pointer a system call might be given. */
static uint64_t pointer_arg(void)
{
	switch (below(12)) {
	case 0: return 0;
	case 1: return 0xffff800000000000UL + (rnd() & 0xffffff000UL); /* direct map */
	case 2: return 0xffffffff80000000UL;                            /* kernel image */
	case 3: return (uint64_t)arena + ARENA_PAGES * PAGE;            /* PROT_NONE */
	case 4: return (uint64_t)arena + (ARENA_PAGES + 1) * PAGE;      /* unmapped */
	case 5: return (uint64_t)arena + ARENA_PAGES * PAGE - 1 - below(64); /* runs off */
	case 6: return rnd();
	case 7: return (uint64_t)paths[below(sizeof(paths) / sizeof(paths[0]))];
	case 8: return (uint64_t)arena + below(ARENA_PAGES * PAGE) + 1; /* unaligned */
	default: return (uint64_t)arena + below(ARENA_PAGES) * PAGE;
	}
}

/* Any argument: pointers, descriptors, lengths, flags, edge numbers. */
static uint64_t any_arg(void)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 4, 7, 8, 16, 64, 255, 4095, 4096, 4097, 65536, 0x7fffffff,
		0x80000000UL, 0xffffffffUL, 0x7fffffffffffffffUL, ~0UL, ~0UL - 4095, -2UL,
		-100UL /* AT_FDCWD */, 1UL << 32, 1UL << 47, 1UL << 48,
	};
	switch (below(8)) {
	case 0: case 1: return pointer_arg();
	case 2: return nfds ? (uint64_t)fds[below(nfds)] : 0;
	case 3: return 1UL << below(64);
	case 4: return rnd() & (below(2) ? 0xff : 0xffffffff);
	case 5: return below(64);
	default: return edges[below(sizeof(edges) / sizeof(edges[0]))];
	}
}

static long nr_lo = -1000, nr_hi = 100000; /* only these numbers (bisecting) */

static int is_banned(long nr)
{
	if (nr < nr_lo || nr > nr_hi)
		return 1;
	for (unsigned int i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (banned[i] == nr)
			return 1;
	return 0;
}

/* Live descriptors for the calls to chew on. */
static void make_fds(void)
{
	int p[2];

	mkdir("/tmp/fz", 0755);
	mkfifo("/tmp/fz/fifo", 0644);
	symlink("/tmp/fzfile", "/tmp/fzlink");
	fds[nfds++] = open("/tmp/fzfile", O_RDWR | O_CREAT, 0644);
	fds[nfds++] = open("/tmp/fz", O_RDONLY | O_DIRECTORY);
	fds[nfds++] = open("/proc/self/maps", O_RDONLY);
	fds[nfds++] = open("/dev/null", O_RDWR);
	if (pipe2(p, O_NONBLOCK) == 0) {
		fds[nfds++] = p[0];
		fds[nfds++] = p[1];
	}
	fds[nfds++] = 9999; /* never open */
	fds[nfds++] = -1;
}

#define FUZZ_UID 1000

static void child(uint64_t seed, int slot)
{
	int devnull = open("/dev/null", O_RDWR);

	/* Keep the console's termios and the test's output out of reach. */
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		_exit(3);
	setsid();
	/* An unprivileged user, as trinity runs by default: root could
	 * legitimately lower the parent's limits or signal it, and Linux's
	 * promise is that no unprivileged program can hurt the kernel. */
	gid_t none[1] = { FUZZ_UID };
	if (setgroups(1, none) || setresgid(FUZZ_UID, FUZZ_UID, FUZZ_UID) ||
	    setresuid(FUZZ_UID, FUZZ_UID, FUZZ_UID))
		_exit(4);
	rng = seed ? seed : 1;
	arena = mmap(NULL, (ARENA_PAGES + 2) * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED)
		_exit(1);
	mprotect(arena + ARENA_PAGES * PAGE, PAGE, PROT_NONE);
	munmap(arena + (ARENA_PAGES + 1) * PAGE, PAGE);
	memset(arena, 0x5a, ARENA_PAGES * PAGE);
	struct rlimit fsize = { 1 << 20, 1 << 20 }; /* a fuzzed write can't fill RAM */
	setrlimit(RLIMIT_FSIZE, &fsize);
	signal(SIGXFSZ, SIG_IGN);
	make_fds();
	mkdir("/tmp/fz/cwd", 0755);
	chdir("/tmp/fz/cwd"); /* relative names land in the scratch tree */
	for (;;) {
		/* Mostly the classic range, some of the 4xx calls, a few wild. */
		unsigned int pick = below(20);
		long nr = pick < 14 ? (long)below(300) : pick < 17 ? 400 + (long)below(64)
								  : (long)below(1100) - 50;
		if (is_banned(nr))
			continue;
		uint64_t a[6];
		for (int i = 0; i < 6; i++)
			a[i] = any_arg();
		__atomic_add_fetch(&sh->count, 1, __ATOMIC_RELAXED);
		memcpy(sh->last[slot].a, a, sizeof(a));
		sh->last[slot].nr = nr;
		long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r == 0 && (nr == __NR_clone || nr == __NR_clone3))
			_exit(0); /* a new process or thread: don't fuzz in it */
		if (nr == __NR_clone && r > 0)
			waitpid((pid_t)r, NULL, __WALL | WNOHANG);
	}
}

static long ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Processes the children made with clone() may live on (asleep, or
 * stopped), as children of ours or of init. Every process born after us
 * is one of them: kill them all and reap ours (__WALL: clone children
 * with another exit signal too). Returns how many there were. */
static int kill_the_rest(void)
{
	int total = 0, found, rounds = 0;

	do {
		found = 0;
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			int p = atoi(e->d_name);
			if (p > getpid() && kill(p, SIGKILL) == 0)
				found++;
		}
		if (d)
			closedir(d);
		usleep(100000);
		while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
			;
		total += found;
	} while (found && ++rounds < 30); /* zombies answer kill() until reaped */
	return total;
}

/* What the children may create outside the scratch tree: random path
 * strings land in the working directory or wherever a random chdir took
 * them. The names present at the start are kept; anything new in these
 * directories is removed at the end, so the page cache it holds is not
 * taken for a leak. */
static const char *const watched[] = { "/", "/tmp", "/dev", "/dev/shm", "/dev/mqueue", "/root", "/home", "/proc/self/cwd" };
#define MAX_NAMES 256
static char *known[sizeof(watched) / sizeof(watched[0])][MAX_NAMES];

static void snapshot_dirs(void)
{
	for (unsigned int d = 0; d < sizeof(watched) / sizeof(watched[0]); d++) {
		DIR *dir = opendir(watched[d]);
		struct dirent *e;
		int n = 0;
		while (dir && (e = readdir(dir)) && n < MAX_NAMES - 1)
			known[d][n++] = strdup(e->d_name);
		if (dir)
			closedir(dir);
	}
}

static int is_known(unsigned int d, const char *name)
{
	for (int i = 0; known[d][i]; i++)
		if (!strcmp(known[d][i], name))
			return 1;
	return 0;
}

static void rm_rf(const char *path)
{
	if (fork() == 0) {
		execl("/bin/rm", "rm", "-rf", path, (char *)NULL);
		_exit(127);
	}
	wait(NULL);
}

/* System V objects outlive their makers: remove every one (the *_STAT
 * commands take a table index, as ipcs uses them). */
static void cleanup_sysv(void)
{
	struct shm_info si;
	struct shmid_ds sd;
	struct semid_ds md;
	struct msqid_ds qd;
	union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; } arg;
	struct seminfo mi;
	struct msginfo qi;
	int max = shmctl(0, SHM_INFO, (struct shmid_ds *)&si);

	for (int i = 0, id; i <= max; i++)
		if ((id = shmctl(i, SHM_STAT, &sd)) >= 0)
			shmctl(id, IPC_RMID, NULL);
	arg.__buf = &mi;
	max = semctl(0, 0, SEM_INFO, arg);
	arg.buf = &md;
	for (int i = 0, id; i <= max; i++)
		if ((id = semctl(i, 0, SEM_STAT, arg)) >= 0)
			semctl(id, 0, IPC_RMID);
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)&qi);
	for (int i = 0, id; i <= max; i++)
		if ((id = msgctl(i, MSG_STAT, &qd)) >= 0)
			msgctl(id, IPC_RMID, NULL);
}

static void cleanup_tmp(void)
{
	cleanup_sysv();
	rm_rf("/tmp/fz");
	rm_rf("/tmp/fzfile");
	rm_rf("/tmp/fzlink");
	for (unsigned int d = 0; d < sizeof(watched) / sizeof(watched[0]); d++) {
		DIR *dir = opendir(watched[d]);
		struct dirent *e;
		char path[4096];
		while (dir && (e = readdir(dir)))
			if (!is_known(d, e->d_name)) {
				snprintf(path, sizeof(path), "%s/%s", watched[d], e->d_name);
				rm_rf(path);
			}
		if (dir)
			closedir(dir);
	}
}

/* The first number of /proc/sys/fs/NAME (file-nr, inode-nr). */
static long sys_count(const char *name)
{
	char path[64], buf[64] = "";
	snprintf(path, sizeof(path), "/proc/sys/fs/%s", name);
	int fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = 0;
	if (fd >= 0)
		close(fd);
	return buf[0] ? atol(buf) : -1;
}

static int nchild;
static long spawned;
static int stuck;

static void report_stuck(pid_t p, int i)
{
	stuck++;
	printf("# child %d still alive 3 s after SIGKILL; its last call: %ld(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)\n",
	       p, sh->last[i].nr, (unsigned long long)sh->last[i].a[0],
	       (unsigned long long)sh->last[i].a[1], (unsigned long long)sh->last[i].a[2],
	       (unsigned long long)sh->last[i].a[3], (unsigned long long)sh->last[i].a[4],
	       (unsigned long long)sh->last[i].a[5]);
}

/* Keep nchild children fuzzing for ms, each replaced after CHILD_MS. */
static void run_children(uint64_t seed, long ms)
{
	pid_t pid[64] = { 0 };
	long started[64], killed[64] = { 0 };
	long end = ms_now() + ms;

	mkdir("/tmp/fz", 0777);
	chmod("/tmp/fz", 0777); /* the children run as FUZZ_UID */

	while (ms_now() < end) {
		for (int i = 0; i < nchild; i++) {
			if (pid[i] > 0 && !killed[i] && ms_now() - started[i] > CHILD_MS) {
				kill(pid[i], SIGKILL);
				killed[i] = ms_now();
			}
			if (pid[i] > 0 && waitpid(pid[i], NULL, WNOHANG) == pid[i])
				pid[i] = 0;
			if (pid[i] > 0 && killed[i] > 0 && ms_now() - killed[i] > 3000) {
				report_stuck(pid[i], i);
				killed[i] = -1;
			}
			if (pid[i] == 0) {
				uint64_t s = seed * 6364136223846793005ULL + (uint64_t)++spawned;
				if ((pid[i] = fork()) == 0)
					child(s, i);
				started[i] = ms_now();
				killed[i] = 0;
			}
		}
		usleep(20000);
	}
	for (int i = 0; i < nchild; i++)
		if (pid[i] > 0 && killed[i] >= 0) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
		}
	kill_the_rest();
	cleanup_tmp();
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 10;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);

	nchild = argc > 3 ? atoi(argv[3]) : 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (argc > 4)
		sscanf(argv[4], "%ld-%ld", &nr_lo, &nr_hi);
	KTAP_START("fuzz");
	if (nchild < 1 || nchild > 64)
		nchild = 8;
	printf("# fuzz: %ld s, seed %llu, %d children (replay: fuzz %ld %llu %d)\n", seconds,
	       (unsigned long long)seed, nchild, seconds, (unsigned long long)seed, nchild);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	snapshot_dirs();
	/* A first second warms what the kernel keeps once grown (pid
	 * tables, caches); the leak check covers the rest of the run. */
	run_children(seed ^ 0x5eed, 1000);
	long before = memfree_slab_kb() + meminfo_kb("Cached");
	static const char *const parts[] = { "Cached", "KernelStack", "PageTables" };
	long part0[3], files0 = sys_count("file-nr"), inodes0 = sys_count("inode-nr");
	for (int i = 0; i < 3; i++)
		part0[i] = meminfo_kb(parts[i]);
	run_children(seed, seconds * 1000);
	printf("# %ld system calls in %ld children\n", sh->count, spawned);
	CHECK(sh->count > 1000, "fuzz: the children made system calls and the kernel survived");
	CHECK(stuck == 0, "fuzz: every child died when killed (none stuck in the kernel)");
	/* Free memory counts the page cache (Cached) as free: random mremap
	 * and mprotect calls legitimately fault in pages of live files (the
	 * fuzzer's own binary); a page lost by the kernel is in none of the
	 * three. Frames of the last tasks to die may wait for their hart's
	 * next switch: allow 4 pages for that. */
	long after = memfree_slab_kb() + meminfo_kb("Cached");
	for (int i = 0; i < 20 && after < before; i++) {
		usleep(100000);
		after = memfree_slab_kb() + meminfo_kb("Cached");
	}
	printf("# MemFree+Slab+Cached before %ld kB, after %ld kB\n", before, after);
	for (int i = 0; i < 3; i++)
		printf("# %s: before %ld kB, after %ld kB\n", parts[i], part0[i], meminfo_kb(parts[i]));
	long files = sys_count("file-nr"), inodes = sys_count("inode-nr");
	printf("# open files before %ld after %ld, inodes before %ld after %ld\n", files0, files,
	       inodes0, inodes);
	CHECK(files <= files0, "fuzz: no struct file left behind (/proc/sys/fs/file-nr)");
	CHECK(after >= before - 16, "fuzz: no memory lost once the children are gone");
	return ktap_done();
}
