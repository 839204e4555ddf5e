import * as fs from 'fs';
import * as os from 'os';

/** How long a synth waits for another one to finish writing before it gives up. */
const LOCK_WAIT_MS = 30_000;
const POLL_MS = 50;
/** A lock file still empty after this long belongs to a process killed between creating and writing it. */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Who holds a lock: enough to tell whether that process still runs (a PID alone may be reused). */
interface Holder {
  readonly pid: number;
  readonly host: string;
  /** Start time of the process (field 22 of /proc/<pid>/stat) where Linux gives it. */
  readonly started?: string;
}

export class LockBusyError extends Error {}

/**
 * Takes the lock file `file` (created with O_EXCL, holding the holder's PID),
 * waiting up to `waitMs` while a live process holds it. A lock whose holder
 * is dead (killed synth) is taken over, so a crash never keeps it forever.
 * Returns the function that releases it.
 */
export function acquireLock(file: string, waitMs = LOCK_WAIT_MS): () => void {
  const me: Holder = { pid: process.pid, host: os.hostname(), started: startTime(process.pid) };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'stale' || (holder !== 'writing' && !alive(holder))) {
      breakStaleLock(file, holder === 'stale' ? undefined : holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockBusyError(
        `another synth (pid ${holder === 'writing' ? '?' : holder.pid}) has been writing ${file.replace(/\.synth\.lock$/, '')} for more than ${waitMs / 1000} s; ` +
          `run again when it has finished (if no synth is running, delete ${file})`,
      );
    }
    sleep(POLL_MS);
  }
}

/**
 * The holder written in the lock file; 'gone' when it vanished meanwhile,
 * 'writing' while its creator is still writing it, 'stale' when it stayed unreadable too long.
 */
function readHolder(file: string): Holder | 'gone' | 'writing' | 'stale' {
  let text: string;
  let age: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    age = Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 'gone';
  }
  try {
    const holder = JSON.parse(text) as Holder;
    if (Number.isInteger(holder.pid) && holder.pid > 0) return holder;
  } catch {
    // Being written right now, or left empty by a process killed in between.
  }
  return age > EMPTY_LOCK_GRACE_MS ? 'stale' : 'writing';
}

/** Does the holder still run? Another host's process is assumed alive (we cannot tell). */
function alive(holder: Holder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The PID runs, but is it the same process? Compare start times where Linux tells them.
  const started = startTime(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/**
 * Removes a lock whose holder is dead. Two synths may find the same stale lock
 * at once: a second lock file (created with O_EXCL, held for a few system
 * calls) makes sure only one of them removes it, and only while it still
 * names the dead holder, not a fresh lock the other has taken meanwhile.
 */
function breakStaleLock(file: string, dead: Holder | undefined): void {
  const breaker = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breaker, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another synth is breaking it; a breaker left by a killed one is old and removed.
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > EMPTY_LOCK_GRACE_MS) fs.rmSync(breaker, { force: true });
    } catch {
      // gone meanwhile
    }
    sleep(POLL_MS);
    return;
  }
  try {
    const current = readHolder(file);
    const same =
      current === 'stale' ? dead === undefined : typeof current === 'object' && dead !== undefined && current.pid === dead.pid && current.started === dead.started;
    if (same) fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breaker, { force: true });
  }
}

/** Linux: the start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined elsewhere. */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
