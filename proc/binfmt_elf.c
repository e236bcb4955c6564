/* load_elf_binary (Linux: fs/binfmt_elf.c): check the ELF headers, map the
 * PT_LOAD segments as private file mappings (bss anonymous), load the
 * program interpreter named by PT_INTERP (the dynamic linker) beside it,
 * and lay out argc/argv/envp/auxv at the top of the new stack. */
#include "proc/binfmt.h"
#include "proc/cred.h"
#include "arch/riscv/vdso.h"
#include "proc/elf.h"
#include "proc/exit.h"
#include "proc/signal.h"
#include "proc/task.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/file.h"
#include "proc/exec.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define ELF_ET_DYN_BASE ((USER_VA_END / 3 * 2) & PAGE_MASK)
#define AUXV_PAIRS 22

static unsigned long elf_hwcap;

/* AT_HWCAP on riscv: one bit per single-letter extension in riscv,isa. */
void exec_set_hwcap(const char *isa)
{
	if (strncmp(isa, "rv64", 4) != 0)
		return;
	for (const char *p = isa + 4; *p && *p != '_'; p++)
		if (*p >= 'a' && *p <= 'z')
			elf_hwcap |= 1UL << (*p - 'a');
}

struct elf_image {
	struct inode *inode;
	struct file *file;
	Elf64_Ehdr eh;
	Elf64_Phdr *phdrs;
	unsigned long bias;       /* added to every p_vaddr */
};

static int elf_read_image(struct elf_image *im)
{
	ssize_t n = inode_read(im->inode, &im->eh, sizeof(im->eh), 0);

	/* The header check needs the file size to bound the phdr table. */
	if (n < (ssize_t)sizeof(im->eh) || elf_check_header(&im->eh, im->inode->i_size))
		return -ENOEXEC;
	size_t sz = (size_t)im->eh.e_phnum * sizeof(Elf64_Phdr);
	im->phdrs = kmalloc(sz);
	if (!im->phdrs)
		return -ENOMEM;
	if (inode_read(im->inode, im->phdrs, sz, im->eh.e_phoff) != (ssize_t)sz)
		return -ENOEXEC;
	return elf_check_phdrs(&im->eh, im->phdrs, im->inode->i_size);
}

static const Elf64_Phdr *find_phdr(const struct elf_image *im, u32 type)
{
	for (int i = 0; i < im->eh.e_phnum; i++)
		if (im->phdrs[i].p_type == type)
			return &im->phdrs[i];
	return NULL;
}

/* Read and open the interpreter PT_INTERP names. */
static int open_interp(const struct elf_image *exe, struct elf_image *in)
{
	const Elf64_Phdr *ph = find_phdr(exe, PT_INTERP);
	char *path;
	int err;

	if (!ph)
		return 0;
	if (ph->p_filesz < 2 || ph->p_filesz > ELF_MAX_INTERP)
		return -ENOEXEC;
	path = kmalloc(ph->p_filesz);
	if (!path)
		return -ENOMEM;
	err = inode_read(exe->inode, path, ph->p_filesz, ph->p_offset) == (ssize_t)ph->p_filesz
		      ? elf_check_interp(path, ph->p_filesz) : -ENOEXEC;
	if (!err) {
		struct file *f = open_exec_at(AT_FDCWD, path, 0);
		if (IS_ERR(f)) {
			err = (int)PTR_ERR(f);
		} else {
			in->file = f;
			in->inode = f->f_inode;
		}
	}
	kfree(path);
	if (err)
		return err;
	if ((err = elf_read_image(in)))
		return err;
	if (find_phdr(in, PT_INTERP))
		return -ELOOP; /* an interpreter needs no interpreter */
	return 0;
}

static unsigned long elf_prot(u32 pflags)
{
	return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) |
	       (pflags & PF_X ? PROT_EXEC : 0);
}

static unsigned long map_locked(struct file *f, unsigned long addr, unsigned long len,
				unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	mmap_write_lock(current->mm);
	unsigned long r = do_mmap(f, addr, len, prot, flags, pgoff);
	mmap_write_unlock(current->mm);
	return r;
}

/* One PT_LOAD: the file part as a private file mapping (pages come from
 * the page cache on first touch), the rest (bss) as anonymous memory. */
static int elf_map_segment(struct elf_image *im, const Elf64_Phdr *ph)
{
	unsigned long addr = im->bias + ph->p_vaddr;
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);
	unsigned long file_end = addr + ph->p_filesz, mem_end = addr + ph->p_memsz;
	unsigned long prot = elf_prot(ph->p_flags), r;

	if (ph->p_filesz) {
		r = map_locked(im->file, start, ALIGN_UP(file_end, PAGE_SIZE) - start, prot,
			       MAP_PRIVATE | MAP_FIXED, ALIGN_DOWN(ph->p_offset, PAGE_SIZE) >> PAGE_SHIFT);
		if (IS_ERR_VALUE(r))
			return (int)r;
	}
	if (ph->p_memsz <= ph->p_filesz)
		return 0;
	/* The rest of the last file page belongs to the bss: zero it (the
	 * write fault gives this process its own copy of that page). */
	unsigned long pad = ALIGN_UP(file_end, PAGE_SIZE) - file_end;
	if (ph->p_filesz && pad && (ph->p_flags & PF_W)) {
		static const u8 zeros[256];
		for (unsigned long a = file_end; a < file_end + pad;) {
			size_t c = MIN(sizeof(zeros), file_end + pad - a);
			if (access_remote_vm(current->mm, a, (void *)zeros, c, true))
				return -EFAULT;
			a += c;
		}
	}
	unsigned long anon = ph->p_filesz ? ALIGN_UP(file_end, PAGE_SIZE) : start;
	if (ALIGN_UP(mem_end, PAGE_SIZE) > anon) {
		r = map_locked(NULL, anon, ALIGN_UP(mem_end, PAGE_SIZE) - anon, prot,
			       MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(r))
			return (int)r;
	}
	return 0;
}

/* Map every PT_LOAD; returns the end of the highest one. */
static int elf_map_image(struct elf_image *im, unsigned long *end)
{
	*end = 0;
	for (int i = 0; i < im->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &im->phdrs[i];
		if (ph->p_type != PT_LOAD)
			continue;
		int err = elf_map_segment(im, ph);
		if (err)
			return err;
		*end = MAX(*end, im->bias + ph->p_vaddr + ph->p_memsz);
	}
	return 0;
}

/* Where a position-independent interpreter goes: a free range below
 * mmap_base big enough for all its segments. */
static int place_interp(struct elf_image *in)
{
	unsigned long lo = ~0UL, hi = 0;

	for (int i = 0; i < in->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &in->phdrs[i];
		if (ph->p_type == PT_LOAD) {
			lo = MIN(lo, ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE));
			hi = MAX(hi, ALIGN_UP(ph->p_vaddr + ph->p_memsz, PAGE_SIZE));
		}
	}
	if (in->eh.e_type != ET_DYN)
		return 0;
	mmap_read_lock(current->mm);
	unsigned long base = unmapped_area_topdown(current->mm, hi - lo, MMAP_MIN_ADDR,
						   current->mm->mmap_base);
	mmap_read_unlock(current->mm);
	if (IS_ERR_VALUE(base))
		return (int)base;
	in->bias = base - lo;
	return 0;
}

static unsigned long phdr_addr(const struct elf_image *im)
{
	const Elf64_Phdr *ph = find_phdr(im, PT_PHDR);

	if (ph)
		return im->bias + ph->p_vaddr;
	for (int i = 0; i < im->eh.e_phnum; i++) {
		ph = &im->phdrs[i];
		if (ph->p_type == PT_LOAD && im->eh.e_phoff >= ph->p_offset &&
		    im->eh.e_phoff < ph->p_offset + ph->p_filesz)
			return im->bias + ph->p_vaddr + (im->eh.e_phoff - ph->p_offset);
	}
	return 0;
}

static unsigned long tables_size(const struct linux_binprm *b)
{
	return (unsigned long)(1 + b->argc + 1 + b->envc + 1) * 8 + AUXV_PAIRS * 16 + 16;
}

/* argc, argv[], envp[], auxv below the strings, 16-byte aligned. */
static unsigned long create_elf_tables(struct linux_binprm *b, const struct elf_image *exe,
				       const struct elf_image *in, unsigned long vdso)
{
	const struct cred *c = current_cred(); /* the new program's (begin_new_exec) */
	unsigned long auxv[AUXV_PAIRS * 2] = {
		AT_HWCAP, elf_hwcap, AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, 100,
		AT_PHDR, phdr_addr(exe), AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, exe->eh.e_phnum,
		AT_BASE, in ? in->bias : 0, AT_FLAGS, 0, AT_ENTRY, exe->bias + exe->eh.e_entry,
		AT_UID, c->uid, AT_EUID, c->euid, AT_GID, c->gid, AT_EGID, c->egid,
		AT_SECURE, b->secureexec,
		AT_RANDOM, b->random, AT_EXECFN, b->execfn, AT_SYSINFO_EHDR, vdso, AT_NULL, 0,
	};
	struct mm_struct *mm = current->mm;
	unsigned long sp = ALIGN_DOWN(b->p - tables_size(b), 16);
	unsigned long *v = (unsigned long *)bprm_kaddr(b, sp);
	unsigned long s = b->argv_start;

	*v++ = b->argc;
	mm->arg_start = s;
	for (int i = 0; i < b->argc; i++, s += strlen(bprm_kaddr(b, s)) + 1)
		*v++ = s;
	*v++ = 0;
	mm->arg_end = mm->env_start = s;
	for (int i = 0; i < b->envc; i++, s += strlen(bprm_kaddr(b, s)) + 1)
		*v++ = s;
	*v++ = 0;
	mm->env_end = s;
	memcpy(v, auxv, sizeof(auxv));
	return sp;
}

static void put_image(struct elf_image *im)
{
	if (im->file)
		fput(im->file); /* it holds the inode */
	kfree(im->phdrs);
}

int load_elf_binary(struct linux_binprm *b)
{
	struct elf_image exe = { .inode = b->inode, .file = b->file }, in = { 0 };
	unsigned long end, entry;
	int err;

	if (memcmp(b->buf, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if ((err = elf_read_image(&exe)) || (err = open_interp(&exe, &in)))
		goto out;
	if (b->p - tables_size(b) < STACK_TOP - ARG_MAX_BYTES + PAGE_SIZE) {
		err = -E2BIG;
		goto out;
	}
	exe.bias = exe.eh.e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	if ((err = begin_new_exec(b)))
		goto out;
	/* From here on a failure cannot return to the old program. */
	if ((err = elf_map_image(&exe, &end)))
		goto fatal;
	current->mm->start_brk = current->mm->brk = ALIGN_UP(end, PAGE_SIZE);
	for (int i = 0; i < exe.eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &exe.phdrs[i];
		unsigned long va = exe.bias + ph->p_vaddr;
		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_flags & PF_X) {
			current->mm->start_code = current->mm->start_code ? MIN(current->mm->start_code, va) : va;
			current->mm->end_code = MAX(current->mm->end_code, va + ph->p_filesz);
		} else {
			current->mm->start_data = current->mm->start_data ? MIN(current->mm->start_data, va) : va;
			current->mm->end_data = MAX(current->mm->end_data, va + ph->p_filesz);
		}
	}
	entry = exe.bias + exe.eh.e_entry;
	if (in.inode) {
		if ((err = place_interp(&in)) || (err = elf_map_image(&in, &end)))
			goto fatal;
		entry = in.bias + in.eh.e_entry;
	}
	unsigned long vdso;
	if ((err = arch_setup_additional_pages(current->mm, &vdso)))
		goto fatal;
	unsigned long sp = create_elf_tables(b, &exe, in.inode ? &in : NULL, vdso);
	if ((err = setup_arg_pages(b, sp)))
		goto fatal;
	start_thread(entry, sp);
	err = 0;
	goto out;
fatal:
	pr_err("%s[%d]: exec failed after the point of no return (error %d)\n", current->comm,
	       current->pid, err);
	put_image(&in);
	kfree(exe.phdrs);
	do_group_exit(SIGKILL);
out:
	put_image(&in);
	kfree(exe.phdrs); /* exe's file and inode belong to the bprm */
	return err;
}
