#!/usr/bin/env bash
# Builds the deployable zip of the Functions app (.NET isolated worker): the `dotnet publish` output of
# src/Compliance.Functions at the zip root (host.json, functions.metadata, worker.config.json, .azurefunctions/ and the
# app's assemblies), as Flex Consumption's dotnet-isolated runtime runs it.
# Usage: tools/package-functions.sh [output.zip]   (default artifacts/functions.zip)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/functions.zip}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# Framework-dependent: the platform brings .NET 10. Built under the stage (--artifacts-path), never in the projects'
# own bin/ and obj/, which another build (the test run's) may be reading.
dotnet publish "$root/src/Compliance.Functions/Compliance.Functions.csproj" \
  --configuration Release \
  -p:DebugType=None \
  --artifacts-path "$stage/build" \
  --output "$stage/app" --nologo --verbosity quiet

for required in host.json functions.metadata worker.config.json .azurefunctions Compliance.Functions.dll; do
  if [ ! -e "$stage/app/$required" ]; then
    echo "package-functions: the publish output has no $required" >&2
    exit 1
  fi
done

dotnet run --file "$root/tools/package/ZipPackage.cs" -- "$stage/app" "$out" >/dev/null

echo "$out"
