/* ELF64 header and program header validation for exec: everything the
 * loader later uses as a size, offset or address is bounds-checked here,
 * with arithmetic that cannot overflow. */
#include "proc/elf.h"
#include "kernel/errno.h"
#include "kernel/string.h"

int elf_check_header(const void *buf, size_t len)
{
	Elf64_Ehdr eh;

	if (!buf || len < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, buf, sizeof(eh));   /* buf need not be aligned */

	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_ident[EI_VERSION] != EV_CURRENT ||
	    eh.e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh.e_machine != EM_RISCV)
		return -ENOEXEC;
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return -ENOEXEC;

	/* The program header table: whole entries, a sane count, inside buf. */
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return -ENOEXEC;
	if (eh.e_phnum < 1 || eh.e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	if (eh.e_phoff > len ||
	    (u64)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return -ENOEXEC;
	return 0;
}

/* a + b, unless that overflows 64 bits: then false. */
static bool add_ok(u64 a, u64 b, u64 *sum)
{
	return !__builtin_add_overflow(a, b, sum);
}

int elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, u64 file_size)
{
	int nload = 0, ninterp = 0;
	u64 prev_end = 0;

	if (eh->e_phnum < 1 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		u64 file_end, mem_end;

		if (p->p_type == PT_INTERP) {
			/* At most one; its path lies within the file. */
			if (++ninterp > 1)
				return -ENOEXEC;
			if (p->p_filesz < 2 || p->p_filesz > ELF_MAX_INTERP)
				return -ENOEXEC;
			if (!add_ok(p->p_offset, p->p_filesz, &file_end) ||
			    file_end > file_size)
				return -ENOEXEC;
			continue;
		}
		if (p->p_type != PT_LOAD)
			continue;

		nload++;
		if (!add_ok(p->p_offset, p->p_filesz, &file_end) ||
		    file_end > file_size)
			return -ENOEXEC;        /* file bytes past the end */
		if (p->p_filesz > p->p_memsz)
			return -EINVAL;
		if (!add_ok(p->p_vaddr, p->p_memsz, &mem_end) ||
		    mem_end > USER_VA_END)
			return -EINVAL;
		if (p->p_align > 1) {
			if (p->p_align & (p->p_align - 1))
				return -EINVAL; /* not a power of two */
			/* mmap-style loading needs file page <-> memory page. */
			if ((p->p_offset & (PAGE_SIZE - 1)) != (p->p_vaddr & (PAGE_SIZE - 1)))
				return -EINVAL;
		}
		/* The ELF spec orders PT_LOADs by address; the loader relies on
		 * it to size the image. They may share a page, not bytes. */
		if (p->p_vaddr < prev_end)
			return -EINVAL;
		prev_end = mem_end;
	}
	if (nload == 0)
		return -ENOEXEC;
	return 0;
}

int elf_check_interp(const char *interp, u64 n)
{
	if (!interp || n < 2 || n > ELF_MAX_INTERP)
		return -ENOEXEC;
	if (interp[n - 1] != '\0' || strnlen(interp, n) != n - 1)
		return -ENOEXEC;
	return 0;
}
