/* Page faults and page-table maintenance for user address spaces
 * (Linux: mm/memory.c). Nothing is allocated before it is touched:
 * anonymous reads map the shared zero page, anonymous writes get a zeroed
 * frame, file pages come from the page cache, and a write to a page that
 * is not this mapping's alone (zero page, page-cache page, a frame shared
 * after fork) copies it first. */
#include "mm/mm.h"
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "arch/riscv/tlbflush.h"
#include "mm/vma.h"
#include "arch/riscv/vm.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "proc/task.h"

u64 vm_get_page_prot(unsigned long vm_flags)
{
	u64 p = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROT_NONE;
	if (vm_flags & (VM_READ | VM_WRITE))
		p |= _PAGE_READ; /* Sv48 reserves W without R */
	if (vm_flags & VM_WRITE)
		p |= _PAGE_WRITE | _PAGE_DIRTY;
	if (vm_flags & VM_EXEC)
		p |= _PAGE_EXEC;
	return p;
}

/* The leaf PTE for va if its leaf table exists, else NULL. Either way
 * *next is where that table's span (or the missing table's) ends, capped
 * at end: range walks then step through one table's entries as an array
 * instead of walking from the root for every page. */
static pte_t *pte_span(pte_t *pgd, unsigned long va, unsigned long end, unsigned long *next)
{
	pte_t *pt = pgd;
	int l;

	for (l = PGDIR_LEVELS - 1; l > 0; l--) {
		pte_t e = pt[PT_INDEX(va, l)];
		if (!(e & _PAGE_PRESENT) || pte_leaf(e))
			break;
		pt = __va(pte_pfn(e) << PAGE_SHIFT);
	}
	/* l is 0 when the leaf table exists (it spans one level-1 entry);
	 * else the level of the missing entry. */
	unsigned long span = LEVEL_SIZE(l ? l : 1);
	*next = MIN(ALIGN_DOWN(va, span) + span, end);
	return l ? NULL : &pt[PT_INDEX(va, 0)];
}

/* The leaf PTE for va, allocating the missing tables (page_table_lock
 * held). Like pt_walk(), but new tables are zeroed with clear_page(). */
static pte_t *pte_alloc(pte_t *pgd, unsigned long va)
{
	pte_t *pt = pgd;

	for (int l = PGDIR_LEVELS - 1; l > 0; l--) {
		pte_t *e = &pt[PT_INDEX(va, l)];
		if (!(*e & _PAGE_PRESENT)) {
			void *n = get_zeroed_page();
			if (!n)
				return NULL;
			mod_pagetable(1);
			*e = pfn_pte(__pa(n) >> PAGE_SHIFT, _PAGE_PRESENT);
		} else if (pte_leaf(*e)) {
			return NULL; /* covered by a larger leaf */
		}
		pt = __va(pte_pfn(*e) << PAGE_SHIFT);
	}
	return &pt[PT_INDEX(va, 0)];
}

static inline struct page *pte_page(pte_t pte)
{
	return pfn_to_page(pte_pfn(pte));
}

static inline pte_t mk_pte(struct page *page, u64 prot)
{
	return pfn_pte(page_to_pfn(page), prot);
}

static inline pte_t pte_wrprotect(pte_t pte)
{
	return pte & ~(_PAGE_WRITE | _PAGE_DIRTY);
}

/* _mapcount counts the PTEs mapping a frame (read by /proc/kpagecount). */
static inline void page_add_rmap(struct page *page)
{
	if (page != zero_page)
		__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
}

static inline void page_remove_rmap(struct page *page)
{
	if (page != zero_page)
		__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
}

static void release_page(struct page *page)
{
	if (page != zero_page)
		put_page(page);
}

static struct page *alloc_zeroed_user_page(void)
{
	void *va = get_zeroed_page();
	return va ? virt_to_page(va) : NULL;
}

static int do_anonymous_page(struct vm_area_struct *vma, unsigned long addr, unsigned int flags,
			     pte_t *pte)
{
	if (!(flags & FAULT_FLAG_WRITE)) {
		*pte = pte_wrprotect(mk_pte(zero_page, vma->vm_page_prot));
		return 0;
	}
	struct page *page = alloc_zeroed_user_page();
	if (!page)
		return VM_FAULT_OOM;
	page_add_rmap(page);
	*pte = mk_pte(page, vma->vm_page_prot);
	(void)addr;
	return 0;
}

/* A file (or shared anonymous) page: ask the VMA's fault handler. */
static int do_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags, pte_t *pte)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = addr,
		.pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
		.flags = flags,
	};
	int ret = vma->vm_ops->fault(&vmf);

	if (ret & VM_FAULT_ERROR)
		return ret;
	struct page *page = vmf.page;
	u64 prot = vma->vm_page_prot;
	if (!(vma->vm_flags & VM_SHARED)) {
		if (flags & FAULT_FLAG_WRITE) { /* private: write to our own copy */
			struct page *copy = alloc_page();
			if (!copy) {
				put_page(page);
				return VM_FAULT_OOM;
			}
			copy_page(page_address(copy), page_address(page));
			put_page(page);
			page = copy;
		} else {
			prot = pte_wrprotect(prot);
		}
	}
	page_add_rmap(page);
	*pte = mk_pte(page, prot); /* the fault's page reference is the PTE's now */
	return ret;
}

/* Write to a present, write-protected page of a writable VMA. */
static int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	struct page *old = pte_page(*pte);

	if ((vma->vm_flags & VM_SHARED) ||
	    (old != zero_page && !old->mapping && page_count(old) == 1)) {
		/* Ours alone (or shared by design): just allow the write. */
		*pte = mk_pte(old, vma->vm_page_prot);
		local_flush_tlb_page(addr);
		return 0;
	}
	struct page *copy = alloc_page();
	if (!copy)
		return VM_FAULT_OOM;
	copy_page(page_address(copy), page_address(old));
	page_add_rmap(copy);
	*pte = mk_pte(copy, vma->vm_page_prot);
	flush_tlb_page(vma, addr);
	page_remove_rmap(old);
	release_page(old);
	return 0;
}

int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	addr &= PAGE_MASK;
	spin_lock(&mm->page_table_lock);
	pte_t *pte = pte_alloc(mm->pgd, addr);
	if (!pte)
		ret = VM_FAULT_OOM;
	else if (!pte_present(*pte))
		ret = vma->vm_ops && vma->vm_ops->fault ? do_fault(vma, addr, flags, pte)
							: do_anonymous_page(vma, addr, flags, pte);
	else if ((flags & FAULT_FLAG_WRITE) && !(*pte & _PAGE_WRITE))
		ret = do_wp_page(vma, addr, pte);
	else {
		/* Already mapped as asked: another hart got here first, or
		 * this hart's TLB held the old entry. */
		local_flush_tlb_page(addr);
		ret = 0;
	}
	spin_unlock(&mm->page_table_lock);
	if (!(ret & VM_FAULT_ERROR) && mm == current->mm) {
		if (ret & VM_FAULT_MAJOR)
			current->maj_flt++;
		else
			current->min_flt++;
	}
	return ret;
}

/* ---- tearing down ---------------------------------------------------- */

/* Frames and page-table pages are freed only after the TLB flush, so no
 * hart can still reach them through a stale entry (Linux's mmu_gather). */
struct mmu_gather {
	struct mm_struct *mm;
	int n;
	int ntables;
	struct page *pages[64];
	void *tables[16];
};

/* Only the counts need setting: an initializer would zero both arrays. */
static void tlb_gather_init(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->n = tlb->ntables = 0;
}

static void tlb_flush_and_free(struct mmu_gather *tlb)
{
	if (!tlb->n && !tlb->ntables)
		return;
	flush_tlb_mm(tlb->mm);
	for (int i = 0; i < tlb->n; i++)
		release_page(tlb->pages[i]);
	for (int i = 0; i < tlb->ntables; i++)
		free_page_va(tlb->tables[i]);
	mod_pagetable(-tlb->ntables);
	tlb->n = tlb->ntables = 0;
}

static void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	if (tlb->n == ARRAY_SIZE(tlb->pages))
		tlb_flush_and_free(tlb);
	tlb->pages[tlb->n++] = page;
}

static void tlb_remove_table(struct mmu_gather *tlb, void *table)
{
	if (tlb->ntables == ARRAY_SIZE(tlb->tables))
		tlb_flush_and_free(tlb);
	tlb->tables[tlb->ntables++] = table;
}

/*
 * Free the tables under table (a level-`level` table) that cover
 * [start, end) and whose whole span lies in [floor, ceiling). The caller
 * knows no VMA is left in [floor, ceiling), so such a table maps nothing
 * and need not be scanned; and since a table is only ever made for an
 * address inside a VMA, any table in [floor, ceiling) intersects
 * [start, end), so none is missed. Only the entries over [start, end) are
 * visited, and leaf tables not at all. page_table_lock held.
 */
static void free_tables(struct mmu_gather *tlb, pte_t *table, int level, unsigned long start,
			unsigned long end, unsigned long floor, unsigned long ceiling)
{
	for (unsigned long va = start, next; va < end; va = next) {
		unsigned long lo = ALIGN_DOWN(va, LEVEL_SIZE(level));
		pte_t *e = &table[PT_INDEX(va, level)];

		next = MIN(lo + LEVEL_SIZE(level), end);
		if (!(*e & _PAGE_PRESENT) || pte_leaf(*e))
			continue;
		pte_t *child = __va(pte_pfn(*e) << PAGE_SHIFT);
		if (level > 1)
			free_tables(tlb, child, level - 1, va, next, floor, ceiling);
		if (lo >= floor && lo + LEVEL_SIZE(level) <= ceiling) {
			*e = 0;
			tlb_remove_table(tlb, child);
		}
	}
}

void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end,
		   unsigned long floor, unsigned long ceiling)
{
	struct mmu_gather tlb;

	tlb_gather_init(&tlb, mm);
	spin_lock(&mm->page_table_lock);
	free_tables(&tlb, mm->pgd, PGDIR_LEVELS - 1, start, end, floor, ceiling);
	spin_unlock(&mm->page_table_lock);
	tlb_flush_and_free(&tlb);
}

/* The first non-zero entry of [pte, stop), or stop. Long empty runs are
 * common (the unused part of a thread stack that glibc MADV_DONTNEEDs at
 * every thread exit), so four entries are tested per step. */
static inline pte_t *skip_none(pte_t *pte, pte_t *stop)
{
	if (pte < stop && *pte)
		return pte; /* within a run of mapped pages */
	for (; stop - pte >= 4; pte += 4)
		if (pte[0] | pte[1] | pte[2] | pte[3])
			break;
	while (pte < stop && !*pte)
		pte++;
	return pte;
}

/* Clear the present PTEs of [start, end), queueing their pages on tlb;
 * page_table_lock held. */
static void clear_ptes(struct mmu_gather *tlb, struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	for (unsigned long va = start, next; va < end; va = next) {
		pte_t *pte = pte_span(mm->pgd, va, end, &next);
		if (!pte)
			continue;
		pte_t *stop = pte + ((next - va) >> PAGE_SHIFT);
		for (pte = skip_none(pte, stop); pte < stop; pte = skip_none(pte + 1, stop)) {
			if (!pte_present(*pte))
				continue;
			struct page *page = pte_page(*pte);
			*pte = 0;
			page_remove_rmap(page);
			tlb_remove_page(tlb, page);
		}
	}
}

/* The page tables stay (Linux's zap_page_range too): MADV_DONTNEED'd
 * memory is usually touched again, and munmap frees them itself. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_gather tlb;

	tlb_gather_init(&tlb, mm);
	spin_lock(&mm->page_table_lock);
	clear_ptes(&tlb, mm, start, end);
	spin_unlock(&mm->page_table_lock);
	tlb_flush_and_free(&tlb);
}

void unmap_ptes_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	zap_page_range(vma, start, end);
}

/*
 * The last user is gone: unmap and free every VMA and every user-half
 * table, under one TLB flush per batch. The VMAs are closed (off their
 * files' i_mmap lists) before the tables go, so truncation can no longer
 * reach this mm; they are not unlinked from the tree one by one since the
 * whole mm is freed next.
 */
void exit_mmap(struct mm_struct *mm)
{
	struct mmu_gather tlb;
	struct vm_area_struct *vma;

	tlb_gather_init(&tlb, mm);
	spin_lock(&mm->page_table_lock);
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		clear_ptes(&tlb, mm, vma->vm_start, vma->vm_end);
	spin_unlock(&mm->page_table_lock);
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		if (vma->vm_ops && vma->vm_ops->close)
			vma->vm_ops->close(vma);
	/* In address order, as munmap would free them one by one: the VMAs
	 * below are gone (floor 0), the next one still needs its tables. */
	spin_lock(&mm->page_table_lock);
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		free_tables(&tlb, mm->pgd, PGDIR_LEVELS - 1, vma->vm_start, vma->vm_end, 0,
			    vma->vm_next ? vma->vm_next->vm_start : USER_VA_END);
	spin_unlock(&mm->page_table_lock);
	tlb_flush_and_free(&tlb);
	while ((vma = mm->mmap)) {
		mm->mmap = vma->vm_next;
		vma_free(vma);
	}
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
}

/* Apply vma->vm_page_prot to the present PTEs of [start, end). Private
 * writable pages stay write-protected: the next write fault decides
 * whether to copy (the frame may be shared). */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	u64 prot = vma->vm_page_prot;

	if (!(vma->vm_flags & VM_SHARED))
		prot = pte_wrprotect(prot);
	spin_lock(&mm->page_table_lock);
	for (unsigned long va = start, next; va < end; va = next) {
		pte_t *pte = pte_span(mm->pgd, va, end, &next);
		if (!pte)
			continue;
		for (pte_t *stop = pte + ((next - va) >> PAGE_SHIFT); pte < stop; pte++) {
			if (!pte_present(*pte))
				continue;
			struct page *page = pte_page(*pte);
			*pte = mk_pte(page, page == zero_page ? pte_wrprotect(prot) : prot);
		}
	}
	spin_unlock(&mm->page_table_lock);
	flush_tlb_range(vma, start, end);
}

/* Share one leaf table's worth of PTEs, src[0..n) at va, with dst. */
static int copy_pte_span(struct mm_struct *dst, pte_t *src, unsigned long n, unsigned long va,
			 bool cow)
{
	pte_t *d = NULL;

	for (unsigned long i = 0; i < n; i++) {
		pte_t *s = &src[i];
		if (!pte_present(*s))
			continue;
		if (!d) { /* the first present entry: only now does dst need a table */
			d = pte_alloc(dst->pgd, va + i * PAGE_SIZE);
			if (!d)
				return -ENOMEM;
			d -= i;
		}
		if (cow && (*s & _PAGE_WRITE))
			*s = pte_wrprotect(*s);
		d[i] = *s;
		struct page *page = pte_page(*s);
		if (page != zero_page) {
			get_page(page);
			page_add_rmap(page);
		}
	}
	return 0;
}

/* fork copies page tables, not pages: both processes map each frame; a
 * private writable frame becomes read-only in both, and the first write
 * in either copies it (do_wp_page). The caller flushes src's TLB. dst is
 * not live yet, so only src's lock is taken. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE);
	int err = 0;

	spin_lock(&src->page_table_lock);
	for (unsigned long va = vma->vm_start, next; va < vma->vm_end && !err; va = next) {
		pte_t *s = pte_span(src->pgd, va, vma->vm_end, &next);
		if (s)
			err = copy_pte_span(dst, s, (next - va) >> PAGE_SHIFT, va, cow);
	}
	spin_unlock(&src->page_table_lock);
	return err;
}

struct page *follow_page(struct mm_struct *mm, unsigned long addr, pte_t *pte_out)
{
	struct page *page = NULL;

	spin_lock(&mm->page_table_lock);
	pte_t *pte = pt_walk(mm->pgd, addr, 0, false);
	if (pte && pte_present(*pte)) {
		page = pte_page(*pte);
		if (pte_out)
			*pte_out = *pte;
	}
	spin_unlock(&mm->page_table_lock);
	return page;
}

/* mremap: move the PTEs (and so the frames) of len bytes to new_addr. */
int move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
		     struct vm_area_struct *new_vma, unsigned long new_addr, unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	int err = 0;

	spin_lock(&mm->page_table_lock);
	for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
		pte_t *src = pt_walk(mm->pgd, old_addr + off, 0, false);
		if (!src || !pte_present(*src))
			continue;
		pte_t *dst = pte_alloc(mm->pgd, new_addr + off);
		if (!dst) {
			err = -ENOMEM;
			break;
		}
		*dst = *src;
		*src = 0;
	}
	spin_unlock(&mm->page_table_lock);
	flush_tlb_range(vma, old_addr, old_addr + len);
	(void)new_vma;
	return err;
}

/* Fault in one page of a (possibly foreign) mm; return its kernel address. */
static void *get_user_page_va(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr)
		return NULL;
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return NULL;
	for (int tries = 0; tries < 3; tries++) {
		pte_t pte;
		struct page *page = follow_page(mm, addr, &pte);
		if (page && (!write || (pte & _PAGE_WRITE)))
			return (char *)page_address(page) + (addr & ~PAGE_MASK);
		if (handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0) & VM_FAULT_ERROR)
			return NULL;
	}
	return NULL;
}

int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, size_t len, bool write)
{
	char *b = buf;

	mmap_read_lock(mm);
	while (len) {
		size_t c = MIN(len, PAGE_SIZE - (addr & ~PAGE_MASK));
		char *va = get_user_page_va(mm, addr, write);
		if (!va) {
			mmap_read_unlock(mm);
			return -EFAULT;
		}
		if (write)
			memcpy(va, b, c);
		else
			memcpy(b, va, c);
		addr += c, b += c, len -= c;
	}
	mmap_read_unlock(mm);
	return 0;
}
