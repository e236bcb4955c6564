/* System V shared memory (Linux: ipc/shm.c). A segment's pages live in a
 * shmem object (mm/shmem.c); shmat maps it MAP_SHARED with shm_vm_ops, whose
 * open/close hooks count the attaching VMAs (shm_nattch) through fork, exit,
 * munmap and shmdt alike. IPC_RMID of an attached segment only marks it
 * SHM_DEST; the last detach destroys it. */
#include "kernel/ipc/util.h"
#include "kernel/ipc/ipc.h"
#include "kernel/errno.h"
#include "kernel/fs/proc/internal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "proc/task.h"

#define SHMMIN 1UL
#define SHMMAX (~0UL - (1UL << 24))
#define SHMALL (~0UL - (1UL << 24)) /* pages */
#define SHMMNI IPC_MAX_ENTRIES
#define SHMLBA PAGE_SIZE

/* shm_perm.mode bits above the permissions */
#define SHM_DEST 01000
#define SHM_LOCKED 02000
/* shmat flags */
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
/* shmctl commands */
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15

struct shmid_kernel {
	struct kern_ipc_perm shm_perm;  /* its lock protects the fields below */
	struct shmem_object *shm_file;  /* the pages */
	unsigned long shm_nattch;       /* VMAs mapping it, plus shmat calls in progress */
	size_t shm_segsz;
	long shm_atim, shm_dtim, shm_ctim;
	int shm_cprid, shm_lprid;
};

/* The user structures (asm-generic/shmbuf.h, 64-bit). */
struct shmid64_ds {
	struct ipc64_perm shm_perm;
	size_t shm_segsz;
	long shm_atime, shm_dtime, shm_ctime;
	int shm_cpid, shm_lpid;
	unsigned long shm_nattch, __unused4, __unused5;
};
_Static_assert(sizeof(struct shmid64_ds) == 112, "glibc's struct shmid_ds on riscv64");
struct shminfo64 {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall, __unused[4];
};
struct shm_info {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

static struct ipc_ids shm_ids;
static unsigned long shm_tot; /* pages of all segments; protected by shm_ids.rwsem */

static const struct vm_operations_struct shm_vm_ops;

static inline struct shmid_kernel *shm_of(struct kern_ipc_perm *perm)
{
	return container_of(perm, struct shmid_kernel, shm_perm);
}

static void shm_free(struct kern_ipc_perm *perm)
{
	struct shmid_kernel *shp = shm_of(perm);

	shmem_object_put(shp->shm_file); /* pages still mapped keep their own references */
	kfree(shp);
}

/* Out of the table: shm_ids.rwsem and the segment's lock held; unlocks. */
static void shm_destroy(struct shmid_kernel *shp)
{
	shm_tot -= ALIGN_UP(shp->shm_segsz, PAGE_SIZE) >> PAGE_SHIFT;
	ipc_rmid(&shm_ids, &shp->shm_perm);
	ipc_unlock_object(&shp->shm_perm);
	ipc_putref(&shp->shm_perm); /* the table's */
}

static bool shm_may_destroy(struct shmid_kernel *shp)
{
	return shp->shm_nattch == 0 && (shp->shm_perm.mode & SHM_DEST) && !shp->shm_perm.deleted;
}

/* One attachment less: the last one of a segment marked SHM_DEST destroys
 * it. The caller holds a reference. Only that case takes the table's lock
 * (which comes before the segment's: so look again with both held). */
static void shm_drop_attach(struct shmid_kernel *shp)
{
	bool destroy;

	ipc_lock_object(&shp->shm_perm);
	shp->shm_lprid = current->tgid;
	shp->shm_dtim = ipc_get_seconds();
	shp->shm_nattch--;
	destroy = shm_may_destroy(shp);
	ipc_unlock_object(&shp->shm_perm);
	if (!destroy)
		return;
	mutex_lock(&shm_ids.rwsem);
	ipc_lock_object(&shp->shm_perm);
	if (shm_may_destroy(shp))
		shm_destroy(shp);
	else
		ipc_unlock_object(&shp->shm_perm);
	mutex_unlock(&shm_ids.rwsem);
}

/* A new VMA maps the segment: shmat, fork, or a split. */
static void shm_open(struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = vma->vm_private_data;

	ipc_getref(&shp->shm_perm);
	ipc_lock_object(&shp->shm_perm);
	shp->shm_atim = ipc_get_seconds();
	shp->shm_lprid = current->tgid;
	shp->shm_nattch++;
	ipc_unlock_object(&shp->shm_perm);
}

static void shm_close(struct vm_area_struct *vma)
{
	struct shmid_kernel *shp = vma->vm_private_data;

	shm_drop_attach(shp);
	ipc_putref(&shp->shm_perm);
}

static int shm_fault(struct vm_fault *vmf)
{
	struct shmid_kernel *shp = vmf->vma->vm_private_data;

	/* Beyond the segment (an mremap grew the VMA): SIGBUS, as Linux. */
	if (vmf->pgoff >= ALIGN_UP(shp->shm_segsz, PAGE_SIZE) >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	return shmem_object_fault(shp->shm_file, vmf);
}

static const struct vm_operations_struct shm_vm_ops = {
	.open = shm_open,
	.close = shm_close,
	.fault = shm_fault,
	.name = "SYSV",
};

static int newseg(struct ipc_ids *ids, struct ipc_params *p)
{
	size_t size = p->size;
	unsigned long pages = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;
	struct shmid_kernel *shp;
	int id;

	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	if (shm_tot + pages < shm_tot || shm_tot + pages > SHMALL)
		return -ENOSPC;
	shp = kzalloc(sizeof(*shp));
	if (!shp)
		return -ENOMEM;
	shp->shm_file = shmem_object_alloc();
	if (!shp->shm_file) {
		kfree(shp);
		return -ENOMEM;
	}
	shp->shm_segsz = size;
	shp->shm_cprid = current->tgid;
	shp->shm_ctim = ipc_get_seconds();
	shp->shm_perm.free = shm_free;
	id = ipc_addid(ids, &shp->shm_perm, p->key, p->flg);
	if (id < 0) {
		shm_free(&shp->shm_perm);
		return id;
	}
	shm_tot += pages;
	return id;
}

static int shm_more_checks(struct kern_ipc_perm *perm, struct ipc_params *p)
{
	return shm_of(perm)->shm_segsz < p->size ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = { .getnew = newseg, .more_checks = shm_more_checks };

void shm_init(void)
{
	ipc_init_ids(&shm_ids, SHMMNI);
}

SYSCALL_DEFINE3(shmget, key_t, key, size_t, size, int, shmflg)
{
	struct ipc_params p = { .key = key, .flg = shmflg, .size = size };

	return ipcget(&shm_ids, &shm_ops, &p);
}

/* ---- shmat / shmdt ---- */

static long do_shmat(int shmid, unsigned long addr, int shmflg)
{
	struct kern_ipc_perm *perm;
	struct shmid_kernel *shp;
	unsigned long flags = 0, prot, size, ret;
	short acc;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr &= ~(SHMLBA - 1);
			if (!addr)
				return -EINVAL;
		}
		flags |= MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	prot = shmflg & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
	acc = shmflg & SHM_RDONLY ? S_IRUGO : S_IRUGO | S_IWUGO;
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}
	perm = ipc_obtain_lock(&shm_ids, shmid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	if (ipcperms(perm, acc)) {
		ipc_unlock_put(perm);
		return -EACCES;
	}
	shp = shm_of(perm);
	size = shp->shm_segsz;
	shp->shm_nattch++; /* keeps an IPC_RMID meanwhile from destroying it */
	ipc_unlock_object(perm);

	struct mm_struct *mm = current->mm;
	mmap_write_lock(mm);
	if (addr && !(shmflg & SHM_REMAP) &&
	    find_vma_intersection(mm, addr, addr + ALIGN_UP(size, PAGE_SIZE)))
		ret = -EINVAL;
	else
		ret = do_mmap_object(&shm_vm_ops, shp, addr, size, prot, flags);
	mmap_write_unlock(mm);
	shm_drop_attach(shp);
	ipc_putref(perm);
	return (long)ret;
}

SYSCALL_DEFINE3(shmat, int, shmid, unsigned long, shmaddr, int, shmflg)
{
	return do_shmat(shmid, shmaddr, shmflg);
}

static bool is_attach_of(struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_ops == &shm_vm_ops &&
	       (vma->vm_start - addr) >> PAGE_SHIFT == vma->vm_pgoff;
}

/* As Linux: unmap the attachment found at addr, then the other VMAs of the
 * same segment within its size (what mprotect may have split off). */
SYSCALL_DEFINE1(shmdt, unsigned long, addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *next;
	void *seg = NULL;
	unsigned long size = 0;
	long ret = -EINVAL;

	if (addr & ~PAGE_MASK)
		return -EINVAL;
	mmap_write_lock(mm);
	for (vma = find_vma(mm, addr); vma; vma = next) {
		next = vma->vm_next;
		if (is_attach_of(vma, addr)) {
			struct shmid_kernel *shp = vma->vm_private_data;
			seg = shp;
			size = ALIGN_UP(shp->shm_segsz, PAGE_SIZE);
			do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start);
			ret = 0;
			vma = next;
			break;
		}
	}
	while (vma && vma->vm_end - addr <= size) {
		next = vma->vm_next;
		if (is_attach_of(vma, addr) && vma->vm_private_data == seg)
			do_munmap(mm, vma->vm_start, vma->vm_end - vma->vm_start);
		vma = next;
	}
	mmap_write_unlock(mm);
	return ret;
}

/* ---- shmctl ---- */

static void fill_shmid64(struct kern_ipc_perm *perm, void *out)
{
	struct shmid_kernel *shp = shm_of(perm);
	struct shmid64_ds *ds = out;

	ds->shm_segsz = shp->shm_segsz;
	ds->shm_atime = shp->shm_atim;
	ds->shm_dtime = shp->shm_dtim;
	ds->shm_ctime = shp->shm_ctim;
	ds->shm_cpid = shp->shm_cprid;
	ds->shm_lpid = shp->shm_lprid;
	ds->shm_nattch = shp->shm_nattch;
}

static long shmctl_info(int cmd, void __user *buf)
{
	long ret;

	mutex_lock(&shm_ids.rwsem);
	ret = ipc_max_idx(&shm_ids);
	if (cmd == IPC_INFO) {
		struct shminfo64 si = { .shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
					.shmseg = SHMMNI, .shmall = SHMALL };
		mutex_unlock(&shm_ids.rwsem);
		return copy_to_user(buf, &si, sizeof(si)) ? -EFAULT : ret;
	}
	struct shm_info info = { .used_ids = shm_ids.in_use, .shm_tot = shm_tot };
	for (int i = 0; i <= shm_ids.max_idx; i++) {
		struct kern_ipc_perm *perm = shm_ids.entries[i].perm; /* stable under rwsem */
		if (perm)
			info.shm_rss += shmem_object_nrpages(shm_of(perm)->shm_file);
	}
	mutex_unlock(&shm_ids.rwsem);
	return copy_to_user(buf, &info, sizeof(info)) ? -EFAULT : ret;
}

/* IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK: changes that need ownership. */
static long shmctl_down(int shmid, int cmd, void __user *buf)
{
	struct shmid64_ds ds;
	struct kern_ipc_perm *perm;
	struct shmid_kernel *shp;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	perm = ipcctl_obtain_check(&shm_ids, shmid);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	shp = shm_of(perm);
	switch (cmd) {
	case IPC_SET:
		ipc_update_perm(&ds.shm_perm, perm);
		shp->shm_ctim = ipc_get_seconds();
		break;
	case IPC_RMID:
		if (shp->shm_nattch) {
			perm->mode |= SHM_DEST;
			ipc_set_key_private(&shm_ids, perm); /* a new shmget(key) makes a new one */
		} else {
			shm_destroy(shp); /* unlocks */
			ipc_putref(perm);
			mutex_unlock(&shm_ids.rwsem);
			return 0;
		}
		break;
	case SHM_LOCK: /* resident anyway: Vireo never swaps */
		perm->mode |= SHM_LOCKED;
		break;
	case SHM_UNLOCK:
		perm->mode &= ~SHM_LOCKED;
		break;
	}
	ipc_unlock_put(perm);
	mutex_unlock(&shm_ids.rwsem);
	return 0;
}

/* glibc on riscv64 passes cmd without IPC_64: as Linux, a cmd with it is
 * an unknown command (EINVAL). */
SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, void __user *, buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shmctl_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY: {
		struct shmid64_ds ds;
		return ipc_stat(&shm_ids, shmid, cmd, cmd == SHM_STAT_ANY, buf, &ds, sizeof(ds),
				fill_shmid64);
	}
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_down(shmid, cmd, buf);
	default:
		return -EINVAL;
	}
}

static void shm_proc_line(struct kern_ipc_perm *perm, struct pbuf *p)
{
	struct shmid_kernel *shp = shm_of(perm);

	pb_printf(p, "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10ld %10ld %10ld %21lu %21lu\n",
		  perm->key, perm->id, perm->mode, shp->shm_segsz, shp->shm_cprid, shp->shm_lprid,
		  shp->shm_nattch, perm->uid, perm->gid, perm->cuid, perm->cgid, shp->shm_atim,
		  shp->shm_dtim, shp->shm_ctim, shmem_object_nrpages(shp->shm_file) << PAGE_SHIFT, 0UL);
}

size_t sysvipc_shm_proc_show(struct file *f, char *buf, size_t n)
{
	(void)f;
	return ipc_proc_show(&shm_ids, buf, n,
			     "       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
			     "  cuid  cgid      atime      dtime      ctime                   rss                  swap\n",
			     shm_proc_line);
}
