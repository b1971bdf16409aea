#!/bin/sh
# compliance-remediation: linux-unprivileged-bpf
# Compliance remediation for Linux: kernel.unprivileged_bpf_disabled=1, at once (the sysctl) and for every later boot
# (/etc/sysctl.d/90-compliance-unprivileged-bpf.conf, a file of its own). Unprivileged eBPF lets user programs defeat the
# Spectre variant 2 mitigation (the kernel then says "Vulnerable: eIBRS with unprivileged eBPF" or "Unprivileged eBPF
# enabled"). 1 cannot be changed back until the next boot. It changes nothing else: boot parameters are explained in
# the findings, never edited. No restart is needed.
# This script is a constant: it takes no parameters and nothing is ever substituted into it.
# Prints "SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=<value|invalid>", then "RESULT ok"; or
# "RESULT error <reason>" and exit code 1.
# POSIX sh only (dash, bash, busybox ash); no bashisms.

LC_ALL=C
export LC_ALL
umask 022

SYSCTL_FILE=/proc/sys/kernel/unprivileged_bpf_disabled
CONF_DIR=/etc/sysctl.d
CONF_FILE=$CONF_DIR/90-compliance-unprivileged-bpf.conf

fail() {
    printf 'RESULT error %s\n' "$1"
    exit 1
}

# number_token VALUE: VALUE when it is a short plain number, else "invalid".
number_token() {
    case "$1" in
        '' | *[!0-9]*) printf 'invalid' ;;
        *) if [ "${#1}" -le 10 ]; then printf '%s' "$1"; else printf 'invalid'; fi ;;
    esac
}

[ -r "$SYSCTL_FILE" ] || fail 'the kernel has no kernel.unprivileged_bpf_disabled'
previous=$(number_token "$(cat "$SYSCTL_FILE" 2>/dev/null | head -n 1)")

if command -v sysctl >/dev/null 2>&1; then
    sysctl -q -w kernel.unprivileged_bpf_disabled=1 >/dev/null 2>&1 || printf '1\n' > "$SYSCTL_FILE" 2>/dev/null
else
    printf '1\n' > "$SYSCTL_FILE" 2>/dev/null
fi
now=$(cat "$SYSCTL_FILE" 2>/dev/null | head -n 1)
[ "$now" = "1" ] || fail 'the kernel did not accept kernel.unprivileged_bpf_disabled=1'
printf 'SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=%s\n' "$previous"

# Written beside and renamed, so that a boot never reads half a file.
mkdir -p "$CONF_DIR" 2>/dev/null || fail 'cannot create /etc/sysctl.d'
printf '%s\n%s\n' '# Written by the Compliance remediation linux-unprivileged-bpf: unprivileged eBPF stays off after a reboot.' \
    'kernel.unprivileged_bpf_disabled = 1' > "$CONF_FILE.tmp" 2>/dev/null || fail 'cannot write /etc/sysctl.d/90-compliance-unprivileged-bpf.conf'
mv -f "$CONF_FILE.tmp" "$CONF_FILE" 2>/dev/null || fail 'cannot write /etc/sysctl.d/90-compliance-unprivileged-bpf.conf'
printf 'RESULT ok\n'
exit 0
