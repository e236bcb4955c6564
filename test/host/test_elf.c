/* Host unit test for proc/elf.c: a hand-made RISC-V executable and every
 * way to corrupt it (each ident byte, truncations, phnum/phoff overflows,
 * segment geometry), /bin/ls (x86-64: rejected for its machine only), and
 * riscv64 binaries compiled here when the cross compiler is installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/ktest.h"
#include "proc/elf.h"
#include "kernel/errno.h"

#define SKIP(name, why) \
	printf("ok %d %s # SKIP %s\n", ++ktest_n, name, why)

/* ---- a small valid image -------------------------------------------------- */

#define NPH 4
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[NPH];
};

/* text at 0x10000 (file 0..0x1800), data at 0x11800 sharing a page with
 * it (file 0x1800..0x1900, bss to 0x13000), GNU_STACK, PT_INTERP. */
static void make_image(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_RISCV;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x10078;
	im->eh.e_phoff = sizeof(Elf64_Ehdr);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = NPH;
	im->ph[0] = (Elf64_Phdr){ PT_INTERP, PF_R, 0x200, 0x10200, 0x10200, 12, 12, 1 };
	im->ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0x10000, 0x10000, 0x1800, 0x1800, 0x1000 };
	im->ph[2] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0x1800, 0x11800, 0x11800, 0x100, 0x1800, 0x1000 };
	im->ph[3] = (Elf64_Phdr){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };
}

#define FILE_SIZE 0x1900

static int hdr(const struct image *im)
{
	return elf_check_header(im, sizeof(*im));
}

static int phdrs(const struct image *im)
{
	return elf_check_phdrs(&im->eh, im->ph, FILE_SIZE);
}

/* ---- helpers ------------------------------------------------------------------ */

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = realloc(buf, cap = cap * 2 + 65536);
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* The program headers of a whole file in buf, copied out aligned. */
static Elf64_Phdr *get_phdrs(const u8 *buf, Elf64_Ehdr *eh)
{
	Elf64_Phdr *ph;

	memcpy(eh, buf, sizeof(*eh));
	ph = malloc(eh->e_phnum * sizeof(*ph));
	memcpy(ph, buf + eh->e_phoff, eh->e_phnum * sizeof(*ph));
	return ph;
}

/* The PT_INTERP string of a file, checked; NULL if none. */
static const char *interp_of(const u8 *buf, const Elf64_Ehdr *eh, const Elf64_Phdr *ph, int *err)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_INTERP) {
			*err = elf_check_interp((const char *)buf + ph[i].p_offset, ph[i].p_filesz);
			return (const char *)buf + ph[i].p_offset;
		}
	*err = 0;
	return NULL;
}

/* ---- tests --------------------------------------------------------------------- */

static void test_header(void)
{
	struct image im, *t;
	u8 *mis;
	int bad = 0;

	make_image(&im);
	CHECK(sizeof(Elf64_Ehdr) == 64 && sizeof(Elf64_Phdr) == 56, "struct sizes 64 and 56");
	CHECK(hdr(&im) == 0, "valid ET_EXEC header");
	im.eh.e_type = ET_DYN;
	CHECK(hdr(&im) == 0, "valid ET_DYN header");

	/* unaligned buffer */
	mis = malloc(sizeof(im) + 1);
	memcpy(mis + 1, &im, sizeof(im));
	CHECK(elf_check_header(mis + 1, sizeof(im)) == 0, "header at an odd address");
	free(mis);

	/* every truncation, in an exactly sized buffer */
	for (size_t len = 0; len < sizeof(im); len++) {
		u8 *b = malloc(len ? len : 1);

		memcpy(b, &im, len);
		if (elf_check_header(b, len) != -ENOEXEC)
			bad++;
		free(b);
	}
	CHECK(bad == 0, "every truncation (0..287 bytes): -ENOEXEC");
	CHECK(elf_check_header(NULL, 64) == -ENOEXEC, "NULL buffer: -ENOEXEC");
	{
		/* exec's use: the 64-byte header alone, len = the file size */
		Elf64_Ehdr *alone = malloc(sizeof(*alone));

		memcpy(alone, &im.eh, sizeof(*alone));
		CHECK(elf_check_header(alone, 0x10000) == 0,
		      "64-byte buffer with len = file size: reads only the header");
		free(alone);
	}

#define BAD(field_set, name)                         \
	do {                                         \
		make_image(&im);                     \
		field_set;                           \
		CHECK(hdr(&im) == -ENOEXEC, name);   \
	} while (0)
	bad = 0;
	for (int i = 0; i < 4; i++) {
		make_image(&im);
		im.eh.e_ident[i] ^= 0x20;
		if (hdr(&im) != -ENOEXEC)
			bad++;
	}
	CHECK(bad == 0, "each magic byte wrong: -ENOEXEC");
	BAD(im.eh.e_ident[EI_CLASS] = ELFCLASS32, "ELFCLASS32: -ENOEXEC");
	BAD(im.eh.e_ident[EI_CLASS] = 0, "ELFCLASSNONE: -ENOEXEC");
	BAD(im.eh.e_ident[EI_DATA] = ELFDATA2MSB, "big-endian: -ENOEXEC");
	BAD(im.eh.e_ident[EI_VERSION] = 0, "e_ident version 0: -ENOEXEC");
	BAD(im.eh.e_version = 2, "e_version 2: -ENOEXEC");
	BAD(im.eh.e_machine = EM_X86_64, "x86-64: -ENOEXEC");
	BAD(im.eh.e_machine = EM_AARCH64, "aarch64: -ENOEXEC");
	BAD(im.eh.e_type = ET_REL, "ET_REL: -ENOEXEC");
	BAD(im.eh.e_type = ET_CORE, "ET_CORE: -ENOEXEC");
	BAD(im.eh.e_type = ET_NONE, "ET_NONE: -ENOEXEC");
	BAD(im.eh.e_phentsize = 32, "phentsize 32: -ENOEXEC");
	BAD(im.eh.e_phentsize = 64, "phentsize 64: -ENOEXEC");
	BAD(im.eh.e_phnum = 0, "phnum 0: -ENOEXEC");
	BAD(im.eh.e_phnum = 0xffff, "phnum 65535: -ENOEXEC");
	BAD(im.eh.e_phnum = NPH + 1, "phnum one past the buffer: -ENOEXEC");
	BAD(im.eh.e_phoff = sizeof(im) - 55, "phoff: table 1 byte past the buffer: -ENOEXEC");
	BAD(im.eh.e_phoff = sizeof(im) + 1, "phoff past the buffer: -ENOEXEC");
	BAD(im.eh.e_phoff = ~0ULL, "phoff 2^64-1: -ENOEXEC");
	BAD(im.eh.e_phoff = -(u64)sizeof(Elf64_Phdr), "phoff 2^64-56 (wraps to 0): -ENOEXEC");
	BAD(im.eh.e_phoff = -(u64)(2 * sizeof(Elf64_Phdr)), "phoff 2^64-112: -ENOEXEC");
#undef BAD

	make_image(&im);
	im.eh.e_phoff = sizeof(im) - sizeof(Elf64_Phdr);
	im.eh.e_phnum = 1;
	CHECK(hdr(&im) == 0, "one phdr ending exactly at the buffer end: ok");

	/* the phnum limit: 1170 entries (65520 bytes) ok, 1171 not */
	t = calloc(1, 64 + 1171 * sizeof(Elf64_Phdr));
	make_image(&im);
	memcpy(t, &im.eh, sizeof(im.eh));
	t->eh.e_phnum = 1170;
	CHECK(ELF_MAX_PHNUM == 1170 && elf_check_header(t, 64 + 1171 * sizeof(Elf64_Phdr)) == 0,
	      "phnum 1170: ok");
	t->eh.e_phnum = 1171;
	CHECK(elf_check_header(t, 64 + 1171 * sizeof(Elf64_Phdr)) == -ENOEXEC, "phnum 1171: -ENOEXEC");
	free(t);
}

static void test_phdrs(void)
{
	struct image im;

	make_image(&im);
	CHECK(phdrs(&im) == 0, "valid program headers (two PT_LOADs sharing a page)");
	CHECK(elf_check_phdrs(&im.eh, im.ph, FILE_SIZE - 1) == -ENOEXEC,
	      "file one byte shorter than the data segment: -ENOEXEC");

#define PH(field_set, want, name)                     \
	do {                                          \
		make_image(&im);                      \
		field_set;                            \
		CHECK(phdrs(&im) == (want), name);    \
	} while (0)
	PH(im.ph[2].p_memsz = 0xff, -EINVAL, "filesz > memsz: -EINVAL");
	PH((im.ph[2].p_filesz = 0x1800, im.ph[2].p_memsz = 0x1800), -ENOEXEC,
	   "filesz == memsz but past the file: -ENOEXEC");
	PH(im.ph[2].p_offset = ~0ULL - 0x7f, -ENOEXEC, "offset + filesz overflows: -ENOEXEC");
	PH(im.ph[1].p_filesz = ~0ULL, -ENOEXEC, "filesz 2^64-1: -ENOEXEC");
	PH((im.ph[2].p_vaddr = ~0ULL - 0xfff + 0x800, im.ph[2].p_memsz = 0x1000), -EINVAL,
	   "vaddr + memsz overflows: -EINVAL");
	PH((im.ph[2].p_vaddr = USER_VA_END - 0x1800, im.ph[2].p_offset = 0x1800), 0,
	   "segment ending exactly at USER_VA_END: ok");
	PH(im.ph[2].p_vaddr = USER_VA_END - 0x1800 + 0x1000, -EINVAL,
	   "segment ending past USER_VA_END: -EINVAL");
	PH(im.ph[2].p_vaddr = 0x11900, -EINVAL, "offset and vaddr not congruent mod PAGE_SIZE: -EINVAL");
	PH((im.ph[2].p_vaddr = 0x11900, im.ph[2].p_align = 1), 0, "... but fine with p_align 1");
	PH((im.ph[2].p_vaddr = 0x11900, im.ph[2].p_align = 0), 0, "... and with p_align 0");
	PH(im.ph[2].p_align = 0x1800, -EINVAL, "p_align not a power of two: -EINVAL");
	PH(im.ph[2].p_align = 0x10000, 0, "p_align 64 KiB: ok");
	PH((im.ph[1].p_vaddr = 0x20000, im.ph[2].p_vaddr = 0x11800), -EINVAL,
	   "PT_LOADs out of address order: -EINVAL");
	PH(im.ph[2].p_vaddr = 0x10800, -EINVAL, "PT_LOADs overlapping: -EINVAL");
	PH((im.ph[1].p_type = PT_NOTE, im.ph[2].p_type = PT_GNU_RELRO), -ENOEXEC,
	   "no PT_LOAD: -ENOEXEC");
	PH(im.ph[3] = im.ph[0], -ENOEXEC, "two PT_INTERP: -ENOEXEC");
	PH(im.ph[0].p_offset = FILE_SIZE - 11, -ENOEXEC, "PT_INTERP past the end of the file: -ENOEXEC");
	PH(im.ph[0].p_offset = FILE_SIZE - 12, 0, "PT_INTERP ending at the end of the file: ok");
	PH(im.ph[0].p_offset = ~0ULL - 5, -ENOEXEC, "PT_INTERP offset overflows: -ENOEXEC");
	PH(im.ph[0].p_filesz = 1, -ENOEXEC, "PT_INTERP of 1 byte: -ENOEXEC");
	PH(im.ph[0].p_filesz = 4097, -ENOEXEC, "PT_INTERP over 4096 bytes: -ENOEXEC");
	PH(im.ph[3].p_offset = ~0ULL, 0, "other segment types are not checked");
	PH(im.eh.e_phnum = 0, -ENOEXEC, "e_phnum 0: -ENOEXEC");
	PH((im.ph[2].p_memsz = 0, im.ph[2].p_filesz = 0), 0, "empty PT_LOAD: ok");
#undef PH

	CHECK(elf_check_interp("/lib/ld.so", 11) == 0, "interp '/lib/ld.so\\0': ok");
	CHECK(elf_check_interp("/lib/ld.so", 10) == -ENOEXEC, "interp without its NUL: -ENOEXEC");
	CHECK(elf_check_interp("/lib\0d.so", 10) == -ENOEXEC, "interp with a NUL inside: -ENOEXEC");
	CHECK(elf_check_interp("", 1) == -ENOEXEC && elf_check_interp("", 0) == -ENOEXEC,
	      "interp of 0 or 1 byte: -ENOEXEC");
	CHECK(elf_check_interp(NULL, 5) == -ENOEXEC, "NULL interp: -ENOEXEC");
}

static void test_bin_ls(void)
{
	size_t len;
	u8 *buf = slurp("/bin/ls", &len);
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	const char *interp;
	int ierr;

	if (!buf || len < 64 || memcmp(buf, ELFMAG, 4) != 0 || buf[EI_CLASS] != ELFCLASS64) {
		SKIP("/bin/ls rejected (x86-64)", "no 64-bit /bin/ls");
		free(buf);
		return;
	}
	memcpy(&eh, buf, sizeof(eh));
	CHECK(eh.e_machine != EM_RISCV && elf_check_header(buf, len) == -ENOEXEC,
	      "/bin/ls (host machine): -ENOEXEC");
	/* Only the machine is wrong: with it patched everything else passes. */
	eh.e_machine = EM_RISCV;
	memcpy(buf, &eh, sizeof(eh));
	CHECK(elf_check_header(buf, len) == 0, "/bin/ls with e_machine patched to RISC-V: header ok");
	CHECK(elf_check_header(buf, 4096) == 0, "... from its first 4096 bytes alone");
	ph = get_phdrs(buf, &eh);
	CHECK(elf_check_phdrs(&eh, ph, len) == 0, "/bin/ls program headers ok");
	interp = interp_of(buf, &eh, ph, &ierr);
	CHECK(interp && ierr == 0 && strncmp(interp, "/lib", 4) == 0, "/bin/ls PT_INTERP string ok");
	CHECK(elf_check_phdrs(&eh, ph, len / 2) == -ENOEXEC, "/bin/ls cut in half: -ENOEXEC");
	free(ph);
	free(buf);
}

/* Compile a tiny program for riscv64 with the given flags; check it. */
static void test_riscv(const char *dir, const char *flags, const char *what, u16 want_type,
		       const char *want_interp)
{
	char cmd[512], path[128], name[128];
	size_t len;
	u8 *buf;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	const char *interp;
	int ierr, loads = 0;

	snprintf(path, sizeof(path), "%s/prog-%s", dir, what);
	snprintf(cmd, sizeof(cmd),
		 "riscv64-linux-gnu-gcc %s -O2 -o %s %s/hello.c >/dev/null 2>&1", flags, path, dir);
	snprintf(name, sizeof(name), "riscv64 %s binary accepted", what);
	if (system(cmd) != 0 || !(buf = slurp(path, &len))) {
		SKIP(name, "riscv64-linux-gnu-gcc could not build it");
		return;
	}
	memcpy(&eh, buf, sizeof(eh));
	ph = get_phdrs(buf, &eh);
	for (int i = 0; i < eh.e_phnum; i++)
		loads += ph[i].p_type == PT_LOAD;
	interp = interp_of(buf, &eh, ph, &ierr);
	CHECK(elf_check_header(buf, len) == 0 && elf_check_phdrs(&eh, ph, len) == 0 &&
	      eh.e_machine == EM_RISCV && eh.e_type == want_type && loads >= 1, name);
	snprintf(name, sizeof(name), "riscv64 %s binary: %s", what,
		 want_interp ? want_interp : "no PT_INTERP");
	CHECK(want_interp ? interp && ierr == 0 && strcmp(interp, want_interp) == 0 : !interp, name);

	snprintf(name, sizeof(name), "riscv64 %s binary: every truncated file rejected", what);
	{
		int bad = 0;
		u64 need = 0;

		/* the file must hold every PT_LOAD and PT_INTERP byte */
		for (int i = 0; i < eh.e_phnum; i++)
			if (ph[i].p_type == PT_LOAD || ph[i].p_type == PT_INTERP)
				need = need > ph[i].p_offset + ph[i].p_filesz ?
					       need : ph[i].p_offset + ph[i].p_filesz;
		for (u64 l = 0; l < need; l += 97)
			if (elf_check_phdrs(&eh, ph, l) != -ENOEXEC)
				bad++;
		CHECK(bad == 0 && elf_check_phdrs(&eh, ph, need) == 0, name);
	}
	free(ph);
	free(buf);
}

int main(void)
{
	char dir[64] = "/tmp/test_elf.XXXXXX", cmd[256];
	FILE *f;

	test_header();
	test_phdrs();
	test_bin_ls();

	if (system("command -v riscv64-linux-gnu-gcc >/dev/null 2>&1") != 0 || !mkdtemp(dir)) {
		SKIP("riscv64 binaries", "riscv64-linux-gnu-gcc not installed");
	} else {
		snprintf(cmd, sizeof(cmd), "%s/hello.c", dir);
		f = fopen(cmd, "w");
		fputs("#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n", f);
		fclose(f);
		test_riscv(dir, "-static", "static", ET_EXEC, NULL);
		test_riscv(dir, "", "dynamic", ET_DYN, "/lib/ld-linux-riscv64-lp64d.so.1");
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return KTEST_DONE();
}
