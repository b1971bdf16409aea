#!/usr/bin/env bash
# The long run of the reliability suite: a larger fleet (COMPLIANCE_SOAK_MACHINES, default 160), several scans under
# each fault (COMPLIANCE_SOAK_SCANS, default 4) and three fault seeds. Writes artifacts/reliability-soak/reliability.md.
# About 20 minutes on two cores, against about one for the CI run (the three 429 storms take some three minutes
# each: their pace is the throttled rate, so they scale with the fleet); not part of CI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

if [ ! -e "$root/tools/azurite/node_modules/.bin/azurite-table" ]; then
  npm ci --prefix "$root/tools/azurite" --no-audit --no-fund
fi

rm -rf "$root/artifacts/reliability-soak"
COMPLIANCE_SOAK=1 dotnet test tests/Compliance.Reliability.Tests --configuration Release \
  --results-directory "$root/artifacts/test-results-soak" "$@"
echo "Figures: artifacts/reliability-soak/reliability.md"
