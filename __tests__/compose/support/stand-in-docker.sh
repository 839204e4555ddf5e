#!/usr/bin/env bash
# A stand-in for the docker CLI, for the tests of deploy.sh and rollback.sh.
# It records each call (arguments separated by \x1f, one call a line) in $STANDIN_DIR/calls
# and answers what the scripts ask:
#   compose version                 -> Compose v2 is "installed"
#   compose ... ps -q SERVICE       -> the container id "id-SERVICE"
#   inspect ... id-SERVICE          -> the next line of $STANDIN_DIR/health-SERVICE (the last line repeats), else "healthy"
#   compose ... run ... alembic current -> "$STANDIN_REVISION (head)"
#   compose ... exec ... pg_dump    -> a few bytes of "dump"
# STANDIN_FAIL=TEXT: every call whose arguments contain TEXT fails; STANDIN_FAIL_ONCE=TEXT: only the first.
set -euo pipefail
dir="${STANDIN_DIR:?}"
# (bash's own string replacement, not tr: the scripts call docker a few hundred times in the tests)
line=''
for arg in "$@"; do line+="${arg//$'\n'/$'\036'}"$'\x1f'; done
printf '%s\n' "$line" >>"$dir/calls"
all="$*"
if [[ -n ${STANDIN_FAIL:-} && $all == *"$STANDIN_FAIL"* ]]; then
  echo "stand-in docker: failing as asked" >&2
  exit 1
fi
if [[ -n ${STANDIN_FAIL_ONCE:-} && $all == *"$STANDIN_FAIL_ONCE"* && ! -e $dir/failed-once ]]; then
  touch "$dir/failed-once"
  echo "stand-in docker: failing once as asked" >&2
  exit 1
fi
if [[ $1 == inspect ]]; then
  service="${!#}"
  service="${service#id-}"
  file="$dir/health-$service"
  if [[ -f $file ]]; then
    head -n 1 "$file"
    if [[ $(wc -l <"$file") -gt 1 ]]; then
      tail -n +2 "$file" >"$file.next"
      mv "$file.next" "$file"
    fi
  else
    echo healthy
  fi
  exit 0
fi
[[ $1 == compose ]] || exit 0
shift
[[ $1 == version ]] && {
  echo "Docker Compose version v2.0.0-stand-in"
  exit 0
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --project-name | --file | --env-file) shift 2 ;;
    *) break ;;
  esac
done
case "$1" in
  ps) echo "id-${!#}" ;;
  exec) [[ $all == *pg_dump* ]] && printf 'dump' ;;
  run) [[ $all == *"--entrypoint alembic api current"* ]] && {
    echo "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl." >&2
    echo "${STANDIN_REVISION:-aaa111} (head)"
  } ;;
esac
exit 0
