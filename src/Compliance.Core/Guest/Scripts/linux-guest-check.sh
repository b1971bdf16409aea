#!/bin/sh
# Compliance guest check for Linux (guest report schema 1).
# Read-only. Prints one compact JSON object as the last line of stdout: the kernel's own view of the
# speculative-execution issues (/sys/devices/system/cpu/vulnerabilities), the settings that can turn its mitigations
# off (the mitigation parameters of /proc/cmdline, kernel.unprivileged_bpf_disabled, the SMT control), uname -r,
# /etc/os-release and the boot time.
# This script is a constant: it takes no parameters and nothing is ever substituted into it.
# POSIX sh only (dash, bash, busybox ash); no jq, no bashisms.

LC_ALL=C
export LC_ALL

# Run Command keeps only the last 4,096 bytes of stdout; the report must stay under 3,500.
MAX_REPORT_BYTES=3400

# json_string VALUE: prints VALUE as a JSON string literal. Backslash and quote are escaped, control characters
# become \u00XX; bytes of 0x80 and above pass through (the parser reads UTF-8).
json_string() {
    printf '%s' "$1" | awk '
        BEGIN { for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\u%04x", i); out = "" }
        {
            res = ""
            n = length($0)
            for (i = 1; i <= n; i++) {
                c = substr($0, i, 1)
                if (c == "\\") res = res "\\\\"
                else if (c == "\"") res = res "\\\""
                else if (c in ctl) res = res ctl[c]
                else res = res c
            }
            out = (NR == 1) ? res : out "\\n" res
        }
        END { printf "\"%s\"", out }'
}
# end json_string

# json_or_null VALUE: a JSON string, or null when VALUE is empty.
json_or_null() {
    if [ -n "$1" ]; then json_string "$1"; else printf 'null'; fi
}

# trim_file FILE [MAXLEN]: the file's content without leading or trailing white space, optionally cut to MAXLEN bytes.
trim_file() {
    v=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$1" 2>/dev/null)
    if [ -n "$2" ] && [ "${#v}" -gt "$2" ]; then
        v=$(printf '%s' "$v" | cut -c "1-$2")
    fi
    printf '%s' "$v"
}

# vulnerabilities [MAXLEN]: a JSON object mapping each sysfs file name to its trimmed content, or null when the
# directory does not exist (a kernel without the January 2018 updates).
vulnerabilities() {
    dir=/sys/devices/system/cpu/vulnerabilities
    if [ ! -d "$dir" ]; then
        printf 'null'
        return
    fi
    printf '{'
    sep=''
    for f in "$dir"/*; do
        [ -f "$f" ] || continue
        printf '%s%s:%s' "$sep" "$(json_string "${f##*/}")" "$(json_string "$(trim_file "$f" "$1")")"
        sep=','
    done
    printf '}'
}

# kernel_parameters [MAX [FILE]]: a JSON array of the boot parameters that select speculative-execution mitigations
# (a fixed list of names; any other parameter is left out), or null when the command line (FILE, /proc/cmdline when
# not given) cannot be read. At most MAX (16 when not given), each cut to 64 bytes.
kernel_parameters() {
    max=${1:-16}
    file=${2:-/proc/cmdline}
    if [ ! -r "$file" ]; then
        printf 'null'
        return
    fi
    line=$(cat "$file" 2>/dev/null) || { printf 'null'; return; }
    printf '['
    sep=''
    count=0
    set -f
    for p in $line; do
        [ "$p" = "--" ] && break
        case "${p%%=*}" in
            mitigations | nopti | pti | kpti | nospectre_v1 | nospectre_v2 | spectre_v2 | spectre_v2_user | spectre_bhi | \
            nospectre_bhb | spec_store_bypass_disable | nospec_store_bypass_disable | ssbd | noibrs | noibpb | l1tf | \
            l1d_flush | mds | tsx_async_abort | tsx | mmio_stale_data | retbleed | spec_rstack_overflow | \
            gather_data_sampling | reg_file_data_sampling | indirect_target_selection | tsa | vmscape | srbds | nosmt | \
            kvm.nx_huge_pages | kvm-intel.vmentry_l1d_flush)
                [ "$count" -ge "$max" ] && break
                printf '%s%s' "$sep" "$(json_string "$(printf '%s' "$p" | cut -c 1-64)")"
                sep=','
                count=$((count + 1))
                ;;
        esac
    done
    set +f
    printf ']'
}

# number_file FILE: the file's content as a JSON number when it is a plain non-negative integer, else null.
number_file() {
    v=$(trim_file "$1" 12)
    case "$v" in
        '' | *[!0-9]*) printf 'null' ;;
        *) printf '%s' "$v" ;;
    esac
}

# os_release KEY: the unquoted value of KEY in os-release, if any.
os_release() {
    for f in /etc/os-release /usr/lib/os-release; do
        if [ -r "$f" ]; then
            sed -n "s/^$1=//p" "$f" | head -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
            return
        fi
    done
}

boot_time() {
    bt=$(awk '$1 == "btime" { print $2; exit }' /proc/stat 2>/dev/null)
    case "$bt" in
        '' | *[!0-9]*) return ;;
    esac
    date -u -d "@$bt" '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null || date -u -r "$bt" '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null
}

report() {
    printf '{"schema":1,"os":"Linux","kernel":%s,"distro":{"id":%s,"versionId":%s,"prettyName":%s},"vulnerabilities":%s,"kernelParameters":%s,"unprivilegedBpfDisabled":%s,"smtControl":%s,"lastBootUtc":%s}' \
        "$(json_or_null "$(uname -r 2>/dev/null)")" \
        "$(json_or_null "$(os_release ID)")" \
        "$(json_or_null "$(os_release VERSION_ID)")" \
        "$(json_or_null "$(os_release PRETTY_NAME)")" \
        "$(vulnerabilities "$1")" \
        "$(kernel_parameters "$2")" \
        "$(number_file /proc/sys/kernel/unprivileged_bpf_disabled)" \
        "$(json_or_null "$(trim_file /sys/devices/system/cpu/smt/control 32)")" \
        "$(json_or_null "$(boot_time)")"
}

out=$(report '' 16)
if [ "${#out}" -gt "$MAX_REPORT_BYTES" ]; then
    # Unusually long strings: keep every file, shorten the values and keep fewer boot parameters.
    out=$(report 120 8)
fi
if [ "${#out}" -gt "$MAX_REPORT_BYTES" ]; then
    out=$(report 60 4)
fi
printf '%s\n' "$out"
