/* Boot test: the vDSO. Finds it through AT_SYSINFO_EHDR, looks its
 * symbols up as ld.so does (SysV and GNU hash tables, symbol versions),
 * and checks every function against the system call it stands for.
 * qemu-riscv64 7.2 maps no vDSO (the checks then SKIP; layout details
 * another emulator's vDSO may lack SKIP off Vireo); the program also
 * builds natively on x86-64 Linux (host gcc), where it checks the host's
 * vDSO, for the parts that are not riscv-only. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test/user/ktap.h"

#ifdef __riscv
#define VDSO_VERSION "LINUX_4.15"
#else
#define VDSO_VERSION "LINUX_2.6" /* x86-64 */
#endif

typedef int (*clock_gettime_t)(clockid_t, struct timespec *);
typedef int (*gettimeofday_t)(struct timeval *, struct timezone *);
typedef int (*clock_getres_t)(clockid_t, struct timespec *);
typedef int (*getcpu_t)(unsigned int *, unsigned int *, void *);

static bool vireo; /* running on Vireo, not under an emulator or on a host */

/* A check of a layout detail Linux and Vireo share but an emulator's
 * vDSO (qemu-user >= 8) may not: only SKIPped elsewhere. */
#define CHECK_LAYOUT(cond, name)                                                         \
	do {                                                                             \
		if (!(cond) && !vireo)                                                   \
			printf("ok %d %s # SKIP not Vireo: another vDSO\n", ++ktap_n, name); \
		else                                                                     \
			CHECK(cond, name);                                               \
	} while (0)

static bool on_vireo(void)
{
	struct utsname u;
	return uname(&u) == 0 && strstr(u.release, "vireo");
}

/* ---- the vDSO's dynamic tables, read as ld.so reads them ---- */

static struct {
	uintptr_t base, bias;
	const Elf64_Sym *symtab;
	const char *strtab;
	const Elf32_Word *hash;   /* DT_HASH */
	const Elf32_Word *gnu_hash; /* DT_GNU_HASH */
	const Elf64_Versym *versym;
	const Elf64_Verdef *verdef;
	const char *soname;
	const Elf64_Phdr *note;
} v;

static bool vdso_parse(uintptr_t base)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	bool have_load = false;

	v.base = base;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			v.bias = base + ph[i].p_offset - ph[i].p_vaddr;
			have_load = true;
		}
	}
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(v.bias + ph[i].p_vaddr);
		if (ph[i].p_type == PT_NOTE && !v.note)
			v.note = &ph[i];
	}
	if (!have_load || !dyn)
		return false;
	uintptr_t soname = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = v.bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: v.symtab = (const Elf64_Sym *)p; break;
		case DT_STRTAB: v.strtab = (const char *)p; break;
		case DT_HASH: v.hash = (const Elf32_Word *)p; break;
		case DT_GNU_HASH: v.gnu_hash = (const Elf32_Word *)p; break;
		case DT_VERSYM: v.versym = (const Elf64_Versym *)p; break;
		case DT_VERDEF: v.verdef = (const Elf64_Verdef *)p; break;
		case DT_SONAME: soname = dyn->d_un.d_val; break;
		}
	}
	if (!v.symtab || !v.strtab)
		return false;
	v.soname = soname ? v.strtab + soname : NULL;
	return true;
}

/* True if symbol i is defined with version VDSO_VERSION. */
static bool version_ok(unsigned int i)
{
	if (!v.versym || !v.verdef)
		return false;
	unsigned int ndx = v.versym[i] & 0x7fff;
	for (const Elf64_Verdef *d = v.verdef;; d = (const Elf64_Verdef *)((const char *)d + d->vd_next)) {
		if (d->vd_ndx == ndx && !(d->vd_flags & VER_FLG_BASE)) {
			const Elf64_Verdaux *a = (const Elf64_Verdaux *)((const char *)d + d->vd_aux);
			return !strcmp(v.strtab + a->vda_name, VDSO_VERSION);
		}
		if (!d->vd_next)
			return false;
	}
}

static bool sym_matches(unsigned int i, const char *name)
{
	const Elf64_Sym *s = &v.symtab[i];
	return s->st_shndx != SHN_UNDEF && ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
	       !strcmp(v.strtab + s->st_name, name) && version_ok(i);
}

static uint32_t sysv_hash(const char *s)
{
	uint32_t h = 0;
	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		h ^= (h >> 24) & 0xf0;
	}
	return h & 0x0fffffff;
}

static void *lookup_sysv(const char *name)
{
	if (!v.hash)
		return NULL;
	uint32_t nbucket = v.hash[0];
	const Elf32_Word *bucket = &v.hash[2], *chain = &v.hash[2 + nbucket];
	for (uint32_t i = bucket[sysv_hash(name) % nbucket]; i; i = chain[i])
		if (sym_matches(i, name))
			return (void *)(v.bias + v.symtab[i].st_value);
	return NULL;
}

static void *lookup_gnu(const char *name)
{
	if (!v.gnu_hash)
		return NULL;
	uint32_t nbucket = v.gnu_hash[0], symoffset = v.gnu_hash[1], bloom_size = v.gnu_hash[2];
	uint32_t h = 5381;
	for (const char *s = name; *s; s++)
		h = h * 33 + (unsigned char)*s;
	const uint64_t *bloom = (const uint64_t *)&v.gnu_hash[4];
	const uint32_t *bucket = (const uint32_t *)&bloom[bloom_size];
	const uint32_t *chain = &bucket[nbucket];
	for (uint32_t i = bucket[h % nbucket]; i >= symoffset && i; i++) {
		uint32_t ch = chain[i - symoffset];
		if ((ch | 1) == (h | 1) && sym_matches(i, name))
			return (void *)(v.bias + v.symtab[i].st_value);
		if (ch & 1)
			break;
	}
	return NULL;
}

/* The symbol through both tables, NULL unless they agree. */
static void *vdso_sym(const char *name)
{
	void *a = lookup_sysv(name), *b = lookup_gnu(name);
	if (a && b && a != b)
		return NULL;
	return a ? a : b;
}

/* The version code in the "Linux" note (type 0) of PT_NOTE, or -1. glibc's
 * ld.so takes the kernel version from it (and refuses one too old). */
static long linux_note(void)
{
	if (!v.note)
		return -1;
	const char *p = (const char *)(v.bias + v.note->p_vaddr), *end = p + v.note->p_memsz;
	while (p + sizeof(Elf64_Nhdr) <= end) {
		const Elf64_Nhdr *n = (const Elf64_Nhdr *)p;
		const char *name = p + sizeof(*n);
		const char *desc = name + ((n->n_namesz + 3) & ~3u);
		if (n->n_type == 0 && n->n_namesz == 6 && !memcmp(name, "Linux", 6) && n->n_descsz == 4)
			return *(const uint32_t *)desc;
		p = desc + ((n->n_descsz + 3) & ~3u);
	}
	return -1;
}

/* ---- helpers ---- */

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* The system call's result as a vDSO function returns it: 0 or -errno. */
static long sys(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);
	return r < 0 ? -errno : r;
}

static double now_ns(void)
{
	struct timespec t;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return (double)ts_ns(&t);
}

/* ---- checks ---- */

static void check_clock(clock_gettime_t cg, clockid_t clk, const char *name)
{
	struct timespec a, b, c;
	int bad = 0, rc = 0;
	char msg[96];

	for (int i = 0; i < 1000; i++) {
		syscall(SYS_clock_gettime, clk, &a);
		rc |= cg(clk, &b);
		syscall(SYS_clock_gettime, clk, &c);
		if (!(ts_ns(&a) <= ts_ns(&b) && ts_ns(&b) <= ts_ns(&c)) || b.tv_nsec < 0 ||
		    b.tv_nsec >= 1000000000)
			bad++;
	}
	snprintf(msg, sizeof(msg), "%s: syscall <= vdso <= syscall, 1000 times", name);
	CHECK(rc == 0 && bad == 0, msg);
}

static void check_gettimeofday(gettimeofday_t gtod)
{
	struct timeval a, b, c;
	struct timespec rt0, rt1;
	struct timezone tz_sys, tz_vdso;
	int bad = 0;

	for (int i = 0; i < 1000; i++) {
		syscall(SYS_gettimeofday, &a, NULL);
		gtod(&b, NULL);
		syscall(SYS_gettimeofday, &c, NULL);
		if (timercmp(&a, &b, >) || timercmp(&b, &c, >) || b.tv_usec >= 1000000)
			bad++;
	}
	CHECK(bad == 0, "gettimeofday: syscall <= vdso <= syscall, 1000 times");

	syscall(SYS_clock_gettime, CLOCK_REALTIME, &rt0);
	int rc = gtod(&b, NULL);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &rt1);
	int64_t us = (int64_t)b.tv_sec * 1000000 + b.tv_usec;
	CHECK(rc == 0 && ts_ns(&rt0) / 1000 <= us && us <= ts_ns(&rt1) / 1000,
	      "gettimeofday agrees with CLOCK_REALTIME");

	memset(&tz_sys, 0x55, sizeof(tz_sys));
	memset(&tz_vdso, 0x55, sizeof(tz_vdso));
	syscall(SYS_gettimeofday, NULL, &tz_sys);
	rc = gtod(NULL, &tz_vdso);
	CHECK(rc == 0 && !memcmp(&tz_sys, &tz_vdso, sizeof(tz_sys)),
	      "gettimeofday: the time zone is the system call's");
}

static void check_getres(clock_getres_t gr)
{
	static const clockid_t ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 100, -1 };
	int bad = 0;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct timespec rs = { -1, -1 }, rv = { -1, -1 };
		long es = sys(SYS_clock_getres, ids[i], (long)&rs, 0);
		long ev = gr(ids[i], &rv);
		if (es != ev || memcmp(&rs, &rv, sizeof(rs))) {
			printf("# clock_getres(%d): syscall %ld {%ld,%ld}, vdso %ld {%ld,%ld}\n", ids[i],
			       es, (long)rs.tv_sec, rs.tv_nsec, ev, (long)rv.tv_sec, rv.tv_nsec);
			bad++;
		}
	}
	CHECK(bad == 0, "clock_getres: vdso == syscall for clocks 0-12, 100, -1");
	CHECK(gr(CLOCK_MONOTONIC, NULL) == 0, "clock_getres(CLOCK_MONOTONIC, NULL) is 0");
}

/* Clocks the vDSO leaves to the kernel: its result is the system call's. */
static void check_fallbacks(clock_gettime_t cg)
{
	struct timespec a, b, c;

	syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &a);
	int rc = cg(CLOCK_PROCESS_CPUTIME_ID, &b);
	syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &c);
	CHECK(rc == 0 && ts_ns(&a) <= ts_ns(&b) && ts_ns(&b) <= ts_ns(&c) && ts_ns(&b) > 0,
	      "CLOCK_PROCESS_CPUTIME_ID through the vdso: the process's CPU time");
	syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &a);
	rc = cg(CLOCK_THREAD_CPUTIME_ID, &b);
	syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &c);
	CHECK(rc == 0 && ts_ns(&a) <= ts_ns(&b) && ts_ns(&b) <= ts_ns(&c),
	      "CLOCK_THREAD_CPUTIME_ID through the vdso: the thread's CPU time");

	b.tv_sec = 12345;
	long es = sys(SYS_clock_gettime, 100, (long)&a, 0);
	rc = cg(100, &b);
	CHECK(es == -EINVAL && rc == -EINVAL && b.tv_sec == 12345,
	      "bad clock id 100: -EINVAL from vdso and syscall, nothing written");
}

static void check_getcpu(getcpu_t gc)
{
	unsigned int cs = ~0u, ns = ~0u, cv = ~0u, nv = ~0u;
	cpu_set_t set, old;

	sched_getaffinity(0, sizeof(old), &old);
	syscall(SYS_getcpu, &cs, &ns, NULL);
	CPU_ZERO(&set);
	CPU_SET(cs, &set);
	sched_setaffinity(0, sizeof(set), &set); /* stay on that hart */
	syscall(SYS_getcpu, &cs, &ns, NULL);
	int rc = gc(&cv, &nv, NULL);
	sched_setaffinity(0, sizeof(old), &old);
	CHECK(rc == 0 && cs == cv && ns == nv, "getcpu: the same cpu and node as the syscall");
	CHECK(gc(NULL, NULL, NULL) == 0, "getcpu(NULL, NULL) is 0");
}

/* ns per call of f over a batch, the minimum of several batches. */
static double cost(clock_gettime_t f)
{
	double best = 1e18;
	struct timespec t;

	for (int r = 0; r < 20; r++) {
		double t0 = now_ns();
		for (int i = 0; i < 200; i++)
			f(CLOCK_MONOTONIC, &t);
		double d = (now_ns() - t0) / 200;
		if (d < best)
			best = d;
	}
	return best;
}

static int sys_clock_gettime(clockid_t c, struct timespec *t)
{
	return (int)syscall(SYS_clock_gettime, c, t);
}

/* The vDSO reads the clock itself; it does not just make the system
 * call. Linux and Vireo's do; some emulators' vDSOs do not. */
static void check_no_trap(clock_gettime_t cg)
{
	double tv = cost(cg), ts = cost(sys_clock_gettime);

	printf("# clock_gettime(CLOCK_MONOTONIC): vdso %.0f ns, syscall %.0f ns\n", tv, ts);
	CHECK_LAYOUT(tv * 2 < ts, "vdso clock_gettime costs < half a syscall");
#ifdef __riscv
	/* rdtime is csrrs rd, time (0xc01), x0: look for it in the whole
	 * image (the clock code may sit in a helper function). */
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)v.base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(v.base + eh->e_phoff);
	bool rdtime = false;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		const uint16_t *p = (const uint16_t *)(v.bias + ph[i].p_vaddr);
		for (size_t j = 0; j + 1 < ph[i].p_filesz / 2; j++)
			if (((p[j] | (uint32_t)p[j + 1] << 16) & 0xfffff07f) == 0xc0102073)
				rdtime = true;
	}
	CHECK_LAYOUT(rdtime, "vdso code reads the time CSR (rdtime)");
#endif
}

#ifdef __riscv
static volatile uintptr_t handler_ra;
static volatile int handled;

static __attribute__((noinline)) void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	handler_ra = (uintptr_t)__builtin_return_address(0);
	handled = sig;
}

/* riscv has no sa_restorer: the kernel points a handler's ra at
 * __vdso_rt_sigreturn, and returning there resumes the program. */
static void check_sigreturn(void *tramp)
{
	struct sigaction sa;
	sigset_t cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	const uint32_t *code = tramp;
	CHECK(code[0] == 0x08b00893 && code[1] == 0x00000073,
	      "__vdso_rt_sigreturn is li a7, 139; ecall");
	raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK(handled == SIGUSR1 && handler_ra == (uintptr_t)tramp && !sigismember(&cur, SIGUSR1),
	      "a handler returns through __vdso_rt_sigreturn, mask restored");
	signal(SIGUSR1, SIG_DFL);
}
#endif

/* /proc/self/maps: [vvar] right below [vdso], which starts at the auxv
 * address; the data page is read-only and stays so. */
static void check_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	unsigned long lo, hi, vvar_lo = 0, vvar_hi = 0, vdso_lo = 0;
	char perms[8] = "", vvar_perms[8] = "", vdso_perms[8] = "";

	if (!f) {
		printf("ok %d [vvar] and [vdso] in /proc/self/maps # SKIP no /proc\n", ++ktap_n);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (strstr(line, "[vvar]") && !vvar_lo) {
			vvar_lo = lo;
			vvar_hi = hi;
			strcpy(vvar_perms, perms);
		}
		if (strstr(line, "[vdso]") && !vdso_lo) {
			vdso_lo = lo;
			strcpy(vdso_perms, perms);
		}
	}
	fclose(f);
	CHECK(vdso_lo == v.base && !strcmp(vdso_perms, "r-xp"),
	      "[vdso] in /proc/self/maps at AT_SYSINFO_EHDR, r-xp");
#ifdef __riscv /* x86-64 Linux puts [vvar] pages elsewhere too */
	CHECK_LAYOUT(vvar_hi == vdso_lo && !strcmp(vvar_perms, "r--p"),
	      "[vvar] right below [vdso], r--p");
#endif
	if (vvar_lo) {
		errno = 0;
		int rc = mprotect((void *)vvar_lo, vvar_hi - vvar_lo, PROT_READ | PROT_WRITE);
		CHECK(rc == -1 && errno == EACCES, "mprotect([vvar], PROT_WRITE): EACCES");
	}
}

static void check_fork(clock_gettime_t cg)
{
	pid_t p = fork();
	if (p == 0) {
		struct timespec a, b, c;
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
		int rc = cg(CLOCK_MONOTONIC, &b);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &c);
		_exit(rc == 0 && ts_ns(&a) <= ts_ns(&b) && ts_ns(&b) <= ts_ns(&c) ? 0 : 1);
	}
	int st = -1;
	waitpid(p, &st, 0);
	CHECK(p > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "a forked child's vdso works");
}

int main(void)
{
	vireo = on_vireo();
	uintptr_t base = getauxval(AT_SYSINFO_EHDR);

	KTAP_START("vdso");
	if (!base && !vireo) {
		printf("ok 1 vDSO mapped # SKIP no vDSO\n");
		ktap_n = 1;
		return ktap_done();
	}
	CHECK(base != 0, "AT_SYSINFO_EHDR is set");
	if (!base)
		return ktap_done();
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	CHECK(!memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_type == ET_DYN,
	      "AT_SYSINFO_EHDR points at an ELF shared object");
	CHECK(vdso_parse(base), "PT_LOAD, PT_DYNAMIC, DT_SYMTAB, DT_STRTAB found");
	CHECK((v.hash || v.gnu_hash) && v.versym && v.verdef, "a hash table, DT_VERSYM, DT_VERDEF");
	CHECK_LAYOUT(v.hash && v.gnu_hash, "DT_HASH and DT_GNU_HASH (--hash-style=both)");
	CHECK(v.soname && !strcmp(v.soname, "linux-vdso.so.1"), "soname linux-vdso.so.1");
	CHECK_LAYOUT(linux_note() >= 0x040f00, "PT_NOTE: the \"Linux\" version note, 4.15 or later");

	clock_gettime_t cg = vdso_sym("__vdso_clock_gettime");
	gettimeofday_t gtod = vdso_sym("__vdso_gettimeofday");
	clock_getres_t gr = vdso_sym("__vdso_clock_getres");
	getcpu_t gc = vdso_sym("__vdso_getcpu");
	CHECK(cg, "__vdso_clock_gettime@" VDSO_VERSION " (both hash tables)");
	CHECK(gtod, "__vdso_gettimeofday@" VDSO_VERSION " (both hash tables)");
	CHECK(gr, "__vdso_clock_getres@" VDSO_VERSION " (both hash tables)");
	CHECK(gc, "__vdso_getcpu@" VDSO_VERSION " (both hash tables)");
	CHECK(!vdso_sym("__vdso_no_such_function") && !lookup_gnu("__vdso_no_such_function"),
	      "an unknown name is not found");
#ifdef __riscv
	void *tramp = vdso_sym("__vdso_rt_sigreturn");
	CHECK(tramp, "__vdso_rt_sigreturn@" VDSO_VERSION " (both hash tables)");
	int (*flush)(void *, void *, unsigned long) = vdso_sym("__vdso_flush_icache");
	CHECK(flush && flush(NULL, NULL, 0) == sys(259, 0, 0, 0),
	      "__vdso_flush_icache: the riscv_flush_icache syscall's result");
#endif
	if (!cg || !gtod || !gr || !gc)
		return ktap_done();

	check_clock(cg, CLOCK_REALTIME, "CLOCK_REALTIME");
	check_clock(cg, CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	check_clock(cg, CLOCK_BOOTTIME, "CLOCK_BOOTTIME");
	check_clock(cg, CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW");
	check_clock(cg, CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE");
	check_clock(cg, CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE");
	check_gettimeofday(gtod);
	check_getres(gr);
	check_fallbacks(cg);
	check_getcpu(gc);
	check_no_trap(cg);
#ifdef __riscv
	if (tramp)
		check_sigreturn(tramp);
#endif
	check_maps();
	check_fork(cg);
	return ktap_done();
}
