/**
 * CPU time used by processes (Linux /proc), for bench/team-scale.mjs: on a machine shared with other work,
 * wall-clock rates say more about the neighbours than about the server, while the CPU seconds the server's
 * processes spend per trajectory do not depend on who else runs.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** [pid, ppid, comm, own ticks, ended children's ticks] of a process, or null when it is gone. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after its closing parenthesis.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    const ticks = (i) => Number(fields[i - 3]);
    return {
      pid,
      ppid: Number(fields[1]),
      comm: text.slice(text.indexOf('(') + 1, close),
      own: ticks(14) + ticks(15),
      ended: ticks(16) + ticks(17),
    };
  } catch {
    return null;
  }
}

const processes = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((p) => p !== null);

/** Seconds of CPU a process and its children (live, and ended ones it waited for) have used. */
export function treeCpuSeconds(rootPid) {
  const all = processes();
  const root = all.find((p) => p.pid === rootPid);
  if (!root) return 0;
  const children = all.filter((p) => p.ppid === rootPid);
  return (root.own + root.ended + children.reduce((sum, p) => sum + p.own + p.ended, 0)) / TICKS_PER_SECOND;
}

/** The pids of this process's children running `comm` (the server processes the bench started). */
export function childPids(comm) {
  return processes()
    .filter((p) => p.ppid === process.pid && p.comm === comm)
    .map((p) => p.pid);
}

/** The parent of a process (a backend's parent is the postmaster). */
export const parentPid = (pid) => stat(pid)?.ppid;
