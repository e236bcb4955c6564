# exec.sh: exec without a command changes the shell's own fds (open,
# duplicate, close, move); exec with a command replaces the shell in the
# same process (same pid, fds kept, the rest of the script not run).
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

exec 3> f
echo one >&3
echo two >&3
exec 3>&-
cat f
(echo three >&3) 2>/dev/null || echo "fd 3 closed: write fails"

exec 4< f
read -r a <&4
read -r b <&4
exec 4<&-
echo "read from fd 4: $a $b"

# Append, and read-write on one fd.
exec 5>> f
echo appended >&5
exec 5>&-
tail -1 f
echo 0123456789 > rw
exec 6<> rw
read -r -n 4 x <&6
echo XY >&6
exec 6>&-
echo "read-write: $x then $(cat rw | tr '\n' ' ')"

# Save stdout in fd 7, send stdout to a file, restore it.
exec 7>&1
exec > redirected
echo "into the file"
exec 1>&7 7>&-
echo "stdout back; file has: $(cat redirected)"

# Two fds to one open file share its offset (dup); two opens do not.
exec 3> shared 4>&3
echo aa >&3
echo bb >&4
exec 3>&- 4>&-
echo "dup shares offset: $(cat shared | tr '\n' ' ')"
exec 3> sep 4> sep
echo aa >&3
echo b >&4
exec 3>&- 4>&-
echo "two opens: $(cat sep | tr '\n' ' ')"

# A high fd number and many open at once.
exec 9> nine
echo nine >&9
exec 9>&-
cat nine
exec 3>a3 4>a4 5>a5 6>a6 7>a7 8>a8
for i in 3 4 5 6 7 8; do eval "echo fd$i >&$i"; done
exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&-
cat a3 a4 a5 a6 a7 a8 | tr '\n' ' '; echo

# fds opened by exec are inherited by commands the shell runs.
exec 3> inherited
sh -c 'echo "child writes fd 3" >&3'
exec 3>&-
cat inherited

# exec COMMAND replaces the (sub)shell: nothing after it runs, and the
# process keeps its pid.
(exec echo "replaced by echo"; echo "not reached")
(exec sh -c 'exit 9'; echo "not reached"); echo "exec'd status: $?"
sh -c 'echo $$ > before; exec sh -c "echo \$\$ > after"'
[ "$(cat before)" = "$(cat after)" ] && echo "exec keeps the pid"
(exec 3> viaexec; exec sh -c 'echo "exec keeps fds" >&3'); cat viaexec
(exec > out2; exec echo "exec'd with stdout redirected"); cat out2
(exec /nonexistent) 2>&1 | sed 's/.*: //'
sh -c 'exec /nonexistent 2>/dev/null'; echo "status: $?"
echo '#!/bin/sh' > script; echo 'echo "script via #!: $1"' >> script
chmod +x script
(exec ./script arg)
chmod -x script
sh -c 'exec ./script' 2>/dev/null; echo "not executable: $?"
