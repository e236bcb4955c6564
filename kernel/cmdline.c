/* Command-line parsing: Linux's conventions where they exist (quiet,
 * sched_verbose, init=, everything after "--" goes to init as arguments). */
#include "kernel/cmdline.h"
#include "proc/sched/topology.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct boot_params boot_params;

static char *next_word(char **s)
{
	char *p = *s, *w;

	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	w = p;
	if (*p == '"') {
		w = ++p;
		while (*p && *p != '"')
			p++;
	} else {
		while (*p && *p != ' ')
			p++;
	}
	if (*p)
		*p++ = 0;
	*s = p;
	return w;
}

void parse_cmdline(char *cmdline)
{
	char *s = cmdline, *w;
	bool after_dashes = false;

	while ((w = next_word(&s))) {
		if (after_dashes) {
			if (boot_params.init_argc < MAX_INIT_ARGS)
				boot_params.init_argv[1 + boot_params.init_argc++] = w;
			else
				pr_warn("cmdline: too many init arguments, dropped %s\n", w);
		} else if (!strcmp(w, "--")) {
			after_dashes = true;
		} else if (!strcmp(w, "quiet")) {
			boot_params.quiet = true;
		} else if (!strcmp(w, "sched_verbose")) {
			sched_debug_verbose = true; /* print the scheduling domains at boot */
		} else if (!strcmp(w, "slub_debug")) {
			slub_debug = true;
		} else if (!strcmp(w, "test_oops")) {
			boot_params.test_oops = true;
		} else if (!strncmp(w, "init=", 5)) {
			boot_params.init = w + 5;
		}
	}
}
