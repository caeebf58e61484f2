# An unreadable file: LS002 "Permission denied", exit 2.  root reads
# everything, so as root lossc runs as the unprivileged user 65534
# (setpriv, util-linux); without setpriv the case is skipped as root.
echo 'goal g { }' > secret.loss
chmod 000 secret.loss
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		echo "running as root without setpriv: permission checks do not apply" >&2
		exit 77
	fi
	setpriv --reuid=65534 --regid=65534 --clear-groups "$LOSSC" lint secret.loss
else
	"$LOSSC" lint secret.loss
fi
