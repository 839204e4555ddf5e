import { SERVICES } from '../constants';
import { FUNCTIONS, OPTIONS, prelude, usageFunction } from './common';
import { shellArray, shellQuote } from './quote';
import { ScriptSettings } from './settings';

/**
 * deploy.sh: pull the pinned images, start the datastores, dump the database,
 * migrate in a one-off container, start the stack, wait for health, run the
 * smoke test, record the release; on a failure after the first change, go
 * back to the last good release (schema included).
 */
export function deployScript(s: ScriptSettings): string {
  return `${prelude(s, 'deploy.sh', [
    `deploy ${s.image} as Compose project "${s.project}" on this server.`,
    'Pulls the pinned images, dumps the database, migrates it in a one-off container, starts the stack,',
    'waits for health, runs the smoke test and records the release; on failure it rolls back to the last',
    'good release. Running it again changes nothing.',
  ], [
    `readonly IMAGE=${shellQuote(s.image)}`,
    `readonly MIGRATION_TARGET=${shellQuote(s.migrations.target)}`,
    shellArray('RELEASE_FILES', s.releaseFiles),
  ])}${FUNCTIONS}${usageFunction('deploy.sh', [
    'Deploys this folder\'s release. --dry-run prints every command it would run',
    'and runs none. --site DIR (or ODOO_FINDER_SITE): the directory of .env, the',
    'TLS files, the database dumps and the release record (default: this folder).',
  ])}
# The release's identity: its files and its migration target.
release_id() {
  { (cd "$HERE" && cat "\${RELEASE_FILES[@]}") && printf 'migrations=%s\\n' "$MIGRATION_TARGET"; } |
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -c1-12
}

record_release() {
  local id="$1" revision="$2" next="$RELEASES/.next"
  if $DRY_RUN; then
    say "dry run: would record release $id as the current one (and the current one as the previous)"
    return 0
  fi
  if [[ $(release_field "$RELEASES/current" id) == "$id" ]]; then
    say "release $id stays the current one"
    return 0
  fi
  rm -rf "$next"
  mkdir -p "$next"
  (cd "$HERE" && cp "\${RELEASE_FILES[@]}" "$next/")
  printf 'id=%s\\nimage=%s\\nrevision=%s\\ndeployed_at=%s\\n' "$id" "$IMAGE" "$revision" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$next/release"
  if [[ -d $RELEASES/current ]]; then
    rm -rf "$RELEASES/previous"
    mv "$RELEASES/current" "$RELEASES/previous"
  fi
  mv "$next" "$RELEASES/current"
  say "recorded release $id (alembic revision \${revision:-none}) in $RELEASES/current"
}

NEW_ID=''
# Whether this deploy has started migrating the database (a failure before that leaves the schema alone).
MIGRATED=false
LAST_GOOD=''

# Nothing has changed yet: stop, and say why.
abort() {
  say "deploy stopped before changing anything: $1"
  exit 1
}

# Something has changed: go back to the last good release, if there is one.
fail() {
  say "deploy failed: $1"
  if [[ -z $LAST_GOOD ]]; then
    say "no earlier release is recorded in $RELEASES, so there is nothing to roll back to: stopping ${SERVICES.api} and ${SERVICES.nginx}"
    compose "$HERE" stop ${SERVICES.api} ${SERVICES.nginx} || true
    say "read why with: $(show "\${COMPOSE[@]}" --project-name "$PROJECT" --file "$HERE/$COMPOSE_FILE" --env-file "$SITE/.env" logs ${SERVICES.api})"
  elif [[ $LAST_GOOD == "$NEW_ID" ]]; then
    say "release $NEW_ID is already the recorded current one, so there is no earlier one to go back to automatically: fix the cause and run deploy.sh again, or run rollback.sh for the previous release"
  elif restore_release "$RELEASES/current" "$HERE" "$MIGRATED"; then
    say "rolled back to the last good release $LAST_GOOD; release $NEW_ID is not recorded"
  elif ! $RESTORE_CHANGED; then
    say "ROLLBACK FAILED before it changed anything: pulling the images of $LAST_GOOD failed, so release $NEW_ID (failed) still runs, on its migrated schema. Run rollback.sh once the registry answers"
  else
    say "ROLLBACK FAILED: the stack is neither release $NEW_ID nor $LAST_GOOD. Follow docs/compose.md, section 'When a rollback fails'"
  fi
  exit 1
}

main() {
${OPTIONS}
  detect_compose
  preflight
  lock
  NEW_ID="$(release_id)"
  LAST_GOOD="$(release_field "$RELEASES/current" id)"
  say "deploying release $NEW_ID ($IMAGE) as Compose project $PROJECT; site $SITE"
  if [[ $LAST_GOOD == "$NEW_ID" ]]; then say "release $NEW_ID is already the current one: making sure it runs"; fi

  compose "$HERE" pull || abort "pulling the images failed"
  compose "$HERE" up -d ${SERVICES.postgresql} ${SERVICES.redis} || fail "starting PostgreSQL and Redis failed"
  wait_healthy ${SERVICES.postgresql} || fail "PostgreSQL did not become healthy"
  wait_healthy ${SERVICES.redis} || fail "Redis did not become healthy"
  # fail, not abort: up -d may already have recreated PostgreSQL or Redis with this release's settings.
  # The current release again: its deploy dumped the database before migrating it; another dump would
  # only push that one out of the newest BACKUP_KEEP.
  if $BACKUPS && [[ $LAST_GOOD != "$NEW_ID" ]]; then backup_database || fail "dumping the database failed (before any migration)"; fi

  local revision=''
  if $MIGRATIONS; then
    say "migrating the database to $MIGRATION_TARGET"
    MIGRATED=true
    migrate_to "$HERE" "$MIGRATION_TARGET" || fail "the migration failed"
    revision="$(current_revision "$HERE")" || fail "alembic could not tell the database's revision"
  fi

  compose "$HERE" up -d --remove-orphans || fail "starting the stack failed"
  wait_healthy ${SERVICES.api} || fail "the API did not become healthy"
  wait_healthy ${SERVICES.nginx} || fail "nginx did not become healthy"
  if $SMOKE_TEST_ENABLED; then smoke_test "$HERE" || fail "the smoke test failed"; fi

  record_release "$NEW_ID" "$revision"
  say "release $NEW_ID ($IMAGE) is deployed"
}

main "$@"
`;
}
