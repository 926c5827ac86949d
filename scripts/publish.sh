#!/usr/bin/env bash
# Publishes the web app as the container image carries it (Release, framework-dependent, linux-x64). The Dockerfile
# runs this, and so does the container smoke test (tests/CharRnn.Web.Tests/Api/Operations/ContainerSmokeTests.cs), so CI checks
# the image's own build and start without a container engine.
#   scripts/publish.sh OUTPUT_FOLDER [cpu|cuda]
set -euo pipefail
out=${1:?usage: scripts/publish.sh OUTPUT_FOLDER [cpu|cuda]}
backend=${2:-cpu}
cd "$(dirname "$0")/.."
dotnet publish src/CharRnn.Web/CharRnn.Web.csproj -c Release -o "$out" -p:TorchBackend="$backend" --nologo
