# trap.sh: the shell's traps: EXIT runs at the end whatever the exit
# status, a signal sent to ourselves runs its handler before the next
# command, "trap - SIG" restores the default action, "trap '' SIG"
# ignores it, and an ignored signal stays ignored across exec.
T=$(mktemp -d) || exit 1
cd "$T" || exit 1
trap 'echo "EXIT trap, status $?"; cd /; rm -rf "$T"' EXIT

trap 'echo "got INT"' INT
kill -INT $$
echo "after INT"
trap 'echo "got USR1"' USR1
trap 'echo "got USR2"' USR2
kill -USR1 $$
kill -USR2 $$
echo "after USR1 and USR2"
trap 'echo "got TERM"' TERM
kill $$
echo "after TERM"
trap 'echo "got HUP"' HUP
kill -HUP $$
kill -HUP $$
echo "HUP twice: two handlers"

# trap with no arguments lists the handlers.
trap > traps
grep -E 'INT|USR1' traps

# Reset to the default: INT now kills (a child shell, 128+2).
trap - INT
sh -c 'trap "echo no" INT; trap - INT; kill -INT $$; echo "not reached"'
echo "trap - INT then INT: $?"
sh -c 'kill -TERM $$; echo "not reached"'
echo "default TERM: $?"

# Ignored: the shell survives, and so does a program it runs (SIG_IGN
# is kept across execve; handlers are reset to default there).
sh -c 'trap "" TERM; kill -TERM $$; echo "ignored TERM: survived"'
sh -c 'trap "" USR1; sh -c "kill -USR1 \$\$; echo \"ignored across exec: survived\""'
sh -c 'trap "echo handler" USR1; sh -c "kill -USR1 \$\$; echo not reached"; echo "handled across exec: $?"'

# The EXIT trap of a child shell runs on exit, on error exit, and after
# a signal handler that exits; not when it is killed by a signal.
sh -c 'trap "echo child EXIT" EXIT; exit 3'; echo "status $?"
sh -c 'trap "echo child EXIT" EXIT; set -e; false; echo not reached'; echo "status $?"
sh -c 'trap "echo child EXIT" EXIT; trap "exit 9" USR1; kill -USR1 $$; echo not reached'; echo "status $?"
sh -c 'trap "echo child EXIT" EXIT; kill -KILL $$'; echo "status $?"

# A signal that arrives while the shell waits for a foreground command
# runs its trap once that command is done, before the next one.
sh -c 'trap "echo USR2 arrived" USR2; (kill -USR2 $$; touch sent) &
	while [ ! -e sent ]; do sleep 0.05; done; echo "loop finished"; wait'

# A subshell signalling its parent: the parent's handler runs once the
# subshell is done. Ignored signals stay ignored in a subshell.
trap 'echo "parent got USR1"' USR1
(kill -USR1 $$; echo "subshell sent USR1")
trap '' USR2
(trap | grep USR2)
echo "end of script"
