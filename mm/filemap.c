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
#include "kernel/uaccess.h"
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
	INIT_LIST_HEAD(&m->i_mmap);
	spin_lock_init(&m->i_mmap_lock);
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

/* A page not in the cache: the archive's bytes if the file still has
 * them there, zeros otherwise (a new or grown file). */
static void fill_page(struct inode *inode, void *va, unsigned long index)
{
	u64 off = (u64)index << PAGE_SHIFT;
	size_t n = 0;

	spin_lock(&inode->i_lock);
	if (inode->i_backing && off < inode->i_backing_size) {
		n = (size_t)MIN((u64)PAGE_SIZE, inode->i_backing_size - off);
		memcpy(va, inode->i_backing + off, n);
	}
	spin_unlock(&inode->i_lock);
	memset((char *)va + n, 0, PAGE_SIZE - n);
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
	fill_page(m->host, page_address(page), index);
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

/* Every VMA of a file is on its mapping's i_mmap list, so truncation
 * can find and unmap the pages it cuts off. */
void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *m = inode_mapping(vma->vm_file->f_inode);

	INIT_LIST_HEAD(&vma->shared);
	if (!m)
		return;
	spin_lock(&m->i_mmap_lock);
	list_add_tail(&vma->shared, &m->i_mmap);
	spin_unlock(&m->i_mmap_lock);
}

static void file_vma_open(struct vm_area_struct *vma)
{
	get_file(vma->vm_file);
	vma_link_file(vma);
}

static void file_vma_close(struct vm_area_struct *vma)
{
	struct address_space *m = vma->vm_file->f_inode->i_mapping;

	if (m && vma->shared.next && !list_empty(&vma->shared)) {
		spin_lock(&m->i_mmap_lock);
		list_del_init(&vma->shared);
		spin_unlock(&m->i_mmap_lock);
	}
	fput(vma->vm_file);
}

/* Unmap every mapping of the file's pages from index first on: private
 * copies too, since that part of the file no longer exists (SIGBUS). */
static void unmap_mapping_pages(struct address_space *m, unsigned long first)
{
	struct list_head *p;

	spin_lock(&m->i_mmap_lock);
	list_for_each(p, &m->i_mmap) {
		struct vm_area_struct *vma = list_entry(p, struct vm_area_struct, shared);
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		if (first >= vma->vm_pgoff + pages)
			continue;
		unsigned long start = vma->vm_start;
		if (first > vma->vm_pgoff)
			start += (first - vma->vm_pgoff) << PAGE_SHIFT;
		unmap_ptes_range(vma, start, vma->vm_end);
	}
	spin_unlock(&m->i_mmap_lock);
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
void release_mapping(struct inode *inode)
{
	struct address_space *m = inode->i_mapping;

	if (!m)
		return;
	radix_tree_destroy(&m->i_pages, drop_cache_page, NULL);
	inode->i_mapping = NULL;
	kfree(m);
}

/* Drop the cached pages wholly past byte `from` and zero the rest of the
 * page holding it, so a later extension reads zeros. Pages still mapped
 * somewhere keep their frames (their mappers hold references). */
void truncate_inode_pages(struct inode *inode, u64 from)
{
	struct address_space *m = inode->i_mapping;
	unsigned long first = (unsigned long)((from + PAGE_SIZE - 1) >> PAGE_SHIFT);
	struct page *batch[16];
	unsigned long idx[16];

	if (!m)
		return;
	unmap_mapping_pages(m, first);
	if (from & (PAGE_SIZE - 1)) {
		struct page *page = find_get_page(m, (unsigned long)(from >> PAGE_SHIFT));
		if (page) {
			size_t o = from & (PAGE_SIZE - 1);
			memset((char *)page_address(page) + o, 0, PAGE_SIZE - o);
			put_page(page);
		}
	}
	for (;;) {
		spin_lock(&m->tree_lock);
		unsigned int n = radix_tree_gang_lookup(&m->i_pages, (void **)batch, idx, first, 16);
		for (unsigned int i = 0; i < n; i++) {
			radix_tree_delete(&m->i_pages, idx[i]);
			m->nrpages--;
		}
		spin_unlock(&m->tree_lock);
		for (unsigned int i = 0; i < n; i++)
			drop_cache_page(idx[i], batch[i], NULL);
		if (n < 16)
			break;
	}
}

/* ---- read(2) and write(2) on page-cache files ------------------------- */

ssize_t generic_file_read_iter(struct file *f, struct iov_iter *to, u64 *pos)
{
	struct inode *inode = f->f_inode;
	struct address_space *m = inode_mapping(inode);
	ssize_t done = 0;

	if (!m)
		return -ENOMEM;
	while (to->count) {
		u64 size = __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
		if (*pos >= size)
			break;
		unsigned long index = (unsigned long)(*pos >> PAGE_SHIFT);
		size_t off = *pos & (PAGE_SIZE - 1);
		size_t n = (size_t)MIN((u64)(PAGE_SIZE - off), size - *pos);
		bool major;
		struct page *page = read_cache_page(m, index, &major);
		if (!page)
			return done ? done : -ENOMEM;
		size_t c = copy_to_iter((char *)page_address(page) + off, n, to);
		put_page(page);
		done += c;
		*pos += c;
		if (c < n)
			return done ? done : -EFAULT;
	}
	return done;
}

ssize_t generic_file_write_iter(struct file *f, struct iov_iter *from, u64 *pos)
{
	struct inode *inode = f->f_inode;
	struct address_space *m = inode_mapping(inode);
	ssize_t done = 0;

	if (!m)
		return -ENOMEM;
	mutex_lock(&inode->i_rwsem);
	file_remove_privs(inode);
	if ((f->f_flags & O_APPEND) || from->append)
		*pos = inode->i_size;
	while (from->count) {
		unsigned long index = (unsigned long)(*pos >> PAGE_SHIFT);
		size_t off = *pos & (PAGE_SIZE - 1);
		size_t n = MIN(PAGE_SIZE - off, from->count);
		bool major;
		struct page *page = read_cache_page(m, index, &major);
		if (!page) {
			if (!done)
				done = -ENOSPC;
			break;
		}
		size_t c = copy_from_iter((char *)page_address(page) + off, n, from);
		put_page(page);
		if (c) {
			*pos += c;
			done += c;
			spin_lock(&inode->i_lock);
			if (*pos > inode->i_size)
				inode->i_size = *pos;
			spin_unlock(&inode->i_lock);
		}
		if (c < n) {
			if (!done)
				done = -EFAULT;
			break;
		}
	}
	if (done > 0) {
		spin_lock(&inode->i_lock);
		inode->i_mtime = inode->i_ctime = current_time();
		spin_unlock(&inode->i_lock);
	}
	mutex_unlock(&inode->i_rwsem);
	return done;
}

/* The pages are mapped by filemap_fault (mmap_region sets the vm_ops). */
int generic_file_mmap(struct file *f, struct vm_area_struct *vma)
{
	(void)f, (void)vma;
	return 0;
}

/* Read from an inode's page cache into kernel memory (exec's headers). */
ssize_t inode_read(struct inode *inode, void *buf, size_t n, u64 pos)
{
	struct file tmp = { .f_inode = inode };
	struct iov_iter it;

	iov_iter_kvec(&it, buf, n);
	return generic_file_read_iter(&tmp, &it, &pos);
}
