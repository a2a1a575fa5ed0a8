#!/usr/bin/env bash
# Installs, from Debian's packages only, what numberpool needs to build and test, and with
# --bench to benchmark, with --fuzz to fuzz. Safe to run again: apt skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libphonenumber-dev libboost-dev libsqlite3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
for option in "$@"; do
  case "$option" in
    --bench) packages+=(nginx-light wrk) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "usage: $0 [--bench] [--fuzz]" >&2; exit 1 ;;
  esac
done
# The integration tests drive the AWS CLI and boto3; take Debian's if the machine has none.
if ! command -v aws >/dev/null 2>&1; then packages+=(awscli); fi
if ! python3 -c 'import boto3' >/dev/null 2>&1; then packages+=(python3-boto3); fi

sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
