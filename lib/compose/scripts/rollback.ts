import { FUNCTIONS, OPTIONS, prelude, usageFunction } from './common';
import { ScriptSettings } from './settings';

/**
 * rollback.sh: back to the previous release deploy.sh recorded, the schema
 * first (to the alembic revision that release recorded, with the current
 * image), then its files and image. Never `git checkout HEAD~1` nor
 * `alembic downgrade -1`: both depend on where one happens to stand.
 */
export function rollbackScript(s: ScriptSettings): string {
  return `${prelude(s, 'rollback.sh', [
    `roll Compose project "${s.project}" back to the previous release deploy.sh recorded.`,
    'The database is dumped first; then the schema goes to the alembic revision that release recorded (with the current image,',
    'which holds the downgrade scripts), then that release\'s files and image; health and smoke test',
    'are checked. Running it again changes nothing.',
  ])}${FUNCTIONS}${usageFunction('rollback.sh', [
    'Goes back to the previous release recorded in DIR/releases/ by deploy.sh.',
    '--dry-run prints every command it would run and runs none. --site DIR (or',
    'ODOO_FINDER_SITE): the directory of .env, the TLS files and the release',
    'record (default: this folder).',
  ])}
promote_previous() {
  local next="$RELEASES/.next"
  if $DRY_RUN; then
    say "dry run: would record release $1 as the current one"
    return 0
  fi
  rm -rf "$next"
  cp -R "$RELEASES/previous" "$next"
  rm -rf "$RELEASES/current"
  mv "$next" "$RELEASES/current"
}

main() {
${OPTIONS}
  detect_compose
  preflight
  [[ -f $RELEASES/current/release ]] || die "no release is recorded in $RELEASES: deploy.sh records one"
  [[ -f $RELEASES/previous/release ]] || die "no previous release is recorded in $RELEASES: there is nothing to roll back to"
  lock
  local from to
  from="$(release_field "$RELEASES/current" id)"
  to="$(release_field "$RELEASES/previous" id)"
  if [[ $from == "$to" ]]; then
    say "already at release $to, the previous one: nothing to do"
    exit 0
  fi
  say "rolling back from release $from ($(release_field "$RELEASES/current" image)) to $to ($(release_field "$RELEASES/previous" image), alembic revision $(release_field "$RELEASES/previous" revision))"
  # A downgrade can drop columns and tables: what was written since the deploy is in this dump only.
  if $BACKUPS && $MIGRATIONS; then backup_database || die "dumping the database failed: nothing was changed"; fi
  if ! restore_release "$RELEASES/previous" "$RELEASES/current"; then
    $RESTORE_CHANGED || die "rollback stopped before changing anything: pulling the images of release $to failed. Release $from still runs; run rollback.sh again once the registry answers"
    die "rollback failed: the stack is neither release $from nor $to. Follow docs/compose.md, section 'When a rollback fails'"
  fi
  promote_previous "$to"
  say "rolled back to release $to. The next deploy.sh of a fixed release moves forward from here"
}

main "$@"
`;
}
