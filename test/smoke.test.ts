import { expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { LATEST_SCHEMA_VERSION } from '../src/store/migration-files.js';

test('opens and migrates', async () => {
  const store = await openTrajectoryStore();
  const info = await store.info();
  expect(info.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  const saved = await store.insertTrajectory({
    schema_version: 'ATIF-v1.6',
    session_id: 's1',
    agent: { name: 'a', version: '1' },
    steps: [{ step_id: 1, source: 'user', message: 'hello world café' }],
  });
  expect(saved).toEqual({ id: 's1', sessionId: 's1', outcome: 'inserted', warnings: [] });
  const hits = await store.searchTrajectories('cafe');
  expect(hits.items.map((h) => h.id)).toEqual(['s1']);
  expect(hits.items[0]!.snippet.text).toContain('café');
});
