#!/usr/bin/env bash
# Runs every test project. Needs only the .NET SDK (global.json); NuGet packages restore on first use.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Keel.slnx -c Release "$@"
