# An unreadable file: LS002 "Permission denied", exit 2.  root reads
# everything, so as root lossc runs as the unprivileged user 65534
# (setpriv, util-linux); without setpriv the case is skipped as root.
# That user may not be able to reach the build tree (a clone under a
# private mktemp directory, as in CI), so the file, a copy of lossc and
# of the built-in rules go into a directory everyone can enter.
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "running as root without setpriv: permission checks do not apply" >&2
		exit 77
	fi
	open=$(mktemp -d "${TMPDIR:-/tmp}/lossc-perm.XXXXXX") || exit 2
	trap 'rm -rf "$open"' EXIT
	cp "$LOSSC" "$open/lossc" && cp -R "$GOLDEN/../../rules" "$open/rules" || exit 2
	chmod -R a+rX "$open"
	cd "$open" || exit 2
	echo 'goal g { }' > secret.loss
	chmod 000 secret.loss
	LOSSC_RULES_DIR=$open/rules setpriv --reuid=65534 --regid=65534 --clear-groups ./lossc lint secret.loss
else
	echo 'goal g { }' > secret.loss
	chmod 000 secret.loss
	"$LOSSC" lint secret.loss
fi
