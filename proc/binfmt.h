/* The state of one execve (Linux: struct linux_binprm) shared by
 * proc/exec.c (arguments, point of no return, stack) and the binary
 * formats (proc/binfmt_elf.c, proc/binfmt_script.c). */
#ifndef PROC_BINFMT_H
#define PROC_BINFMT_H
#include "kernel/types.h"

#define BINPRM_BUF_SIZE 256
#define ARG_ORDER 5                                  /* 128 KiB: strings + vectors */
#define ARG_MAX_BYTES ((PAGE_SIZE << ARG_ORDER) - PAGE_SIZE)

struct inode;
struct file;
struct mm_struct;
struct cred;

struct linux_binprm {
	char buf[BINPRM_BUF_SIZE]; /* the file's first bytes */
	const char *filename;      /* as the caller named it (AT_EXECFN) */
	struct inode *inode;       /* the file being loaded (a script's interpreter after #!) */
	struct file *file;
	struct mm_struct *mm;      /* the new address space, until it is installed */
	char *kbuf;                /* mirror of the top ARG_MAX_BYTES of the new stack */
	unsigned long p;           /* user address of the lowest byte used so far */
	int argc, envc;
	unsigned long execfn, random;
	unsigned long argv_start;  /* user address of argv[0]'s string */
	int depth;                 /* #! levels followed */
	struct cred *cred;         /* the new program's creds, until begin_new_exec commits them */
	bool secureexec;           /* AT_SECURE: it gained an identity or privileges */
};

static inline char *bprm_kaddr(struct linux_binprm *b, unsigned long uaddr);
int bprm_push(struct linux_binprm *b, const void *src, size_t n);
int bprm_open(struct linux_binprm *b, const char *path);
void bprm_close_file(struct linux_binprm *b);
/* Point of no return, then stack set-up (proc/exec.c). */
int begin_new_exec(struct linux_binprm *b);
int setup_arg_pages(struct linux_binprm *b, unsigned long sp);
void start_thread(unsigned long pc, unsigned long sp);

int load_elf_binary(struct linux_binprm *b);   /* -ENOEXEC: not ELF */
int load_script(struct linux_binprm *b);       /* -ENOEXEC: not #! */

#include "arch/riscv/pgtable.h"
#include "mm/mm.h"
static inline char *bprm_kaddr(struct linux_binprm *b, unsigned long uaddr)
{
	return b->kbuf + (uaddr - (STACK_TOP - ARG_MAX_BYTES));
}

#endif
