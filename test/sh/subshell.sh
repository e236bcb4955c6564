# subshell.sh: ( ) and $( ) run in a forked copy of the shell: changes to
# variables, directory, umask and traps stay inside; exit statuses and
# output come back; $$ stays the parent's while a new sh gets its own pid.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1
umask 022

x=outer
(x=inner; echo "in: $x")
echo "out: $x"
{ x=group; }
echo "group changes the shell: $x"

mkdir -p a/b
(cd a/b && pwd -P | sed "s|^$T|T|")
pwd -P | sed "s|^$T|T|"

(umask 077; touch private)
touch public
echo "modes $(stat -c %a private) $(stat -c %a public)"

(exit 3); echo "(exit 3): $?"
x=$(exit 4); echo "\$(exit 4): $?"
( (exit 5) ); echo "nested: $?"
(false || exit 6); echo "or: $?"
(set -e; false; echo "not reached"); echo "set -e: $?"

# Command substitution: trailing newlines go, inner ones stay; nesting.
v=$(printf 'a\nb\n\n\n')
echo "[$v]"
echo "$(echo "$(echo "$(echo deep)")")"
echo "`echo back`tick"
echo "$(( $(echo 6) * $(echo 7) ))"

# 300000 bytes of output come back whole.
echo "$(seq 1 50000)" | wc -lc
echo "$(seq 1 50000)" | md5sum
seq 1 50000 | md5sum

# $$ is the top shell's inside ( ) and $( ); a new sh has another pid,
# whose parent is us.
top=$$
(echo "subshell \$\$ same: $([ $$ = $top ] && echo yes)")
[ "$(echo $$)" = "$top" ] && echo "cmdsubst \$\$ same: yes"
[ "$(sh -c 'echo $$')" != "$top" ] && echo "sh -c pid differs: yes"
[ "$(sh -c 'echo $PPID')" = "$top" ] && echo "sh -c PPID is us: yes"

# A trap set in a subshell does not leak out; an exported variable
# reaches a child, an unexported one does not.
(trap 'echo sub-exit' EXIT; echo in-sub)
export EXP=exported
LOC=local
sh -c 'echo "child sees: ${EXP:-unset} ${LOC:-unset}"'
VAR=prefix sh -c 'echo "prefix assignment: $VAR"'
echo "after prefix: ${VAR:-unset}"

# Functions run in the current shell unless their body is ( ).
f() { y=set-by-f; }
g() ( y=set-by-g )
f; g; echo "y=$y"

# Many subshells in a row: fork and exit and reap keep up.
i=0
while [ $i -lt 200 ]; do i=$( (echo $((i + 1))) ); done
echo "200 subshells: $i"
