/* #! scripts (Linux: fs/binfmt_script.c): "#!interpreter [one-arg]" on
 * the first line makes the interpreter run with argv = [interpreter,
 * (one-arg), script path, the original argv[1..]]. One level only: the
 * interpreter must be an ELF program. */
#include "proc/binfmt.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int load_script(struct linux_binprm *b)
{
	char line[BINPRM_BUF_SIZE];
	int err;

	if (b->buf[0] != '#' || b->buf[1] != '!')
		return -ENOEXEC;
	if (b->depth++ > 0)
		return -ELOOP; /* a script as interpreter: not followed */
	/* The first line, without "#!", trailing spaces and the newline. */
	size_t n = 0;
	for (size_t i = 2; i < BINPRM_BUF_SIZE && b->buf[i] && b->buf[i] != '\n'; i++)
		line[n++] = b->buf[i];
	if (n == BINPRM_BUF_SIZE - 2 && !memchr(b->buf, '\n', BINPRM_BUF_SIZE))
		return -ENOEXEC; /* no end of line within the buffer */
	while (n && is_space(line[n - 1]))
		n--;
	line[n] = 0;
	char *interp = line;
	while (is_space(*interp))
		interp++;
	if (!*interp)
		return -ENOEXEC;
	char *arg = interp;
	while (*arg && !is_space(*arg))
		arg++;
	if (*arg) {
		*arg++ = 0;
		while (is_space(*arg))
			arg++;
	}
	/* Replace argv[0] by: interpreter, its argument, the script's path. */
	b->p += strlen(bprm_kaddr(b, b->p)) + 1;
	b->argc--;
	if ((err = bprm_push(b, b->filename, strlen(b->filename) + 1)))
		return err;
	b->argc++;
	if (*arg) {
		if ((err = bprm_push(b, arg, strlen(arg) + 1)))
			return err;
		b->argc++;
	}
	if ((err = bprm_push(b, interp, strlen(interp) + 1)))
		return err;
	b->argc++;
	b->argv_start = b->p;
	bprm_close_file(b);
	if ((err = bprm_open(b, interp)))
		return err;
	return load_elf_binary(b);
}
