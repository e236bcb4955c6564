/* Building and walking Sv48 page tables: the kernel's swapper_pg_dir
 * (direct map of RAM with W^X for the image, MMIO windows) and the
 * helpers that user address spaces use to map pages. */
#include "arch/riscv/pgtable.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/vm.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/spinlock.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/ioremap.h"

pte_t swapper_pg_dir[PTRS_PER_PT] __aligned(PAGE_SIZE);
unsigned long swapper_satp;
static bool buddy_ready; /* page tables come from memblock until the buddy runs */

/* Protects the kernel half of swapper_pg_dir and the ioremap cursor. */
static DEFINE_SPINLOCK(kernel_pt_lock);
static unsigned long ioremap_next = IOREMAP_START;

extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _end[];

static pte_t *alloc_pt(void)
{
	void *va;

	if (buddy_ready) {
		va = alloc_page_va();
		if (!va)
			return NULL;
		mod_pagetable(1);
	} else {
		phys_addr_t pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!pa)
			panic("paging: out of memory for kernel page tables");
		va = __va(pa);
	}
	memset(va, 0, PAGE_SIZE);
	return va;
}

void pgtable_use_buddy(void)
{
	buddy_ready = true;
}

/* Find (optionally creating) the PTE for va at `level` (0 = 4 KiB leaf). */
pte_t *pt_walk(pte_t *pgd, unsigned long va, int level, bool alloc)
{
	pte_t *pt = pgd;

	for (int l = PGDIR_LEVELS - 1; l > level; l--) {
		pte_t *e = &pt[PT_INDEX(va, l)];
		if (!(*e & _PAGE_PRESENT)) {
			if (!alloc)
				return NULL;
			pte_t *n = alloc_pt();
			if (!n)
				return NULL;
			*e = pfn_pte(__pa(n) >> PAGE_SHIFT, _PAGE_PRESENT);
		} else if (pte_leaf(*e)) {
			return NULL; /* covered by a larger leaf */
		}
		pt = __va(pte_pfn(*e) << PAGE_SHIFT);
	}
	return &pt[PT_INDEX(va, level)];
}

/* Map [va, va+size) to pa with the biggest leaves alignment allows. */
static void map_kernel_range(unsigned long va, phys_addr_t pa, u64 size, u64 prot)
{
	while (size) {
		int level = 2;
		while (level > 0 && ((va | pa) & (LEVEL_SIZE(level) - 1) || size < LEVEL_SIZE(level)))
			level--;
		pte_t *e = pt_walk(swapper_pg_dir, va, level, true);
		if (!e)
			panic("paging: cannot map %lx", va);
		*e = pfn_pte(pa >> PAGE_SHIFT, prot);
		va += LEVEL_SIZE(level);
		pa += LEVEL_SIZE(level);
		size -= LEVEL_SIZE(level);
	}
}

static void map_ram_range(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t ks = __pa(_stext), ke = __pa(_end);
	struct { phys_addr_t s, e; u64 prot; } parts[] = {
		{ start, MIN(end, ks), PAGE_KERNEL },
		{ MAX(start, ks), MIN(end, ALIGN_UP(__pa(_etext), PAGE_SIZE)), PAGE_KERNEL_RX },
		{ MAX(start, ALIGN_UP(__pa(_etext), PAGE_SIZE)), MIN(end, __pa(_erodata)), PAGE_KERNEL_RO },
		{ MAX(start, __pa(_sdata)), MIN(end, ke), PAGE_KERNEL },
		{ MAX(start, ke), end, PAGE_KERNEL },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++)
		if (parts[i].s < parts[i].e)
			map_kernel_range((unsigned long)__va(parts[i].s), parts[i].s,
					 parts[i].e - parts[i].s, parts[i].prot);
}

/* Build swapper_pg_dir over every RAM range and switch to it. The
 * identity map of the early table is gone afterwards. */
void paging_init(const phys_addr_t (*ram)[2], int nram)
{
	for (int i = 0; i < nram; i++)
		map_ram_range(ram[i][0], ram[i][1]);
	/* Kernel root entries exist before any user pgd copies them. */
	if (!pt_walk(swapper_pg_dir, IOREMAP_START, 2, true))
		panic("paging: no memory for the ioremap table");
	swapper_satp = SATP_MODE_SV48 | (__pa(swapper_pg_dir) >> PAGE_SHIFT);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	csr_write(satp, swapper_satp);
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

void *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	u64 len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	unsigned long f = spin_lock_irqsave(&kernel_pt_lock);
	unsigned long va = ioremap_next;

	if (va + len > IOREMAP_END) {
		spin_unlock_irqrestore(&kernel_pt_lock, f);
		return NULL;
	}
	ioremap_next += len + PAGE_SIZE; /* a hole between windows catches overruns */
	for (u64 off = 0; off < len; off += PAGE_SIZE) {
		pte_t *e = pt_walk(swapper_pg_dir, va + off, 0, true);
		if (!e) {
			spin_unlock_irqrestore(&kernel_pt_lock, f);
			return NULL;
		}
		*e = pfn_pte((base + off) >> PAGE_SHIFT, PAGE_KERNEL_IO);
	}
	spin_unlock_irqrestore(&kernel_pt_lock, f);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	return (void *)(va + (pa - base));
}
