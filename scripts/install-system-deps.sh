#!/usr/bin/env bash
# Install the system packages auditlake's tests need on Debian 12 (bookworm): PostgreSQL 15 + pgaudit, MariaDB
# (ships server_audit), Chromium (report PDF, browser tests), poppler-utils (PDF checks) — idempotently,
# non-interactively, leaving NO database service running.
#   usage: bash scripts/install-system-deps.sh
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(postgresql-15 postgresql-15-pgaudit mariadb-server chromium poppler-utils)
PGBIN=/usr/lib/postgresql/15/bin
FILES=("$PGBIN/initdb" "$PGBIN/pg_ctl" "$PGBIN/postgres" "$PGBIN/psql"
       /usr/lib/postgresql/15/lib/pgaudit.so /usr/share/postgresql/15/extension/pgaudit.control
       /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/bin/mariadb /usr/bin/mariadb-admin
       /usr/lib/mysql/plugin/server_audit.so /usr/bin/chromium /usr/bin/pdftotext)

log() { printf '[db-engines] %s\n' "$*" >&2; }

# PIDs of *system* database servers (the kind a package's service would start: system data dirs/config),
# read from /proc so it works before procps is installed. Private test instances (temp dirs) never match.
system_db_pids() {
  local d c cmd
  for d in /proc/[0-9]*; do
    c=$(cat "$d/comm" 2>/dev/null) || continue
    case "$c" in postgres|postmaster|mariadbd|mysqld|mysqld_safe|mariadbd-safe) ;; *) continue;; esac
    cmd=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null) || continue
    case "$c:$cmd" in
      postgres:*/etc/postgresql/*|postgres:*/var/lib/postgresql/*|postmaster:*/var/lib/postgresql/*) ;;
      mariadbd:*--datadir=/var/lib/mysql*|mysqld:*--datadir=/var/lib/mysql*) ;;
      mariadbd:*--datadir=*|mysqld:*--datadir=*) continue;;
      mariadbd:*|mysqld:*|mysqld_safe:*|mariadbd-safe:*) ;;
      *) continue;;
    esac
    echo "${d#/proc/}"
  done | sort
}

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
for f in "${FILES[@]}"; do [ -e "$f" ] || { missing+=("(file $f)"); }; done

if [ ${#missing[@]} -eq 0 ]; then
  log "already installed: ${PKGS[*]}"
else
  [ "$(id -u)" -eq 0 ] || { log "must run as root to install: ${missing[*]}"; exit 1; }
  log "installing: ${PKGS[*]} (missing: ${missing[*]})"
  before=$(system_db_pids)

  # 1. Never let package scripts start services (honoured by invoke-rc.d / deb-systemd-invoke).
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 0755 /usr/sbin/policy-rc.d; created_policy=1
  fi
  cleanup_policy() { if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT

  # 2. Don't let postgresql-common create the unused system cluster 15/main (tests make private clusters).
  if [ ! -d /etc/postgresql/15/main ]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    [ -e /etc/postgresql-common/createcluster.d/no-main-cluster.conf ] ||
      echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/no-main-cluster.conf
  fi

  # 3. Install (retry the network part a few times).
  APT_OPTS=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  ok=0
  for attempt in 1 2 3; do
    if apt-get update -q && apt-get install "${APT_OPTS[@]}" "${PKGS[@]}"; then ok=1; break; fi
    log "apt attempt $attempt failed; retrying in 5s"; sleep 5
  done
  [ "$ok" = 1 ] || { log "apt-get install failed"; exit 1; }
  cleanup_policy; trap - EXIT

  # 4. Belt and braces: stop any DB server that appeared during the install (only those, by PID).
  after=$(system_db_pids)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '^$' || true)
  if [ -n "$new" ]; then
    log "stopping DB processes started by the install: $(echo $new)"
    if [ -d /run/systemd/system ]; then systemctl stop mariadb.service postgresql.service 2>/dev/null || true; fi
    for pid in $new; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
      alive=0; for pid in $new; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ "$alive" = 0 ] && break; sleep 0.1
    done
  fi
fi

for f in "${FILES[@]}"; do [ -e "$f" ] || { log "MISSING after install: $f"; exit 1; }; done
log "$("$PGBIN/postgres" --version); pgaudit $(dpkg-query -W -f='${Version}' postgresql-15-pgaudit); $(mariadbd --version)"

