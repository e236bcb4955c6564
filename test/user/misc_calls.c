/* Small process calls, each with its success and error cases:
 * personality, mlock/munlock/mlock2/mlockall/munlockall (VmLck),
 * fadvise64, readahead, sync_file_range, membarrier, memfd_create with
 * seals, preadv2/pwritev2, syslog, pidfd_open/pidfd_send_signal and
 * riscv_hwprobe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/user/ktap.h"

#define PAGE 4096

static void skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++ktap_n, name, why);
	fflush(stdout);
}

static void test_personality(void)
{
	int old = personality(0xffffffff);
	CHECK(old == PER_LINUX, "personality query: PER_LINUX");
	CHECK(personality(PER_LINUX | ADDR_NO_RANDOMIZE) == PER_LINUX, "personality set returns the old one");
	CHECK(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE), "personality query sees the new one");
	pid_t pid = fork();
	if (pid == 0)
		_exit(personality(0xffffffff) == (PER_LINUX | ADDR_NO_RANDOMIZE) ? 0 : 1);
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "personality is inherited by fork");
	personality(PER_LINUX);
}

/* VmLck of /proc/self/status in kB, -1 if not found. */
static long vmlck_kb(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

static void test_mlock(void)
{
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before = vmlck_kb();

	CHECK(mlock(p + 100, 4 * PAGE) == 0, "mlock (unaligned start is rounded)");
	CHECK(vmlck_kb() - before >= 16, "VmLck counts the locked pages");
	CHECK(munlock(p, 8 * PAGE) == 0 && vmlck_kb() == before, "munlock: VmLck back");
	munmap(p + 4 * PAGE, PAGE);
	CHECK(mlock(p, 8 * PAGE) == -1 && errno == ENOMEM, "mlock over a hole: ENOMEM");
	if (syscall(SYS_mlock2, p, PAGE, 0x80) == -1 && errno == ENOSYS) {
		skip("mlock2", "not in this kernel (qemu-user 7.2)");
	} else {
		CHECK(errno == EINVAL, "mlock2 unknown flag: EINVAL");
		CHECK(syscall(SYS_mlock2, p, 2 * PAGE, 1 /* MLOCK_ONFAULT */) == 0 && vmlck_kb() - before >= 8,
		      "mlock2(MLOCK_ONFAULT)");
	}
	munlock(p, 4 * PAGE);
	CHECK(mlockall(0) == -1 && errno == EINVAL, "mlockall(0): EINVAL");
	CHECK(mlockall(MCL_ONFAULT) == -1 && errno == EINVAL, "mlockall(MCL_ONFAULT) alone: EINVAL");
	pid_t pid = fork();
	if (pid == 0) {
		/* MCL_FUTURE: a later mapping is locked (and resident) too. */
		int bad = mlockall(MCL_CURRENT | MCL_FUTURE) != 0;
		long l0 = vmlck_kb();
		void *q = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		bad += q == MAP_FAILED || vmlck_kb() - l0 < 64;
		bad += munlockall() != 0 || vmlck_kb() != 0;
		_exit(bad);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "mlockall(MCL_CURRENT|MCL_FUTURE), munlockall");
	munmap(p, 8 * PAGE);
}

static void test_hints(void)
{
	char path[] = "/tmp/miscXXXXXX";
	int fd = mkstemp(path), pfd[2];

	unlink(path);
	pipe(pfd);
	write(fd, "hello", 5);
	CHECK(syscall(SYS_fadvise64, fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0 &&
		      syscall(SYS_fadvise64, fd, 0, 4096, POSIX_FADV_DONTNEED) == 0,
	      "fadvise64 on a file");
	CHECK(syscall(SYS_fadvise64, pfd[0], 0, 0, POSIX_FADV_NORMAL) == -1 && errno == ESPIPE, "fadvise64 on a pipe: ESPIPE");
	CHECK(syscall(SYS_fadvise64, fd, 0, 0, 99) == -1 && errno == EINVAL, "fadvise64 bad advice: EINVAL");
	CHECK(syscall(SYS_fadvise64, fd, 0, -1, POSIX_FADV_NORMAL) == -1 && errno == EINVAL, "fadvise64 negative length: EINVAL");
	CHECK(syscall(SYS_fadvise64, 999, 0, 0, POSIX_FADV_NORMAL) == -1 && errno == EBADF, "fadvise64 bad fd: EBADF");
	CHECK(readahead(fd, 0, 4096) == 0, "readahead on a file");
	CHECK(readahead(pfd[0], 0, 4096) == -1 && errno == EINVAL, "readahead on a pipe: EINVAL");
	CHECK(readahead(pfd[1], 0, 4096) == -1 && errno == EBADF, "readahead on a write-only fd: EBADF");
	CHECK(sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) == 0, "sync_file_range on a file");
	CHECK(sync_file_range(pfd[1], 0, 0, SYNC_FILE_RANGE_WRITE) == -1 && errno == ESPIPE, "sync_file_range on a pipe: ESPIPE");
	CHECK(sync_file_range(fd, 0, 0, 0x80) == -1 && errno == EINVAL, "sync_file_range bad flags: EINVAL");
	CHECK(sync_file_range(fd, -1, 0, 0) == -1 && errno == EINVAL, "sync_file_range negative offset: EINVAL");
	close(pfd[0]);
	close(pfd[1]);

	/* preadv2/pwritev2 (raw: glibc would emulate flag-less calls). */
	char a[4] = "ABCD", b[8] = { 0 };
	struct iovec wv = { a, 4 }, rv = { b, 4 };
	long r = syscall(SYS_pwritev2, fd, &wv, 1, 1, 0, 0);
	if (r == -1 && errno == ENOSYS) {
		skip("preadv2/pwritev2", "not in this kernel (qemu-user 7.2)");
		close(fd);
		return;
	}
	CHECK(r == 4, "pwritev2 at offset 1");
	lseek(fd, 0, SEEK_SET);
	CHECK(syscall(SYS_preadv2, fd, &rv, 1, -1, 0, 0) == 4 && !memcmp(b, "hABC", 4) &&
		      lseek(fd, 0, SEEK_CUR) == 4,
	      "preadv2 at offset -1 reads at and moves the file position");
	CHECK(syscall(SYS_pwritev2, fd, &wv, 1, 0, 0, 0x10 /* RWF_APPEND */) == 4 &&
		      lseek(fd, 0, SEEK_END) == 9,
	      "pwritev2 RWF_APPEND writes at the end");
	CHECK(syscall(SYS_preadv2, fd, &rv, 1, 0, 0, 0x8 /* RWF_NOWAIT */) == 4, "preadv2 RWF_NOWAIT on a file");
	CHECK(syscall(SYS_preadv2, fd, &rv, 1, 0, 0, 0x10000) == -1 && errno == EOPNOTSUPP, "preadv2 unknown flag: EOPNOTSUPP");
	CHECK(syscall(SYS_preadv2, fd, &rv, 1, -2, 0, 0) == -1 && errno == EINVAL, "preadv2 offset -2: EINVAL");
	close(fd);
}

static volatile int spin_stop;
static void *spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		__asm__ __volatile__("" ::: "memory");
	return NULL;
}

static void test_membarrier(void)
{
	long mask = syscall(SYS_membarrier, 0 /* QUERY */, 0, 0);
	pthread_t th[2];

	CHECK(mask > 0 && (mask & 1) && (mask & 8) && (mask & 16), "membarrier QUERY: GLOBAL, PRIVATE_EXPEDITED(+REGISTER)");
	CHECK(syscall(SYS_membarrier, 8, 0, 0) == -1 && errno == EPERM, "PRIVATE_EXPEDITED before REGISTER: EPERM");
	CHECK(syscall(SYS_membarrier, 16, 0, 0) == 0, "REGISTER_PRIVATE_EXPEDITED");
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	int ok = 1;
	for (int i = 0; i < 100; i++)
		ok &= syscall(SYS_membarrier, 8, 0, 0) == 0;
	CHECK(ok, "PRIVATE_EXPEDITED with threads running on other harts");
	CHECK(syscall(SYS_membarrier, 1, 0, 0) == 0, "membarrier GLOBAL");
	spin_stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(syscall(SYS_membarrier, 1 << 12, 0, 0) == -1 && errno == EINVAL, "membarrier unknown command: EINVAL");
	CHECK(syscall(SYS_membarrier, 8, 1, 0) == -1 && errno == EINVAL, "membarrier flags: EINVAL");
}

static void test_memfd(void)
{
	char buf[256], link[64];
	int fd = memfd_create("vireo", MFD_CLOEXEC);

	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "memfd_create(MFD_CLOEXEC)");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(!strcmp(buf, "/memfd:vireo (deleted)"), "/proc/self/fd names it /memfd:vireo (deleted)");
	CHECK(write(fd, "hello", 5) == 5 && pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5), "write and read back");
	CHECK(ftruncate(fd, 3 * PAGE) == 0, "ftruncate");
	char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED && !memcmp(m, "hello", 5), "mmap shared sees the data");
	m[0] = 'J';
	CHECK(pread(fd, buf, 1, 0) == 1 && buf[0] == 'J', "stores through the mapping reach the file");
	CHECK(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL, "without MFD_ALLOW_SEALING: F_SEAL_SEAL");
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == -1 && errno == EPERM, "adding a seal then: EPERM");
	munmap(m, PAGE);
	close(fd);

	memset(buf, 'x', sizeof(buf));
	buf[250] = 0;
	CHECK(memfd_create(buf, 0) == -1 && errno == EINVAL, "name of 250 bytes: EINVAL");
	CHECK(memfd_create("x", 0x100) == -1 && errno == EINVAL, "unknown flag: EINVAL");
	CHECK(memfd_create((char *)8, 0) == -1 && errno == EFAULT, "bad name pointer: EFAULT");

	fd = memfd_create("sealed", MFD_ALLOW_SEALING);
	CHECK(fd >= 0 && fcntl(fd, F_GET_SEALS) == 0, "MFD_ALLOW_SEALING: no seals yet");
	ftruncate(fd, PAGE);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == 0, "F_ADD_SEALS shrink+grow");
	CHECK(ftruncate(fd, PAGE / 2) == -1 && errno == EPERM, "F_SEAL_SHRINK: no shrinking");
	CHECK(ftruncate(fd, 2 * PAGE) == -1 && errno == EPERM, "F_SEAL_GROW: no growing");
	CHECK(pwrite(fd, "ab", 2, PAGE - 1) == 1, "F_SEAL_GROW: a write across the end stops there");
	CHECK(pwrite(fd, "ab", 2, PAGE) == -1 && errno == EPERM, "F_SEAL_GROW: no write past the end");
	CHECK(pwrite(fd, "ab", 2, 10) == 2, "writing inside is still allowed");
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == -1 && errno == EBUSY, "F_SEAL_WRITE with a writable mapping: EBUSY");
	munmap(m, PAGE);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == 0, "F_SEAL_WRITE once unmapped");
	CHECK(write(fd, "z", 1) == -1 && errno == EPERM, "F_SEAL_WRITE: write EPERM");
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EPERM,
	      "F_SEAL_WRITE: shared writable mmap EPERM");
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED && mprotect(m, PAGE, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	      "a read-only shared mapping cannot be made writable");
	munmap(m, PAGE);
	CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL) == 0 && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == -1 &&
		      errno == EPERM,
	      "F_SEAL_SEAL: no more seals");
	CHECK(fcntl(fd, F_GET_SEALS) == (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE), "F_GET_SEALS");
	close(fd);
	char path[] = "/tmp/sealXXXXXX";
	fd = mkstemp(path);
	unlink(path);
	CHECK(fcntl(fd, F_GET_SEALS) == -1 && errno == EINVAL, "F_GET_SEALS on a plain file: EINVAL");
	close(fd);
}

static void test_syslog(void)
{
	long size = syscall(SYS_syslog, 10 /* SIZE_BUFFER */, NULL, 0);
	if (size < 0 && errno == EPERM) {
		skip("syslog", "not permitted here");
		return;
	}
	CHECK(size > 0, "syslog SIZE_BUFFER");
	char *buf = malloc(size);
	long n = syscall(SYS_syslog, 3 /* READ_ALL */, buf, size);
	CHECK(n > 0 && buf[0] == '<' && buf[2] == '>', "syslog READ_ALL: lines <level>...");
	CHECK(syscall(SYS_syslog, 9 /* SIZE_UNREAD */, NULL, 0) >= 0, "syslog SIZE_UNREAD");
	CHECK(syscall(SYS_syslog, 3, (char *)8, 100) == -1 && errno == EFAULT, "syslog bad buffer: EFAULT");
	CHECK(syscall(SYS_syslog, 99, NULL, 0) == -1 && errno == EINVAL, "syslog unknown action: EINVAL");
	CHECK(syscall(SYS_syslog, 8 /* CONSOLE_LEVEL */, NULL, 0) == -1 && errno == EINVAL, "syslog console level 0: EINVAL");
	free(buf);
	pid_t pid = fork();
	if (pid == 0) /* without CAP_SYSLOG, only reading is allowed */
		_exit(setuid(54321) == 0 && syscall(SYS_syslog, 5 /* CLEAR */, NULL, 0) == -1 && errno == EPERM ? 0 : 1);
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "syslog CLEAR without CAP_SYSLOG: EPERM");
}

static void test_pidfd(void)
{
	int pfd[2];
	char c;

	pipe(pfd);
	pid_t pid = fork();
	if (pid == 0) {
		read(pfd[0], &c, 1); /* until killed */
		_exit(0);
	}
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "pidfd_open: a close-on-exec descriptor");
	struct pollfd p = { fd, POLLIN, 0 };
	CHECK(poll(&p, 1, 0) == 0, "not readable while the process lives");
	CHECK(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0, "pidfd_send_signal signal 0: it exists");
	CHECK(syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) == 0, "pidfd_send_signal SIGKILL");
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "readable once it has exited");
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "it died of SIGKILL");
	CHECK(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0) == -1 && errno == ESRCH,
	      "pidfd_send_signal after it is gone: ESRCH");
	CHECK(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 8) == -1 && errno == EINVAL, "pidfd_send_signal unknown flags: EINVAL");
	CHECK(syscall(SYS_pidfd_send_signal, pfd[0], SIGTERM, NULL, 0) == -1 && errno == EBADF,
	      "pidfd_send_signal on a pipe: EBADF");
	close(fd);
	CHECK(syscall(SYS_pidfd_open, -1, 0) == -1 && errno == EINVAL, "pidfd_open(-1): EINVAL");
	CHECK(syscall(SYS_pidfd_open, getpid(), 1) == -1 && errno == EINVAL, "pidfd_open bad flags: EINVAL");
	CHECK(syscall(SYS_pidfd_open, 4000000, 0) == -1 && errno == ESRCH, "pidfd_open of no process: ESRCH");

	/* A signal with siginfo to ourselves through a pidfd. */
	fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	siginfo_t si = { .si_signo = SIGUSR1, .si_code = SI_QUEUE }, got;
	si.si_value.sival_int = 77;
	CHECK(syscall(SYS_pidfd_send_signal, fd, SIGUSR1, &si, 0) == 0, "pidfd_send_signal with siginfo");
	struct timespec ts = { 2, 0 };
	CHECK(sigtimedwait(&s, &got, &ts) == SIGUSR1 && got.si_code == SI_QUEUE && got.si_value.sival_int == 77,
	      "the siginfo arrives");
	si.si_signo = SIGUSR2;
	CHECK(syscall(SYS_pidfd_send_signal, fd, SIGUSR1, &si, 0) == -1 && errno == EINVAL,
	      "siginfo for another signal: EINVAL");
	close(fd);
	close(pfd[0]);
	close(pfd[1]);
}

struct riscv_hwprobe {
	long long key;
	unsigned long long value;
};

static void test_hwprobe(void)
{
	struct riscv_hwprobe pr[4] = { { 3, 0 } /* BASE_BEHAVIOR */, { 4, 0 } /* IMA_EXT_0 */,
				       { 999, 0 }, { 8, 0 } /* TIME_CSR_FREQ */ };
	long r = syscall(258, pr, 4, 0, NULL, 0);
	if (r == -1 && errno == ENOSYS) {
		skip("riscv_hwprobe", "not in this kernel (qemu-user before 8.1)");
		return;
	}
	CHECK(r == 0, "riscv_hwprobe");
	CHECK(pr[0].value & 1, "BASE_BEHAVIOR: IMA");
	CHECK((pr[1].value & 3) == 3, "IMA_EXT_0: F and D, C");
	CHECK(pr[2].key == -1 && pr[2].value == 0, "an unknown key comes back as -1");
	CHECK(pr[3].value > 0, "TIME_CSR_FREQ");
	CHECK(syscall(258, pr, 1, 0, NULL, 2) == -1 && errno == EINVAL, "riscv_hwprobe unknown flags: EINVAL");
	unsigned long none = 0;
	CHECK(syscall(258, pr, 1, sizeof(none), &none, 0) == -1 && errno == EINVAL, "an empty cpu set: EINVAL");
}

int main(void)
{
	KTAP_START("misc_calls");
	test_personality();
	test_mlock();
	test_hints();
	test_membarrier();
	test_memfd();
	test_syslog();
	test_pidfd();
	test_hwprobe();
	return ktap_done();
}
