#!/usr/bin/env bash
# Installs the system libraries drgcoder builds against, tmux for the end-to-end tests, and the
# PostgreSQL server the team-mode store suite runs against (scripts/test-postgres.sh starts it).
# Idempotent: packages already present are not touched, and nothing is installed when all are.
# Uses apt-get directly as root, sudo otherwise. Never downloads anything but Debian packages.
set -euo pipefail

packages=(pkg-config libncursesw5-dev libopenblas-dev libdnnl-dev libsqlite3-dev zlib1g-dev tmux postgresql openssl)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
