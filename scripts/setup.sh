#!/usr/bin/env bash
# Installs what the conformance matrix and the tests need beyond the .NET SDK: the openssl and
# gnutls command-line peers. Idempotent; needs root (or sudo) only when something is missing.
set -euo pipefail

missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v gnutls-cli >/dev/null 2>&1 || missing+=(gnutls-bin)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
echo "setup: $(openssl version); $(gnutls-cli --version | head -n 1); dotnet $(dotnet --version)" >&2
