/* The [vdso] page (see vdso.h): a hand-built, minimal but valid ELF shared
 * object holding the signal trampoline, and its mapping into address
 * spaces. */
#include "arch/riscv/vdso.h"
#include "proc/elf.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "kernel/errno.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

/*
 * The image has an ELF header, a PT_LOAD and a PT_DYNAMIC, a one-symbol
 * dynamic symbol table with a SysV hash table, section headers for tools
 * (readelf, gdb) and the code. glibc (static and ld.so) parses it through
 * AT_SYSINFO_EHDR and finds none of the functions it looks for
 * (__vdso_clock_gettime...), so it makes system calls instead.
 */

/* ELF structures proc/elf.h does not need. */
struct vdso_dyn {
	s64 d_tag;
	u64 d_val;
};
struct vdso_sym {
	u32 st_name;
	u8 st_info;
	u8 st_other;
	u16 st_shndx;
	u64 st_value;
	u64 st_size;
};
struct vdso_shdr {
	u32 sh_name, sh_type;
	u64 sh_flags, sh_addr, sh_offset, sh_size;
	u32 sh_link, sh_info;
	u64 sh_addralign, sh_entsize;
};
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define DT_SYMENT 11
#define DT_SONAME 14
#define SHT_PROGBITS 1
#define SHT_STRTAB 3
#define SHT_HASH 5
#define SHT_DYNAMIC 6
#define SHT_DYNSYM 11
#define SHF_ALLOC 0x2
#define SHF_EXECINSTR 0x4
#define STB_GLOBAL 1
#define STT_FUNC 2

#define DYNSTR "\0__vdso_rt_sigreturn\0linux-vdso.so.1"
#define DYNSTR_SYM 1   /* "__vdso_rt_sigreturn" */
#define DYNSTR_SONAME 21 /* "linux-vdso.so.1" */
#define SHSTRTAB "\0.hash\0.dynsym\0.dynstr\0.text\0.dynamic\0.shstrtab"
enum { SH_NULL, SH_HASH, SH_DYNSYM, SH_DYNSTR, SH_TEXT, SH_DYNAMIC, SH_SHSTRTAB, SH_NUM };

/* The whole image; linked at address 0, so offsets are addresses. */
struct vdso_image {
	Elf64_Ehdr ehdr;
	Elf64_Phdr phdr[2];
	struct vdso_dyn dyn[7];
	u32 hash[5];              /* nbucket 1, nchain 2, bucket[0], chain[0..1] */
	struct vdso_sym sym[2];   /* [0] is the null symbol */
	char dynstr[sizeof(DYNSTR)];
	u32 text[4] __aligned(16);
	char shstrtab[sizeof(SHSTRTAB)];
	struct vdso_shdr shdr[SH_NUM] __aligned(8);
};
_Static_assert(sizeof(struct vdso_image) <= PAGE_SIZE, "the vDSO fits one page");

#define OFF(f) offsetof(struct vdso_image, f)
#define SZ(f) sizeof(((struct vdso_image *)0)->f)
#define SECTION(name, type, flags, field, link, info, align, entsize) \
	{ name, type, flags, OFF(field), OFF(field), SZ(field), link, info, align, entsize }

static const struct vdso_image vdso_template = {
	.ehdr = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
			     ELFOSABI_NONE },
		.e_type = ET_DYN,
		.e_machine = EM_RISCV,
		.e_version = EV_CURRENT,
		.e_entry = 0,
		.e_phoff = OFF(phdr),
		.e_shoff = OFF(shdr),
		.e_flags = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE, /* as Linux's vdso.so */
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 2,
		.e_shentsize = sizeof(struct vdso_shdr),
		.e_shnum = SH_NUM,
		.e_shstrndx = SH_SHSTRTAB,
	},
	.phdr = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0,
		  .p_paddr = 0, .p_filesz = sizeof(struct vdso_image),
		  .p_memsz = sizeof(struct vdso_image), .p_align = PAGE_SIZE },
		/* Read-only: glibc then adds the load address when it reads
		 * the entries instead of relocating them in place. */
		{ .p_type = PT_DYNAMIC, .p_flags = PF_R, .p_offset = OFF(dyn), .p_vaddr = OFF(dyn),
		  .p_paddr = OFF(dyn), .p_filesz = SZ(dyn), .p_memsz = SZ(dyn), .p_align = 8 },
	},
	.dyn = {
		{ DT_HASH, OFF(hash) },
		{ DT_STRTAB, OFF(dynstr) },
		{ DT_SYMTAB, OFF(sym) },
		{ DT_STRSZ, SZ(dynstr) },
		{ DT_SYMENT, sizeof(struct vdso_sym) },
		{ DT_SONAME, DYNSTR_SONAME },
		{ DT_NULL, 0 },
	},
	.hash = { 1, 2, 1, 0, 0 }, /* every name hashes to bucket 0 → symbol 1 → end */
	.sym = {
		{ 0 },
		{ .st_name = DYNSTR_SYM, .st_info = (STB_GLOBAL << 4) | STT_FUNC,
		  .st_shndx = SH_TEXT, .st_value = OFF(text), .st_size = 8 },
	},
	.dynstr = DYNSTR,
	/* __vdso_rt_sigreturn: li a7, 139 (__NR_rt_sigreturn); ecall. libgcc's
	 * unwinder recognises a signal frame by exactly these two words. */
	.text = { 0x08b00893, 0x00000073, 0x00000013, 0x00000013 },
	.shstrtab = SHSTRTAB,
	.shdr = {
		[SH_HASH] = SECTION(1, SHT_HASH, SHF_ALLOC, hash, SH_DYNSYM, 0, 4, 4),
		[SH_DYNSYM] = SECTION(7, SHT_DYNSYM, SHF_ALLOC, sym, SH_DYNSTR, 1, 8,
				      sizeof(struct vdso_sym)),
		[SH_DYNSTR] = SECTION(15, SHT_STRTAB, SHF_ALLOC, dynstr, 0, 0, 1, 0),
		[SH_TEXT] = SECTION(23, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text, 0, 0, 16, 0),
		[SH_DYNAMIC] = SECTION(29, SHT_DYNAMIC, SHF_ALLOC, dyn, SH_DYNSTR, 0, 8,
				       sizeof(struct vdso_dyn)),
		[SH_SHSTRTAB] = SECTION(38, SHT_STRTAB, 0, shstrtab, 0, 0, 1, 0),
	},
};
_Static_assert(sizeof(DYNSTR) == 37 && sizeof(SHSTRTAB) == 48, "string table indexes above");

/* The one physical page every mapping shares, built on first use. Its
 * allocation reference is never dropped, so unmapping never frees it. */
static struct page *vdso_page;
static DEFINE_SPINLOCK(vdso_lock); /* protects setting vdso_page */

static struct page *vdso_get_page(void)
{
	struct page *p = __atomic_load_n(&vdso_page, __ATOMIC_ACQUIRE);

	if (p)
		return p;
	void *va = get_zeroed_page();
	if (!va)
		return NULL;
	memcpy(va, &vdso_template, sizeof(vdso_template));
	spin_lock(&vdso_lock);
	if (!vdso_page) {
		__atomic_store_n(&vdso_page, virt_to_page(va), __ATOMIC_RELEASE);
		va = NULL;
	}
	spin_unlock(&vdso_lock);
	if (va)
		free_page_va(va); /* another hart built it first */
	return vdso_page;
}

/* A fault in the [vdso] VMA: the shared page, with a reference for the PTE. */
static int vdso_fault(struct vm_fault *vmf)
{
	struct page *p = __atomic_load_n(&vdso_page, __ATOMIC_ACQUIRE);

	if (vmf->pgoff != 0 || !p)
		return VM_FAULT_SIGBUS;
	get_page(p);
	vmf->page = p;
	return 0;
}

static const struct vm_operations_struct vdso_vm_ops = {
	.fault = vdso_fault,
	.name = "[vdso]",
};

int arch_setup_additional_pages(struct mm_struct *mm, unsigned long *base_out)
{
	struct vm_area_struct *vma;
	unsigned long high, addr;
	int err;

	if (!vdso_get_page() || !(vma = vma_alloc()))
		return -ENOMEM;
	mmap_write_lock(mm);
	/* Just below mmap_base, where Linux's first top-down mapping goes. */
	high = mm->mmap_base ? mm->mmap_base : STACK_TOP - STACK_GUARD_GAP - (128UL << 20);
	addr = unmapped_area_topdown(mm, PAGE_SIZE, MMAP_MIN_ADDR, high);
	if (addr >= -4096UL) {
		err = (int)addr;
		goto fail;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + PAGE_SIZE;
	/* VM_MAYWRITE as in Linux: mprotect may make it writable (a debugger
	 * planting breakpoints); writes then go to a private copy. */
	vma->vm_flags = VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_DONTEXPAND;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_ops = &vdso_vm_ops;
	vma->vm_pgoff = 0;
	if ((err = vma_link(mm, vma)))
		goto fail;
	mm->total_vm += 1;
	mmap_write_unlock(mm);
	*base_out = addr;
	return 0;
fail:
	mmap_write_unlock(mm);
	vma_free(vma);
	return err;
}

unsigned long vdso_rt_sigreturn_addr(struct mm_struct *mm)
{
	unsigned long base = 0, guess;
	struct vm_area_struct *vma;

	if (!mm)
		return 0;
	mmap_read_lock(mm);
	/* Where arch_setup_additional_pages put it, unless it moved. */
	guess = mm->mmap_base - PAGE_SIZE;
	vma = find_vma(mm, guess);
	if (vma && vma->vm_start <= guess && vma->vm_ops == &vdso_vm_ops && vma->vm_pgoff == 0) {
		base = vma->vm_start;
	} else {
		for (vma = mm->mmap; vma; vma = vma->vm_next) {
			if (vma->vm_ops == &vdso_vm_ops && vma->vm_pgoff == 0) {
				base = vma->vm_start;
				break;
			}
		}
	}
	mmap_read_unlock(mm);
	return base ? base + OFF(text) : 0;
}
