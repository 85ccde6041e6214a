/** compareTrajectories: reads the two stored trajectories and compares them by kind. */
import { TrajectoryStoreError } from '../../errors.js';
import type { Connection } from '../connection.js';
import type { StoredTrajectory } from '../../contract/results.js';
import { getTrajectory } from '../read.js';
import { compareAtifRuns } from './atif.js';
import { compareTestgenSessions } from './testgen.js';
import type { TrajectoryComparison } from '../../contract/compare.js';

export { compareBatches } from './batches.js';

export function compareTrajectories(conn: Connection, idA: string, idB: string): TrajectoryComparison {
  const a = storedOrThrow(conn, idA, 'a');
  const b = storedOrThrow(conn, idB, 'b');
  if (a.summary.kind !== b.summary.kind) {
    throw TrajectoryStoreError.validation('comparison', [
      {
        path: 'b',
        message: `is ${articled(b.summary.kind)} trajectory and cannot be compared with ${articled(a.summary.kind)} one (${idA})`,
      },
    ]);
  }
  if (a.summary.kind === 'testgen') {
    return compareTestgenSessions(
      { summary: a.summary, data: a.testgen ?? {} },
      { summary: b.summary, data: b.testgen ?? {} },
    );
  }
  return compareAtifRuns(
    { summary: a.summary, document: a.trajectory },
    { summary: b.summary, document: b.trajectory },
  );
}

const articled = (kind: string) => (kind === 'atif' ? 'an ATIF' : 'a testgen');

function storedOrThrow(conn: Connection, id: string, side: 'a' | 'b'): StoredTrajectory {
  const stored = getTrajectory(conn, id);
  if (!stored)
    throw new TrajectoryStoreError(
      'not_found',
      `compareTrajectories: no trajectory has the id ${JSON.stringify(id)} (${side})`,
    );
  return stored;
}
