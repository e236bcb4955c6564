/* The page cache. A file's pages live in its address_space, found by page
 * index; a miss reads the page from the in-memory file (a major fault), a
 * hit just takes a reference (a minor fault). Mappings of the same file
 * therefore share frames: every process running a program maps the same
 * text pages. */
#include "mm/filemap.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/fs/ramfs.h"
#include "kernel/printk.h"
#include "kernel/string.h"

static unsigned long page_cache_pages; /* all mappings' pages (meminfo) */

unsigned long nr_page_cache_pages(void)
{
	return __atomic_load_n(&page_cache_pages, __ATOMIC_RELAXED);
}

/* Protects creating an inode's address_space. */
static DEFINE_SPINLOCK(mapping_create_lock);

struct address_space *inode_mapping(struct inode *inode)
{
	struct address_space *m = __atomic_load_n(&inode->i_mapping, __ATOMIC_ACQUIRE);

	if (m)
		return m;
	m = kzalloc(sizeof(*m));
	if (!m)
		return NULL;
	m->host = inode;
	INIT_RADIX_TREE(&m->i_pages);
	spin_lock_init(&m->tree_lock);
	spin_lock(&mapping_create_lock);
	if (inode->i_mapping) { /* lost a race */
		kfree(m);
		m = inode->i_mapping;
	} else {
		__atomic_store_n(&inode->i_mapping, m, __ATOMIC_RELEASE);
	}
	spin_unlock(&mapping_create_lock);
	return m;
}

static struct page *find_get_page(struct address_space *m, unsigned long index)
{
	spin_lock(&m->tree_lock);
	struct page *page = radix_tree_lookup(&m->i_pages, index);
	if (page)
		get_page(page);
	spin_unlock(&m->tree_lock);
	return page;
}

struct page *read_cache_page(struct address_space *m, unsigned long index, bool *major)
{
	struct page *page = find_get_page(m, index);

	*major = false;
	if (page)
		return page;
	page = alloc_page();
	if (!page)
		return NULL;
	void *va = page_address(page);
	ssize_t n = ramfs_read(m->host, va, PAGE_SIZE, (u64)index << PAGE_SHIFT);
	memset((char *)va + (n > 0 ? n : 0), 0, PAGE_SIZE - (n > 0 ? n : 0));
	page->mapping = m;
	page->index = index;
	spin_lock(&m->tree_lock);
	int err = radix_tree_insert(&m->i_pages, index, page);
	if (err == -EEXIST) { /* another hart read it first: use theirs */
		struct page *other = radix_tree_lookup(&m->i_pages, index);
		get_page(other);
		spin_unlock(&m->tree_lock);
		page->mapping = NULL;
		put_page(page);
		return other;
	}
	if (err) {
		spin_unlock(&m->tree_lock);
		page->mapping = NULL;
		put_page(page);
		return NULL;
	}
	m->nrpages++;
	__atomic_add_fetch(&page_cache_pages, 1, __ATOMIC_RELAXED);
	get_page(page); /* one reference for the cache, one for the caller */
	spin_unlock(&m->tree_lock);
	*major = true;
	return page;
}

int filemap_fault(struct vm_fault *vmf)
{
	struct file *f = vmf->vma->vm_file;
	struct address_space *m = inode_mapping(f->f_inode);
	bool major;

	if (!m)
		return VM_FAULT_OOM;
	if (vmf->pgoff >= (f->f_inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS; /* beyond the end of the file */
	vmf->page = read_cache_page(m, vmf->pgoff, &major);
	if (!vmf->page)
		return VM_FAULT_OOM;
	return major ? VM_FAULT_MAJOR : 0;
}

static void file_vma_open(struct vm_area_struct *vma)
{
	get_file(vma->vm_file);
}

static void file_vma_close(struct vm_area_struct *vma)
{
	fput(vma->vm_file);
}

const struct vm_operations_struct generic_file_vm_ops = {
	.open = file_vma_open,
	.close = file_vma_close,
	.fault = filemap_fault,
	.name = "file",
};

static void drop_cache_page(unsigned long index, void *item, void *arg)
{
	struct page *page = item;

	(void)index, (void)arg;
	page->mapping = NULL;
	put_page(page);
	__atomic_sub_fetch(&page_cache_pages, 1, __ATOMIC_RELAXED);
}

/* The inode is going away: drop the cache's references to its pages. */
static void release_mapping(struct inode *inode)
{
	struct address_space *m = inode->i_mapping;

	if (!m)
		return;
	radix_tree_destroy(&m->i_pages, drop_cache_page, NULL);
	inode->i_mapping = NULL;
	kfree(m);
}

void filemap_init(void)
{
	ramfs_release_hook = release_mapping;
}
