/* shmem objects: a refcounted page cache with no file behind it; pages
 * are zero-filled on first touch and freed with the last reference. */
#include "mm/shmem.h"
#include "mm/filemap.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "kernel/errno.h"

struct shmem_object {
	struct address_space mapping;
	int refcount; /* VMAs referring to it, and a SysV segment's own reference */
};

static void shmem_free_page(unsigned long index, void *item, void *arg)
{
	struct page *page = item;

	(void)index, (void)arg;
	page->mapping = NULL;
	put_page(page);
}

struct shmem_object *shmem_object_alloc(void)
{
	struct shmem_object *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	INIT_RADIX_TREE(&s->mapping.i_pages);
	spin_lock_init(&s->mapping.tree_lock);
	s->refcount = 1;
	return s;
}

void shmem_object_get(struct shmem_object *s)
{
	__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
}

void shmem_object_put(struct shmem_object *s)
{
	if (__atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		radix_tree_destroy(&s->mapping.i_pages, shmem_free_page, NULL);
		kfree(s);
	}
}

unsigned long shmem_object_nrpages(struct shmem_object *s)
{
	return READ_ONCE(s->mapping.nrpages);
}

int shmem_object_fault(struct shmem_object *s, struct vm_fault *vmf)
{
	struct address_space *m = &s->mapping;

	spin_lock(&m->tree_lock);
	struct page *page = radix_tree_lookup(&m->i_pages, vmf->pgoff);
	if (!page) {
		void *va = get_zeroed_page();
		if (!va || radix_tree_insert(&m->i_pages, vmf->pgoff, virt_to_page(va))) {
			spin_unlock(&m->tree_lock);
			if (va)
				free_page_va(va);
			return VM_FAULT_OOM;
		}
		page = virt_to_page(va); /* its first reference is the object's */
		page->mapping = m;
		page->index = vmf->pgoff;
		m->nrpages++;
	}
	get_page(page); /* and one for the PTE */
	spin_unlock(&m->tree_lock);
	vmf->page = page;
	return 0;
}

static void shmem_vma_open(struct vm_area_struct *vma)
{
	shmem_object_get(vma->vm_private_data);
}

static void shmem_vma_close(struct vm_area_struct *vma)
{
	shmem_object_put(vma->vm_private_data);
}

static int shmem_fault(struct vm_fault *vmf)
{
	return shmem_object_fault(vmf->vma->vm_private_data, vmf);
}

static const struct vm_operations_struct shmem_vm_ops = {
	.open = shmem_vma_open,
	.close = shmem_vma_close,
	.fault = shmem_fault,
	.name = "shmem",
};

int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct shmem_object *s = shmem_object_alloc();

	if (!s)
		return -ENOMEM;
	vma->vm_private_data = s;
	vma->vm_ops = &shmem_vm_ops;
	vma->vm_pgoff = 0;
	return 0;
}
