/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): the pages belong
 * to a shmem object that every VMA of the mapping refers to, so processes
 * sharing the VMA after fork see one set of frames. */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H
#include "mm/mm_types.h"

int shmem_zero_setup(struct vm_area_struct *vma);

/* The object itself, for mappings that outlive no VMA (SysV shm segments,
 * kernel/ipc/shm.c): created with one reference, its pages freed with the
 * last; fault finds or zero-fills page vmf->pgoff of it. */
struct shmem_object;
struct shmem_object *shmem_object_alloc(void);
void shmem_object_get(struct shmem_object *s);
void shmem_object_put(struct shmem_object *s);
int shmem_object_fault(struct shmem_object *s, struct vm_fault *vmf);
unsigned long shmem_object_nrpages(struct shmem_object *s);

#endif
