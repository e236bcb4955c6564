/* Sv48 page-table format: four levels of 512 eight-byte PTEs, 48-bit
 * virtual addresses (user half [0, 2^47), kernel half sign-extended). */
#ifndef ARCH_RISCV_PGTABLE_H
#define ARCH_RISCV_PGTABLE_H
#ifndef __ASSEMBLY__
#include "kernel/types.h"
#endif

#define _PAGE_PRESENT (1UL << 0) /* V */
#define _PAGE_READ    (1UL << 1)
#define _PAGE_WRITE   (1UL << 2)
#define _PAGE_EXEC    (1UL << 3)
#define _PAGE_USER    (1UL << 4)
#define _PAGE_GLOBAL  (1UL << 5)
#define _PAGE_ACCESSED (1UL << 6)
#define _PAGE_DIRTY   (1UL << 7)
#define _PAGE_LEAF (_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC)
/* RSW bit: a PROT_NONE user page; V is clear so any access faults, but
 * the frame is still owned by the mapping. */
#define _PAGE_PROT_NONE (1UL << 8)
#define _PAGE_PFN_SHIFT 10

/* Kernel mappings set A and D up front: no hardware/SBI A/D updates needed. */
#define PAGE_KERNEL    (_PAGE_PRESENT | _PAGE_READ | _PAGE_WRITE | _PAGE_GLOBAL | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_READ | _PAGE_GLOBAL | _PAGE_ACCESSED)
#define PAGE_KERNEL_RX (_PAGE_PRESENT | _PAGE_READ | _PAGE_EXEC | _PAGE_GLOBAL | _PAGE_ACCESSED)
#define PAGE_KERNEL_IO PAGE_KERNEL

#define PGDIR_LEVELS 4
#define PTRS_PER_PT 512
#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * (l)) /* l = 0 (4K leaf) .. 3 (root) */
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))
#define PT_INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & 0x1ff)

#define USER_VA_END ((u64)1 << 47)
#define PAGE_OFFSET 0xffff800000000000UL   /* direct map of all RAM */
#define IOREMAP_START 0xffffc00000000000UL /* device MMIO windows */
#define IOREMAP_END   0xffffc00040000000UL
#define KERNEL_LINK_PA 0x80200000UL        /* where QEMU loads the image */

#ifndef __ASSEMBLY__
typedef u64 pte_t;

static inline u64 pte_pfn(pte_t p) { return p >> _PAGE_PFN_SHIFT; }
static inline pte_t pfn_pte(u64 pfn, u64 prot) { return (pfn << _PAGE_PFN_SHIFT) | prot; }
static inline bool pte_leaf(pte_t p) { return ((p & _PAGE_PRESENT) && (p & _PAGE_LEAF)) || (p & _PAGE_PROT_NONE); }
static inline bool pte_present(pte_t p) { return p & (_PAGE_PRESENT | _PAGE_PROT_NONE); }
#endif

#endif
