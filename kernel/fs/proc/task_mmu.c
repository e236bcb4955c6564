/* Address-space files (Linux: fs/proc/task_mmu.c, page.c): maps, the
 * binary pagemap (which frame backs each user page) and kpagecount (how
 * many mappings share each frame) that tests use to see page sharing and
 * copy-on-write, and the page counts behind statm/status. */
#include "kernel/fs/proc/internal.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"

/* ---- page counts ---- */

/* Resident pages and page-table pages below one table (the user half of
 * the pgd at the top). page_table_lock held. */
static void count_table(pte_t *pt, int level, int nr, struct mm_counts *c)
{
	for (int i = 0; i < nr; i++) {
		pte_t e = pt[i];
		if (!pte_present(e))
			continue;
		if (level > 0 && !pte_leaf(e)) {
			c->pt_pages++;
			count_table(__va(pte_pfn(e) << PAGE_SHIFT), level - 1, PTRS_PER_PT, c);
			continue;
		}
		unsigned long pfn = pte_pfn(e), pages = LEVEL_SIZE(level) >> PAGE_SHIFT;
		struct page *page = pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
		if (!page || page == zero_page)
			continue; /* the shared zero page is not the process's memory */
		if (page->mapping)
			c->rss_file += pages;
		else
			c->rss_anon += pages;
	}
}

void proc_mm_counts(struct mm_struct *mm, struct mm_counts *c)
{
	memset(c, 0, sizeof(*c));
	mmap_read_lock(mm);
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
		unsigned long pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		unsigned long fl = v->vm_flags;
		c->total_vm += pages;
		if (fl & VM_LOCKED)
			c->locked_vm += pages;
		if (fl & VM_STACK)
			c->stack_vm += pages;
		else if ((fl & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			c->exec_vm += pages;
		else if ((fl & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			c->data_vm += pages;
	}
	c->start_code = mm->start_code, c->end_code = mm->end_code;
	c->start_data = mm->start_data, c->end_data = mm->end_data;
	c->start_brk = mm->start_brk, c->brk = mm->brk, c->start_stack = mm->start_stack;
	c->arg_start = mm->arg_start, c->arg_end = mm->arg_end;
	c->env_start = mm->env_start, c->env_end = mm->env_end;
	spin_lock(&mm->page_table_lock);
	count_table(mm->pgd, PGDIR_LEVELS - 1, PTRS_PER_PT / 2, c);
	spin_unlock(&mm->page_table_lock);
	mmap_read_unlock(mm);
}

/* ---- maps ---- */

/* The name column: a file's path, [heap], [stack], [vdso]... or none. */
static const char *vma_name(struct vm_area_struct *v, const struct path *root, char *pathbuf)
{
	struct mm_struct *mm = v->vm_mm;

	if (v->vm_file && v->vm_file->f_dentry && v->vm_file->f_vfsmnt) {
		struct path p = { v->vm_file->f_vfsmnt, v->vm_file->f_dentry };
		char *s = d_path(&p, root, pathbuf, PATH_MAX);
		return IS_ERR(s) ? NULL : s;
	}
	if (v->vm_ops && v->vm_ops->name)
		return v->vm_ops->name[0] == '[' ? v->vm_ops->name : "/dev/zero (deleted)"; /* shmem */
	if (v->vm_start <= mm->brk && v->vm_end >= mm->start_brk)
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_vma(struct pbuf *p, struct vm_area_struct *v, const struct path *root, char *pathbuf)
{
	struct inode *inode = v->vm_file ? v->vm_file->f_inode : NULL;
	u32 dev = inode && inode->i_sb ? inode->i_sb->s_dev : 0;
	unsigned long fl = v->vm_flags;
	size_t start = p->len;

	pb_printf(p, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->vm_start, v->vm_end,
		  fl & VM_READ ? 'r' : '-', fl & VM_WRITE ? 'w' : '-', fl & VM_EXEC ? 'x' : '-',
		  fl & VM_MAYSHARE ? 's' : 'p', inode ? v->vm_pgoff << PAGE_SHIFT : 0, MAJOR(dev),
		  MINOR(dev), inode ? (unsigned long)inode->i_ino : 0);
	const char *name = vma_name(v, root, pathbuf);
	if (name) {
		/* Linux pads the name to column 73 (25 + 6 * sizeof(void *) - 1, and a space). */
		if (p->len - start >= 72)
			pb_write(p, " ", 1);
		else
			pb_pad_to(p, 73, start);
		pb_printf(p, "%s", name);
	}
	pb_write(p, "\n", 1);
}

size_t proc_pid_maps_show(struct file *f, char *buf, size_t n)
{
	struct pbuf p = { buf, n, 0 };
	struct mm_struct *mm = proc_get_task_mm(PROC_I(f->f_inode)->pid);
	struct path root;

	if (IS_ERR(mm) || !mm)
		return 0;
	char *pathbuf = kmalloc(PATH_MAX);
	if (!pathbuf || !current->fs) {
		kfree(pathbuf);
		mmput(mm);
		return 0;
	}
	get_fs_root(current->fs, &root);
	mmap_read_lock(mm);
	for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
		show_vma(&p, v, &root, pathbuf);
	mmap_read_unlock(mm);
	path_put(&root);
	kfree(pathbuf);
	mmput(mm);
	return p.len;
}

/* ---- pagemap and kpagecount: 8-byte entries, Linux's bits ---- */

#define PM_PRESENT (1UL << 63)
#define PM_FILE (1UL << 61)      /* file page or shared anonymous */
#define PM_MMAP_EXCLUSIVE (1UL << 56)
#define PM_PFN_MASK ((1UL << 55) - 1)

static u64 pagemap_entry(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = follow_page(mm, addr, NULL);
	u64 e;

	if (!page)
		return 0;
	e = PM_PRESENT | (page_to_pfn(page) & PM_PFN_MASK);
	if (page->mapping)
		e |= PM_FILE;
	if (page != zero_page && __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) == 1)
		e |= PM_MMAP_EXCLUSIVE;
	return e;
}

static u64 kpagecount_entry(struct mm_struct *mm, unsigned long pfn)
{
	(void)mm;
	if (!pfn_valid(pfn))
		return 0;
	struct page *page = pfn_to_page(pfn);
	return page == zero_page ? 0 : (u64)__atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED);
}

/* Entries [*pos / 8, limit) into the reader's buffer, a page of them at a
 * time; positions and sizes must be multiples of 8 (as on Linux). */
static ssize_t read_entries(struct mm_struct *mm, u64 (*entry)(struct mm_struct *, unsigned long),
			    unsigned long limit, struct iov_iter *to, u64 *pos)
{
	ssize_t done = 0;

	if ((*pos % 8) || (to->count % 8))
		return -EINVAL;
	u64 *ents = kmalloc(PAGE_SIZE);
	if (!ents)
		return -ENOMEM;
	while (to->count && *pos / 8 < limit) {
		unsigned long first = *pos / 8;
		size_t cnt = MIN(MIN(to->count / 8, PAGE_SIZE / 8), limit - first);
		if (mm)
			mmap_read_lock(mm);
		for (size_t i = 0; i < cnt; i++)
			ents[i] = entry(mm, mm ? (first + i) << PAGE_SHIFT : first + i);
		if (mm)
			mmap_read_unlock(mm);
		size_t w = copy_to_iter(ents, cnt * 8, to);
		*pos += w;
		done += (ssize_t)w;
		if (w < cnt * 8) {
			if (!done)
				done = -EFAULT;
			break;
		}
	}
	kfree(ents);
	return done;
}

static ssize_t pagemap_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct mm_struct *mm = proc_get_task_mm(PROC_I(f->f_inode)->pid);

	if (IS_ERR(mm))
		return PTR_ERR(mm);
	if (!mm)
		return 0;
	ssize_t r = read_entries(mm, pagemap_entry, USER_VA_END >> PAGE_SHIFT, to, pos);
	mmput(mm);
	return r;
}

static int pagemap_open(struct inode *inode, struct file *f)
{
	(void)f;
	return proc_task_exists(PROC_I(inode)->pid) ? 0 : -ESRCH;
}

static ssize_t kpagecount_read(struct file *f, struct iov_iter *to, u64 *pos)
{
	(void)f;
	return read_entries(NULL, kpagecount_entry, max_pfn, to, pos);
}

const struct file_operations proc_pagemap_fops = {
	.open = pagemap_open, .read_iter = pagemap_read, .llseek = no_seek_end_llseek,
};
const struct file_operations proc_kpagecount_fops = {
	.read_iter = kpagecount_read, .llseek = no_seek_end_llseek,
};
