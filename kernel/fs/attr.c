/* Attribute changes (Linux: fs/attr.c): who may chmod, chown and set
 * times, and the call that checks and then applies a change. */
#include "kernel/fs/fsnotify.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "proc/cred.h"

static bool owner_or_capable(u32 uid)
{
	return uid == current_fsuid() || capable(CAP_FOWNER);
}

/* The owner may give a file to no one else: a new owner needs CAP_CHOWN
 * (a "change" to the current owner is fine for the owner). The group may
 * change, by the owner, to one the owner is in. */
static bool chown_ok(u32 i_uid, u32 uid)
{
	return (current_fsuid() == i_uid && uid == i_uid) || capable(CAP_CHOWN);
}

static bool chgrp_ok(u32 i_uid, u32 i_gid, u32 gid)
{
	return (current_fsuid() == i_uid && (gid == i_gid || in_group_p(gid))) || capable(CAP_CHOWN);
}

int setattr_prepare(struct inode *inode, struct iattr *a)
{
	spin_lock(&inode->i_lock);
	u32 uid = inode->i_uid, gid = inode->i_gid;
	spin_unlock(&inode->i_lock);

	if ((a->ia_valid & ATTR_UID) && !chown_ok(uid, a->ia_uid))
		return -EPERM;
	if ((a->ia_valid & ATTR_GID) && !chgrp_ok(uid, gid, a->ia_gid))
		return -EPERM;
	if (a->ia_valid & ATTR_MODE) {
		if (!owner_or_capable(uid))
			return -EPERM;
		/* Set-group-ID only for a member of the (new) group. */
		u32 g = (a->ia_valid & ATTR_GID) ? a->ia_gid : gid;
		if (!in_group_p(g) && !capable(CAP_FSETID))
			a->ia_mode &= ~S_ISGID;
	}
	if ((a->ia_valid & (ATTR_ATIME_SET | ATTR_MTIME_SET)) && !owner_or_capable(uid))
		return -EPERM;
	/* "Now" is also allowed to whoever may write the file. */
	if ((a->ia_valid & ATTR_TOUCH) && !owner_or_capable(uid))
		return inode_permission(inode, MAY_WRITE);
	return 0;
}

/* A write or truncation by someone without CAP_FSETID takes the set-id
 * bits away (Linux: file_remove_privs), so a changed program cannot keep
 * its owner's identity. */
void file_remove_privs(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	u32 mode = inode->i_mode;
	u32 kill = (mode & S_ISUID) | ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ? S_ISGID : 0);
	if (kill && S_ISREG(mode) && !capable(CAP_FSETID)) {
		inode->i_mode = mode & ~kill;
		inode->i_ctime = current_time();
	}
	spin_unlock(&inode->i_lock);
}

int notify_change(const struct path *p, struct iattr *a)
{
	struct inode *inode = p->dentry->d_inode;

	if (p->mnt->mnt_flags & MS_RDONLY)
		return -EROFS;
	int err = setattr_prepare(inode, a);
	if (err)
		return err;
	if (inode->i_op && inode->i_op->setattr) {
		mutex_lock(&inode->i_rwsem);
		err = inode->i_op->setattr(p->dentry, a);
		mutex_unlock(&inode->i_rwsem);
	} else {
		setattr_copy(inode, a);
	}
	if (!err)
		fsnotify_change(p->dentry, a->ia_valid);
	return err;
}
