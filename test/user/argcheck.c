/* Boot test helper, exec'd by test/user/fork.c: checks that argv and envp
 * arrived exactly and that the auxiliary vector is sane; exit status 0
 * means all matched. "--script" mode checks the #! interpreter argv. */
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--script"))
		/* #!/test/argcheck --script → [argcheck, --script, <script>, args...] */
		return !(strstr(argv[2], "script.sh") && argc == 4 && !strcmp(argv[3], "arg1"));
	if (argc != 5 || strcmp(argv[1], "") || strcmp(argv[2], "a b") || strcmp(argv[3], " spaced  ") ||
	    strcmp(argv[4], "x"))
		return 2;
	if (!environ[0] || strcmp(environ[0], "A=1") || !environ[1] || strcmp(environ[1], "B= two ") ||
	    environ[2])
		return 3;
	if (getauxval(AT_PAGESZ) != 4096 || !getauxval(AT_RANDOM))
		return 4;
	return 0;
}
