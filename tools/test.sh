#!/usr/bin/env bash
# Runs every test of the solution: unit tests, the adapters against the loopback ARM emulator through the real Azure
# SDK, and the CLI end to end. The same command runs locally and in CI (.ci/run).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Azurite (the Table and Queue Storage emulator) for the storage tests, repo-local and pinned by tools/azurite/package-lock.json.
if [ ! -e "$root/tools/azurite/node_modules/.bin/azurite" ]; then
  npm ci --prefix "$root/tools/azurite" --no-audit --no-fund
fi

# Debian's Chromium for the dashboard's browser test (Playwright drives it; its own browser download needs internet).
# COMPLIANCE_CHROMIUM may name another Chromium-based browser that is already installed.
if [ ! -x "${COMPLIANCE_CHROMIUM:-/usr/bin/chromium}" ]; then
  apt_get=(apt-get)
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo DEBIAN_FRONTEND=noninteractive apt-get)
  fi
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" update
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends chromium
fi

# The reliability suite writes its figures here; they are published as docs/reliability.md when the run passes.
rm -rf "$root/artifacts/reliability"
# A test that hangs fails the run after 10 minutes (with a small dump of where it hung) instead of holding CI to its limit.
dotnet test Compliance.sln --configuration Release --results-directory "$root/artifacts/test-results" \
  --blame-hang-timeout 10m --blame-hang-dump-type mini "$@"
if [ -f "$root/artifacts/reliability/reliability.md" ]; then
  cp "$root/artifacts/reliability/reliability.md" "$root/docs/reliability.md"
fi
