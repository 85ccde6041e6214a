/**
 * Calls on the database under a full quota: every storage failure is diagnosed (`quota` or `storage`), and a
 * delete that the quota refused is run once more with the reserve (quota-reserve.ts) given back and the
 * write-ahead log copied into the database file first, so that the delete writes at the start of the log, in
 * room the log already holds. Once the delete has made room inside the database, saves reuse its pages; the
 * reserve is taken again as far as the quota allows.
 *
 * Durability is as without it: the checkpoint only copies committed pages into the file (SQLite's own, with
 * synchronous FULL), and the delete commits as any other call.
 */
import { TrajectoryStoreError } from '../errors.js';
import type { StoreMethod } from '../contract/methods.js';
import type { OpenedDatabase } from './databases.js';
import type { DatabaseNames } from './names.js';
import { QuotaReserve } from './quota-reserve.js';
import { diagnoseStorageError } from './storage-errors.js';

/** The calls that make room: run again after a quota failure, with the reserve given back. */
const MAKES_ROOM: ReadonlySet<StoreMethod> = new Set(['deleteTrajectory']);

interface QuotaRecoveryParts {
  reserve: QuotaReserve;
  /** Copies the write-ahead log into the database file and empties it; false if that failed. */
  rewindLog(): boolean;
}

export class QuotaRecovery {
  constructor(private readonly parts: QuotaRecoveryParts) {}

  /** Runs `work` (a call of `method` on the database), as above. */
  async run<T>(method: StoreMethod, work: () => T | Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const diagnosed = await diagnoseStorageError(error, method);
      if (!isQuota(diagnosed) || !MAKES_ROOM.has(method)) throw diagnosed;
      result = await this.retryWithReserve(method, work);
    }
    if (MAKES_ROOM.has(method) && this.parts.reserve.short) await this.parts.reserve.take();
    return result;
  }

  private async retryWithReserve<T>(method: StoreMethod, work: () => T | Promise<T>): Promise<T> {
    await this.parts.reserve.release();
    this.parts.rewindLog();
    try {
      return await work();
    } catch (error) {
      throw await diagnoseStorageError(error, method);
    }
  }
}

function isQuota(error: unknown): boolean {
  return error instanceof TrajectoryStoreError && error.code === 'quota';
}

/** The recovery of a database on OPFS. Its reserve is taken in the background: calls do not wait for it. */
export function quotaRecoveryFor(database: OpenedDatabase, names: DatabaseNames): QuotaRecovery {
  const reserve = new QuotaReserve(names.quotaReserve);
  void reserve.take();
  return new QuotaRecovery({ reserve, rewindLog: () => database.rewindLog?.() ?? false });
}
