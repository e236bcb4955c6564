/*
 * A GNU make plugin (loaded by the Makefile with `-load` for `make run`) so
 * that make itself can exit with the guest program's status: GNU make only
 * ever exits 0, 1 or 2, and no recipe can change that.
 *
 * $(vireo-exit FILE) reads a decimal status from FILE; if it is not 0, make
 * exits at once with it (42, or 128+signal), after flushing its output.
 */
#include <gnumake.h>
#include <stdio.h>
#include <stdlib.h>

int plugin_is_GPL_compatible;

static char *vireo_exit(const char *name, unsigned int argc, char **argv)
{
	FILE *f = fopen(argv[0], "r");
	int status = 0;

	(void)name;
	(void)argc;
	if (!f)
		return NULL;
	if (fscanf(f, "%d", &status) != 1)
		status = 0;
	fclose(f);
	if (status != 0) {
		fflush(stdout);
		fflush(stderr);
		exit(status & 0xff);
	}
	return NULL;
}

int make_exit_gmk_setup(const gmk_floc *floc)
{
	(void)floc;
	gmk_add_function("vireo-exit", vireo_exit, 1, 1, GMK_FUNC_DEFAULT);
	return 1;
}
