/* ELF64 file format definitions (as in Linux's uapi/linux/elf.h), the
 * auxiliary vector tags exec passes to user space, and the sanity checks
 * the exec loader applies to headers before trusting any of their fields. */
#ifndef PROC_ELF_H
#define PROC_ELF_H
#include "kernel/types.h"

typedef u64 Elf64_Addr;
typedef u64 Elf64_Off;
typedef u16 Elf64_Half;
typedef u32 Elf64_Word;
typedef s32 Elf64_Sword;
typedef u64 Elf64_Xword;
typedef s64 Elf64_Sxword;

#define EI_NIDENT 16

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

/* e_ident[] */
#define EI_MAG0 0
#define EI_MAG1 1
#define EI_MAG2 2
#define EI_MAG3 3
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_ABIVERSION 8
#define ELFMAG0 0x7f
#define ELFMAG1 'E'
#define ELFMAG2 'L'
#define ELFMAG3 'F'
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define ELFCLASSNONE 0
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATANONE 0
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EV_NONE 0
#define EV_CURRENT 1
#define ELFOSABI_NONE 0
#define ELFOSABI_LINUX 3

/* e_type */
#define ET_NONE 0
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4

/* e_machine */
#define EM_X86_64 62
#define EM_AARCH64 183
#define EM_RISCV 243

/* e_flags for EM_RISCV */
#define EF_RISCV_RVC 0x0001
#define EF_RISCV_FLOAT_ABI 0x0006
#define EF_RISCV_FLOAT_ABI_SOFT 0x0000
#define EF_RISCV_FLOAT_ABI_SINGLE 0x0002
#define EF_RISCV_FLOAT_ABI_DOUBLE 0x0004
#define EF_RISCV_FLOAT_ABI_QUAD 0x0006
#define EF_RISCV_RVE 0x0008
#define EF_RISCV_TSO 0x0010

/* p_type */
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_SHLIB 5
#define PT_PHDR 6
#define PT_TLS 7
#define PT_LOOS 0x60000000
#define PT_GNU_EH_FRAME 0x6474e550
#define PT_GNU_STACK 0x6474e551
#define PT_GNU_RELRO 0x6474e552
#define PT_GNU_PROPERTY 0x6474e553
#define PT_LOPROC 0x70000000
#define PT_RISCV_ATTRIBUTES 0x70000003
#define PT_HIPROC 0x7fffffff

/* p_flags */
#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

/* Auxiliary vector entry types (a_type), Linux's uapi/linux/auxvec.h
 * and asm/auxvec.h for riscv. */
#define AT_NULL 0               /* end of vector */
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3               /* program headers of the program */
#define AT_PHENT 4              /* size of one program header */
#define AT_PHNUM 5              /* number of program headers */
#define AT_PAGESZ 6
#define AT_BASE 7               /* interpreter load address */
#define AT_FLAGS 8
#define AT_ENTRY 9              /* program entry point */
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15          /* string identifying the CPU */
#define AT_HWCAP 16             /* riscv: single-letter ISA extension bits */
#define AT_CLKTCK 17            /* times() frequency */
#define AT_SECURE 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25            /* address of 16 random bytes */
#define AT_HWCAP2 26
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#define AT_EXECFN 31            /* filename of the program */
#define AT_SYSINFO_EHDR 33      /* vDSO address */
#define AT_L1I_CACHESIZE 40
#define AT_L1I_CACHEGEOMETRY 41
#define AT_L1D_CACHESIZE 42
#define AT_L1D_CACHEGEOMETRY 43
#define AT_L2_CACHESIZE 44
#define AT_L2_CACHEGEOMETRY 45
#define AT_L3_CACHESIZE 46
#define AT_L3_CACHEGEOMETRY 47
#define AT_MINSIGSTKSZ 51

/* End of the user address space (Sv48's lower half); segments must end
 * at or below it. */
#define USER_VA_END ((u64)1 << 47)

/* Bounds on e_phnum: the program header table is at most 64 KiB. */
#define ELF_MAX_PHNUM (65536 / sizeof(Elf64_Phdr))
/* Longest PT_INTERP string, NUL included. */
#define ELF_MAX_INTERP 4096

/*
 * Check the ELF header at buf (any alignment): an ELF64 little-endian
 * RISC-V executable or shared object (ET_EXEC/ET_DYN) whose program header
 * table lies within the first len bytes of the file. Only the 64-byte
 * header is read from buf (len < 64 is rejected without reading), so len
 * may be the size of a buffer holding the file's start, or the file size.
 * Returns 0 or -ENOEXEC.
 */
int elf_check_header(const void *buf, size_t len);

/*
 * Check the program headers ph[0..eh->e_phnum) of a file of file_size
 * bytes whose header passed elf_check_header. Returns 0, or
 *   -ENOEXEC: no PT_LOAD, a segment's file bytes outside the file, more
 *             than one PT_INTERP, or a PT_INTERP size outside 2..4096;
 *   -EINVAL:  a PT_LOAD with p_filesz > p_memsz, p_vaddr + p_memsz past
 *             USER_VA_END (or overflowing), p_align not a power of two,
 *             p_offset and p_vaddr not congruent modulo PAGE_SIZE, or
 *             PT_LOADs not in ascending p_vaddr order / overlapping.
 * The PT_INTERP string itself is checked with elf_check_interp once read.
 */
int elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, u64 file_size);

/* Check the n bytes read from a PT_INTERP segment: a NUL-terminated,
 * non-empty path, no NUL before the end. Returns 0 or -ENOEXEC. */
int elf_check_interp(const char *interp, u64 n);

#endif
