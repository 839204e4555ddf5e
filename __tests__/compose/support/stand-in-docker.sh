#!/bin/bash
# A stand-in for the docker CLI, for the tests of deploy.sh and rollback.sh.
# It records each call (arguments separated by \x1f, one call a line) in $STANDIN_DIR/calls
# and answers what the scripts ask.
#
# Containers, all of Compose project $STANDIN_PROJECT (default odoo-finder-test): each SERVICE has the
# container "id-SERVICE" that `up` made (label oneoff=False); with $STANDIN_DIR/oneoff-SERVICE present, also
# a running one-off container "id-SERVICE-run" (`compose run`, oneoff=True).
# id-SERVICE is as the first line of $STANDIN_DIR/health-SERVICE says (else "healthy"); each inspect of it
# moves to the next line (the last one repeats). A line: "STATUS [RESTARTS]", STATUS one of
#   healthy, starting, unhealthy   state running, that health status
#   running                        state running, no health check
#   STATE or STATE/HEALTH          restarting, exited, dead, created; HEALTH the status Docker kept from
#                                  before it stopped (moby keeps it; default "starting")
# RESTARTS is Docker's RestartCount (default 0). A stopped or restarting container last exited with code 1.
#
#   compose version                 -> Compose v2 is "installed"
#   ps [--all] [--quiet] --filter label=K=V...   -> the ids whose labels match every filter; without --all
#                                      only running and restarting ones (docker ps)
#   inspect --format FORMAT ID      -> FORMAT with {{.State.Status}}, {{.State.ExitCode}}, {{.RestartCount}} and
#                                      {{if .State.Health}}{{.State.Health.Status}}{{else}}…{{end}} filled in;
#                                      any other ID (two ids in one argument) -> "No such object", exit 1
#   logs --tail N ID                -> the last N of 50 lines "ID log line K"
#   compose ... run ... alembic current -> "$STANDIN_REVISION (head)"
#   compose ... exec ... pg_dump    -> a few bytes of "dump"
# STANDIN_FAIL=TEXT: every call whose arguments contain TEXT fails; STANDIN_FAIL_ONCE=TEXT: only the first.
# STANDIN_RECORD_ENV=NAME: each call also records NAME's value in its environment ("(unset)" if none) in
# $STANDIN_DIR/env, one a line.
#
# The scripts call it a few hundred times a test file: it uses bash builtins only where it can (no head, wc,
# tail, no $(…) subshell), and #!/bin/bash rather than env's search of PATH.
set -euo pipefail
dir="${STANDIN_DIR:?}"
project="${STANDIN_PROJECT:-odoo-finder-test}"
line=''
for arg in "$@"; do line+="${arg//$'\n'/$'\036'}"$'\x1f'; done
printf '%s\n' "$line" >>"$dir/calls"
if [[ -n ${STANDIN_RECORD_ENV:-} ]]; then printf '%s\n' "${!STANDIN_RECORD_ENV-(unset)}" >>"$dir/env"; fi
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

misuse() {
  echo "stand-in docker: $*" >&2
  exit 2
}

# SERVICE's container now: sets state, health ("none": no health check) and restarts.
look() {
  local file="$dir/health-$1" line=healthy status
  restarts=0
  if [[ -f $file ]]; then read -r line <"$file" || true; fi
  status="${line%% *}"
  if [[ $line == *' '* ]]; then restarts="${line#* }"; fi
  case "$status" in
    healthy | starting | unhealthy) state=running health=$status ;;
    running) state=running health=none ;;
    */*) state=${status%/*} health=${status#*/} ;;
    restarting | exited | dead | created) state=$status health=starting ;;
    *) misuse "unknown status '$status' in $file" ;;
  esac
}

# SERVICE's container moves on to its next line.
advance() {
  local file="$dir/health-$1" lines
  [[ -f $file ]] || return 0
  mapfile -t lines <"$file"
  if [[ ${#lines[@]} -gt 1 ]]; then printf '%s\n' "${lines[@]:1}" >"$file"; fi
}

stopped() { [[ $1 == exited || $1 == dead || $1 == created ]]; }

case "$1" in
  ps)
    shift
    show_all=false want_project='' service='' oneoff=''
    while [[ $# -gt 0 ]]; do
      case "$1" in
        -a | --all) show_all=true ;;
        -q | --quiet) ;;
        --filter)
          case "$2" in
            label=com.docker.compose.project=*) want_project="${2#*project=}" ;;
            label=com.docker.compose.service=*) service="${2#*service=}" ;;
            label=com.docker.compose.oneoff=*) oneoff="${2#*oneoff=}" ;;
            *) misuse "unknown filter $2" ;;
          esac
          shift
          ;;
        *) misuse "unknown ps argument $1" ;;
      esac
      shift
    done
    [[ -n $service ]] || misuse "ps without a service filter"
    [[ -z $want_project || $want_project == "$project" ]] || exit 0
    look "$service"
    if [[ $oneoff != True ]] && { $show_all || ! stopped "$state"; }; then echo "id-$service"; fi
    if [[ $oneoff != False && -e $dir/oneoff-$service ]]; then echo "id-$service-run"; fi
    exit 0
    ;;
  inspect)
    [[ $# -eq 4 && $2 == --format ]] || misuse "inspect --format FORMAT ID expected"
    format="$3" id="$4"
    if [[ $id =~ ^id-([a-z]+)-run$ && -e $dir/oneoff-${BASH_REMATCH[1]} ]]; then
      state=running health=healthy restarts=0
    elif [[ $id =~ ^id-([a-z]+)$ ]]; then
      service="${BASH_REMATCH[1]}"
      look "$service"
      advance "$service"
    else
      echo "Error: No such object: $id" >&2
      exit 1
    fi
    code=0
    if stopped "$state" || [[ $state == restarting ]]; then code=1; fi
    out="${format//'{{.State.Status}}'/$state}"
    out="${out//'{{.State.ExitCode}}'/$code}"
    out="${out//'{{.RestartCount}}'/$restarts}"
    health_re='\{\{if \.State\.Health\}\}\{\{\.State\.Health\.Status\}\}\{\{else\}\}([^{]*)\{\{end\}\}'
    if [[ $out =~ $health_re ]]; then
      shown="$health"
      if [[ $health == none ]]; then shown="${BASH_REMATCH[1]}"; fi
      out="${out/"${BASH_REMATCH[0]}"/$shown}"
    fi
    [[ $out != *'{{'* ]] || misuse "cannot fill in the format $format"
    echo "$out"
    exit 0
    ;;
  logs)
    [[ $# -eq 4 && $2 == --tail ]] || misuse "logs --tail N ID expected"
    for ((k = $3 < 50 ? 51 - $3 : 1; k <= 50; k++)); do echo "$4 log line $k"; done
    exit 0
    ;;
  compose) shift ;;
  *) exit 0 ;;
esac
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
  exec) [[ $all == *pg_dump* ]] && printf 'dump' ;;
  run) [[ $all == *"--entrypoint alembic api current"* ]] && {
    echo "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl." >&2
    echo "${STANDIN_REVISION:-aaa111} (head)"
  } ;;
esac
exit 0
