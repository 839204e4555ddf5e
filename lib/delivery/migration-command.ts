/**
 * The command of the migration hook. It is idempotent, because Argo CD runs
 * the hook on every sync:
 *
 * - `head` (the default): `alembic upgrade head`, a no-op when already there.
 * - a revision: bring the database to exactly that revision from either side.
 *   `alembic downgrade <rev>` when the database is above it (a no-op when at
 *   it); when alembic answers that it is not a valid downgrade target (the
 *   database is below it), `alembic upgrade <rev>`. Any other failure fails
 *   the hook. Never a relative step such as `-1`, which would step again on
 *   every sync.
 */
export function migrationCommand(target: string): string[] {
  if (!/^[A-Za-z0-9_]+$/.test(target)) throw new Error(`not an alembic revision: ${JSON.stringify(target)}`);
  if (target === 'head') return ['alembic', 'upgrade', 'head'];
  return ['/bin/sh', '-c', TO_REVISION_SCRIPT, 'migrate', target];
}

// $1 is the target revision; /tmp is an emptyDir (the root filesystem is read-only).
const TO_REVISION_SCRIPT = `set -u
target="$1"
if alembic downgrade "$target" >/tmp/downgrade.log 2>&1; then
  cat /tmp/downgrade.log >&2
  echo "database is at revision $target"
  exit 0
fi
if grep -q "not a valid downgrade target" /tmp/downgrade.log; then
  echo "database is below revision $target: upgrading"
  exec alembic upgrade "$target"
fi
cat /tmp/downgrade.log >&2
exit 1
`;
