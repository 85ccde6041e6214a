/**
 * The demo HUD feed: a real WebSocket server (Node, `ws`) that streams demo
 * cycles (demo-sessions.ts) at a pace people can watch.
 *
 * Two modes. `live` (the demo): one shared stream, started by the first
 * connection and going on cycle after cycle with fresh sessions; a client that
 * connects later first receives the current cycle's frames so far (so a
 * reloaded page sees its sessions from their start), then the live ones.
 * `replay` (tests): each connection gets its own stream from the start.
 * Either way, after `cycles` cycles the server closes the connections (1000);
 * in live mode a connection that comes after that gets the last cycle, then
 * is closed too. Node only: the browser code never imports this.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { demoCycle, type FeedEvent } from './demo-sessions.js';

export interface DemoFeedOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default `localhost` (both 127.0.0.1 and ::1 when available). */
  host?: string;
  /** Default `/ws`. */
  path?: string;
  /** Default `live`. */
  mode?: 'live' | 'replay';
  /** Pace multiplier: 1 is real time, 10 ten times faster, Infinity sends without pauses. Default 1. */
  speed?: number;
  /** Cycles to stream before closing the connections. Default: endless. */
  cycles?: number;
  /** Default: random, so that every run has fresh session ids. */
  seed?: number;
  /** Epoch milliseconds that every cycle's timestamps count from; default the time the cycle starts. */
  startAt?: number;
  /** Add `map_*`, unknown and malformed frames. Default true. */
  noise?: boolean;
  log?: (line: string) => void;
}

export interface DemoFeed {
  /** `ws://127.0.0.1:<port><path>` for a loopback feed, else with the host as given. */
  url: string;
  port: number;
  path: string;
  seed: number;
  clientCount(): number;
  /** Live mode: settles once the last cycle has been sent (never when cycles are endless). */
  finished: Promise<void>;
  close(): Promise<void>;
}

const PAUSE_BETWEEN_CYCLES_MS = 3_000;
/** With no pacing, yield to the event loop every so many frames so that sockets get written. */
const FRAMES_PER_YIELD = 64;

export async function startDemoFeed(options: DemoFeedOptions = {}): Promise<DemoFeed> {
  const path = options.path ?? '/ws';
  const host = options.host ?? 'localhost';
  const speed = options.speed ?? 1;
  const cycles = options.cycles ?? Number.POSITIVE_INFINITY;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const log = options.log ?? (() => {});
  if (!(speed > 0)) throw new RangeError(`speed must be positive (got ${speed})`);
  if (!path.startsWith('/')) throw new RangeError(`path must start with "/" (got ${path})`);

  const stop = new AbortController();
  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  let liveStarted = false;
  let liveDone = false;
  let history: string[] = [];
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  const cycleAt = (cycle: number) =>
    demoCycle({
      seed,
      cycle,
      startAt: options.startAt ?? Date.now(),
      ...(options.noise === undefined ? {} : { noise: options.noise }),
    });

  const runLive = async () => {
    for (let cycle = 0; cycle < cycles && !stop.signal.aborted; cycle++) {
      const { events, sessions } = cycleAt(cycle);
      history = [];
      log(`cycle ${cycle}: ${sessions.length} sessions, ${events.length} frames`);
      await play(events, speed, stop.signal, (frame) => {
        history.push(frame);
        for (const client of clients) if (client.readyState === WebSocket.OPEN) client.send(frame);
      });
      if (cycle + 1 < cycles) await pause(PAUSE_BETWEEN_CYCLES_MS / speed, stop.signal);
    }
    liveDone = true;
    if (!stop.signal.aborted) for (const client of clients) client.close(1000, 'demo finished');
    resolveFinished();
  };

  const replay = async (ws: WebSocket) => {
    const open = () => ws.readyState === WebSocket.OPEN;
    for (let cycle = 0; cycle < cycles && open() && !stop.signal.aborted; cycle++) {
      await play(cycleAt(cycle).events, speed, stop.signal, (frame) => open() && ws.send(frame));
      if (cycle + 1 < cycles) await pause(PAUSE_BETWEEN_CYCLES_MS / speed, stop.signal);
    }
    if (open()) ws.close(1000, 'demo finished');
  };

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    clients.add(ws);
    log(`client connected from ${request.socket.remoteAddress ?? '?'} (${clients.size} connected)`);
    ws.on('error', () => {}); // a client that vanishes must not bring the feed down
    ws.on('close', () => {
      clients.delete(ws);
      log(`client left (${clients.size} connected)`);
    });
    if (options.mode === 'replay') {
      void replay(ws);
      return;
    }
    for (const frame of history) ws.send(frame);
    if (liveDone) {
      ws.close(1000, 'demo finished'); // a latecomer still gets the last cycle
      return;
    }
    if (!liveStarted) {
      liveStarted = true;
      void runLive();
    }
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://feed').pathname;
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  const servers: Server[] = [];
  const newServer = () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Demo HUD feed. Connect a WebSocket to ${path}\n`);
    });
    server.on('upgrade', onUpgrade);
    servers.push(server);
    return server;
  };

  const loopback = host === 'localhost';
  const port = await listen(newServer(), options.port ?? 8080, loopback ? '127.0.0.1' : host);
  if (loopback) {
    // Browsers may resolve localhost to ::1 first; serve it too where the machine has IPv6.
    const v6 = newServer();
    await listen(v6, port, '::1').catch(() => servers.splice(servers.indexOf(v6), 1));
  }
  const urlHost = loopback ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `ws://${urlHost}:${port}${path}`,
    port,
    path,
    seed,
    clientCount: () => clients.size,
    finished,
    close: async () => {
      stop.abort();
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      resolveFinished();
    },
  };
}

/** Sends the events at their times (scaled by `speed`) until done or stopped. */
async function play(
  events: FeedEvent[],
  speed: number,
  signal: AbortSignal,
  send: (frame: string) => unknown,
): Promise<void> {
  const started = Date.now();
  let sinceYield = 0;
  for (const event of events) {
    if (signal.aborted) return;
    // Waiting for an absolute due time keeps the pace from drifting over a long cycle.
    const wait = Number.isFinite(speed) ? started + event.atMs / speed - Date.now() : 0;
    if (wait >= 1) {
      if (!(await pause(wait, signal))) return;
      sinceYield = 0;
    } else if (++sinceYield >= FRAMES_PER_YIELD) {
      await new Promise((resolve) => setImmediate(resolve));
      sinceYield = 0;
    }
    send(event.frame);
  }
}

/** Resolves true after `ms`, or false as soon as the feed is stopped. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
