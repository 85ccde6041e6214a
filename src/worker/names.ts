/**
 * Everything one database's tabs must agree on is derived from its name
 * here: the OPFS pool it lives in, the Web Locks that elect its holder, and
 * the BroadcastChannels its tabs talk over.
 *
 * Each database gets a pool (directory) of its own: opfs-sahpool holds every
 * file of a pool exclusively, so two databases sharing one pool could not be
 * held by two different tabs.
 */

const PREFIX = 'trajectory-store';
const PREFIX_DIRECTORY = `.${PREFIX}`;

export interface DatabaseNames {
  /** The opfs-sahpool directory. */
  poolDirectory: string;
  /** The database file's path inside the pool. */
  file: string;
  /** The file of room kept back for deletes under a full quota (quota-reserve.ts): directories, then its name. */
  quotaReserve: readonly string[];
  /** Held by the tab whose worker holds the database. */
  electionLock: string;
  /** Held by a leader for as long as it serves; followers wait on it to learn that it is gone. */
  aliveLock(leaderId: string): string;
  /** Held by a follower while a call that is unsafe to repeat is in flight; the leader takes it before running the call. */
  claimLock(callId: string): string;
  /** Announcements and change notifications, heard by every tab of this database. */
  broadcastChannel: string;
  /** Calls to a worker, and replies to it. */
  inbox(workerId: string): string;
  /** Progress and outcomes of a follower's forwarded calls, straight to its page (protocol/forwarded-reply.ts). */
  pageInbox(workerId: string): string;
}

export function databaseNames(name: string): DatabaseNames {
  const base = `${PREFIX}/${name}`;
  return {
    poolDirectory: `${PREFIX_DIRECTORY}/${name}`,
    file: `/${name}.sqlite3`,
    // Beside the pool's own files (in `.opaque`), which opfs-sahpool alone reads.
    quotaReserve: [PREFIX_DIRECTORY, ...name.split('/'), 'quota-reserve'].filter(Boolean),
    electionLock: `${base}/holder`,
    aliveLock: (leaderId) => `${base}/alive/${leaderId}`,
    claimLock: (callId) => `${base}/claim/${callId}`,
    broadcastChannel: `${base}/all`,
    inbox: (workerId) => `${base}/inbox/${workerId}`,
    pageInbox: (workerId) => `${base}/page/${workerId}`,
  };
}
