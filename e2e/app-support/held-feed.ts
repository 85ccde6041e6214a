/**
 * A HUD feed the test drives message by message: a real WebSocket server on a
 * free port that sends nothing by itself. `send` writes frames to every
 * connection open now and keeps them open, so a session can be left
 * mid-stream (the feed alive but quiet) while the test reloads or closes the
 * page that records it; a connection made later gets only what is sent after.
 */
import { WebSocket, WebSocketServer } from 'ws';
import type { HudMessage } from '../../src/schema/hud.js';
import { demoCycle, type DemoSessionPlan } from '../../demo/demo-sessions.js';
import { appUrlFor } from './feed.js';

export interface HeldFeed {
  url: string;
  /** The app's address with `?hud=` pointing at this feed. */
  appUrl: string;
  /** Sends each message to every open connection; resolves once the sockets took them. */
  send(messages: readonly HudMessage[]): Promise<void>;
  clientCount(): number;
  /** Resolves once `count` connections are open. */
  connected(count?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHeldFeed(): Promise<HeldFeed> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const url = `ws://127.0.0.1:${port}/ws`;
  const open = () => [...server.clients].filter((client) => client.readyState === WebSocket.OPEN);
  return {
    url,
    appUrl: appUrlFor(url),
    async send(messages) {
      await Promise.all(
        open().flatMap((client) =>
          messages.map(
            (message) =>
              new Promise<void>((resolve, reject) =>
                client.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
              ),
          ),
        ),
      );
    },
    clientCount: () => open().length,
    async connected(count = 1) {
      while (open().length < count) await new Promise((resolve) => setTimeout(resolve, 25));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** A test-generation session of the demo feed that runs to its end: its messages, in order. */
export function demoTestGenSession(seed: number): DemoSessionPlan {
  const { sessions } = demoCycle({ seed, cycle: 0, startAt: Date.now(), noise: false });
  const session = sessions.find((s) => s.kind === 'testgen' && s.outcome === 'complete');
  if (!session) throw new Error(`seed ${seed} has no complete testgen session`);
  return session;
}

/** The session's start and its first `tests` test messages (with whatever came between them). */
export function firstTests(session: DemoSessionPlan, tests: number): HudMessage[] {
  const out: HudMessage[] = [];
  let seen = 0;
  for (const message of session.messages) {
    if (message.type === 'testgen_test') {
      if (seen === tests) break;
      seen++;
    }
    if (message.type === 'testgen_complete' || message.type === 'testgen_error') break;
    out.push(message);
  }
  return out;
}
