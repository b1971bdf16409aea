#!/usr/bin/env bash
# Builds the deployable zip of the Functions app (a custom handler):
#   host.json and one folder per function (function.json) at the zip root,
#   app/ = the self-contained linux-x64 publish of src/Compliance.Functions, its executable's run bit kept.
# Usage: tools/package-functions.sh [output.zip]   (default artifacts/functions.zip)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/functions.zip}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# Self-contained: the Flex Consumption custom runtime brings no .NET of its own. Built under the stage
# (--artifacts-path), never in the projects' own bin/ and obj/: these publish properties would rebuild the referenced
# projects there without symbols while another build (the test run's) may be reading them.
dotnet publish "$root/src/Compliance.Functions/Compliance.Functions.csproj" \
  --configuration Release --runtime linux-x64 --self-contained true \
  -p:DebugType=None \
  --artifacts-path "$stage/build" \
  --output "$stage/app" --nologo --verbosity quiet

cp "$root/host.json" "$stage/host.json"
for definition in "$root"/src/Compliance.Functions/Functions/*/function.json; do
  name="$(basename "$(dirname "$definition")")"
  mkdir -p "$stage/$name"
  cp "$definition" "$stage/$name/function.json"
done

chmod 0755 "$stage/app/Compliance.Functions"

# The zipper keeps each file's Unix mode in its entry, so the run bit survives.
dotnet run --file "$root/tools/package/ZipPackage.cs" -- "$stage" "$out" >/dev/null

echo "$out"
