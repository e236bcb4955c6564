/* Linker script of the vDSO image: one read+exec PT_LOAD at address 0 that
 * holds the ELF headers, the dynamic tables and the code, with PT_DYNAMIC,
 * PT_NOTE and PT_GNU_EH_FRAME pointing into it. _vdso_data, the [vvar]
 * page, is right below the image (arch/riscv/vdso.c maps it there). */
#include "arch/riscv/vdso/vdso_data.h"

OUTPUT_ARCH(riscv)

PHDRS
{
	text		PT_LOAD		FLAGS(5) FILEHDR PHDRS;	/* R+X */
	/* Read-only: ld.so then adds the load address as it reads the
	 * entries instead of rewriting them in the (read-only) page. */
	dynamic		PT_DYNAMIC	FLAGS(4);
	note		PT_NOTE		FLAGS(4);
	eh_frame_hdr	PT_GNU_EH_FRAME;
}

SECTIONS
{
	PROVIDE(_vdso_data = . - VDSO_VVAR_SIZE);
	. = SIZEOF_HEADERS;

	.hash		: { *(.hash) }			:text
	.gnu.hash	: { *(.gnu.hash) }
	.dynsym		: { *(.dynsym) }
	.dynstr		: { *(.dynstr) }
	.gnu.version	: { *(.gnu.version) }
	.gnu.version_d	: { *(.gnu.version_d) }
	.gnu.version_r	: { *(.gnu.version_r) }

	.note		: { *(.note.*) }		:text	:note
	.dynamic	: { *(.dynamic) }		:text	:dynamic
	.eh_frame_hdr	: { *(.eh_frame_hdr) }		:text	:eh_frame_hdr
	.eh_frame	: { KEEP (*(.eh_frame)) }	:text
	.rodata		: { *(.rodata .rodata.* .srodata .srodata.*) }

	. = ALIGN(16);
	.text		: { *(.text .text.*) }

	/* Nothing may be writable: the pages are shared by every process.
	 * The Makefile checks the result has no relocations. */
	/DISCARD/	: { *(.comment) }
}

VERSION
{
	LINUX_4.15 {
	global:
		__vdso_rt_sigreturn;
		__vdso_clock_gettime;
		__vdso_gettimeofday;
		__vdso_clock_getres;
		__vdso_getcpu;
		__vdso_flush_icache;
	local: *;
	};
}
