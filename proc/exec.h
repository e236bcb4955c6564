/* Program loading: do_execve → load_elf_binary (proc/exec.c). */
#ifndef PROC_EXEC_H
#define PROC_EXEC_H

/* argv/envp are NULL-terminated kernel string arrays. Returns -errno if
 * the caller is left untouched; on success the caller returns to user
 * mode in the new program. */
struct file;
/* A file to execute (regular, executable, on an exec mount); AT_* flags. */
struct file *open_exec_at(int dfd, const char *path, int flags);
int kernel_execve(const char *filename, const char *const *argv, const char *const *envp);
void exec_set_hwcap(const char *isa);

#endif
