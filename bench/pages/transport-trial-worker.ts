/**
 * The trial's dedicated worker: one per tab. In the holding tab it serves a stand-in for the store core over both
 * transports: today's (BroadcastChannel inboxes, call ids, 1 MiB chunks, progress messages) and the candidate
 * (Comlink over a MessagePort per other tab, buffers transferred). In another tab it measures both.
 */
import * as Comlink from 'comlink';

const CHUNK_BYTES = 1024 * 1024;
const HOLDER_INBOX = 'trial/inbox/holder';

/** The stand-in core: answers at once, or never (a call in flight when its tab closes). */
const core = {
  echo: (value: unknown) => value,
  bytes(length: number, onProgress?: (done: number, total: number) => void): Uint8Array {
    const bytes = new Uint8Array(length).fill(7);
    if (onProgress) for (let done = 0; done < length; done += CHUNK_BYTES) onProgress(done, length);
    return bytes;
  },
  /** The same, its buffer transferred (Comlink's way), not copied. */
  bytesTransferred(length: number, onProgress?: (done: number, total: number) => void): Uint8Array {
    const bytes = core.bytes(length, onProgress);
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  hang: (): Promise<void> => new Promise(() => {}),
};
type Core = typeof core;

function serveBroadcast(): void {
  const inbox = new BroadcastChannel(HOLDER_INBOX);
  inbox.onmessage = async ({ data }: MessageEvent) => {
    const reply = new BroadcastChannel(data.from);
    const { callId } = data;
    const onProgress = data.wantsProgress
      ? (done: number, total: number) => reply.postMessage({ type: 'progress', callId, done, total })
      : undefined;
    const value = await (core[data.method as keyof Core] as (...args: unknown[]) => unknown)(...data.args, onProgress);
    if (value instanceof Uint8Array && data.asBlob) {
      // A Blob is cloned as a handle to bytes the browser holds, not as the bytes: one message, no chunks.
      reply.postMessage({ type: 'reply', callId, value: new Blob([value as Uint8Array<ArrayBuffer>]) });
    } else if (value instanceof Uint8Array) {
      for (let offset = 0; offset < value.length; offset += CHUNK_BYTES) {
        reply.postMessage({
          type: 'chunk',
          callId,
          offset,
          total: value.length,
          bytes: value.subarray(offset, offset + CHUNK_BYTES),
        });
      }
      reply.postMessage({ type: 'reply', callId, value: value.length, chunked: true });
    } else reply.postMessage({ type: 'reply', callId, value });
    reply.close();
  };
}

/** Today's follower side, reduced to what the trial needs: ids, progress, reassembling chunks. */
function broadcastClient() {
  const me = `trial/inbox/${Math.random().toString(36).slice(2)}`;
  const inbox = new BroadcastChannel(me);
  const holderInbox = new BroadcastChannel(HOLDER_INBOX);
  const sent = new Map<string, { resolve(v: unknown): void; bytes?: Uint8Array; onProgress?: (d: number) => void }>();
  let next = 0;
  inbox.onmessage = ({ data }: MessageEvent) => {
    const call = sent.get(data.callId);
    if (!call) return;
    if (data.type === 'progress') call.onProgress?.(data.done);
    else if (data.type === 'chunk') {
      call.bytes ??= new Uint8Array(data.total);
      call.bytes.set(data.bytes, data.offset);
    } else {
      sent.delete(data.callId);
      if (data.value instanceof Blob)
        void data.value.arrayBuffer().then((buffer: ArrayBuffer) => call.resolve(new Uint8Array(buffer)));
      else call.resolve(data.chunked ? call.bytes : data.value);
    }
  };
  return (
    method: keyof Core,
    args: unknown[],
    onProgress?: (done: number) => void,
    copyChunks = true,
    asBlob = false,
  ) =>
    new Promise<unknown>((resolve) => {
      const callId = String(next++);
      sent.set(callId, { resolve, ...(onProgress ? { onProgress } : {}) });
      holderInbox.postMessage({
        type: 'call',
        callId,
        from: me,
        method,
        args,
        wantsProgress: !!onProgress,
        copyChunks,
        asBlob,
      });
    });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

const servedPorts = new Set<MessagePort>();
let remote: Comlink.Remote<Core> | null = null;
let port: MessagePort | null = null;
let portClosedAt: number | null = null;
const broadcast = { call: null as ReturnType<typeof broadcastClient> | null };
const pending: Record<string, { settledAt: number | null }> = {};

self.onmessage = async ({ data }: MessageEvent) => {
  switch (data.type) {
    case 'hold':
      serveBroadcast();
      postMessage({ type: 'ready' });
      break;
    case 'mint-port': {
      const channel = new MessageChannel();
      // Held, or Chromium may collect the port with only a listener on it, and the other tab's calls go unheard.
      servedPorts.add(channel.port1);
      Comlink.expose(core, channel.port1);
      postMessage({ type: 'port', requestId: data.requestId }, { transfer: [channel.port2] });
      break;
    }
    case 'use-port':
      port = data.port as MessagePort;
      // Chromium's MessagePort `close` event (not in every browser): fired when the other end goes.
      port.addEventListener('close', () => (portClosedAt = performance.now()));
      remote = Comlink.wrap<Core>(port);
      port.start(); // delivery starts only now: the listeners above were added, not `onmessage` set
      broadcast.call = broadcastClient();
      postMessage({ type: 'ready' });
      break;
    case 'measure': {
      const call = broadcast.call!;
      const rpc = remote!;
      const figures: Record<string, number> = {};
      figures.smallCallBroadcastMs = await timed(200, () => call('echo', [{ method: 'info', n: 1 }]));
      figures.smallCallPortMs = await timed(200, () => rpc.echo({ method: 'info', n: 1 }));
      for (const mib of data.sizesMiB as number[]) {
        const length = mib * CHUNK_BYTES;
        const check = (got: unknown) => {
          if ((got as Uint8Array).length !== length) throw new Error('short');
        };
        if (mib <= data.viewChunksUpToMiB) {
          figures[`bytes${mib}BroadcastViewsMs`] = await timed(1, async () =>
            check(await call('bytes', [length], () => {}, false)),
          );
        }
        figures[`bytes${mib}BroadcastMs`] = await timed(mib >= 64 ? 1 : 3, async () =>
          check(await call('bytes', [length], () => {})),
        );
        figures[`bytes${mib}BroadcastBlobMs`] = await timed(mib >= 64 ? 1 : 3, async () =>
          check(await call('bytes', [length], () => {}, true, true)),
        );
        figures[`bytes${mib}PortMs`] = await timed(mib >= 64 ? 1 : 3, async () => {
          let heard = 0;
          check(
            await rpc.bytesTransferred(
              length,
              Comlink.proxy(() => void heard++),
            ),
          );
        });
      }
      postMessage({ type: 'figures', figures });
      break;
    }
    case 'start-hanging-calls': {
      // One call in flight on each transport while the holding tab is closed.
      pending.broadcast = { settledAt: null };
      pending.port = { settledAt: null };
      const settle = (key: string) => () => (pending[key]!.settledAt = performance.now());
      void broadcast.call!('hang', []).then(settle('broadcast'), settle('broadcast'));
      void remote!.hang().then(settle('port'), settle('port'));
      postMessage({ type: 'started', at: performance.now() });
      break;
    }
    case 'hanging-state':
      postMessage({
        type: 'state',
        now: performance.now(),
        broadcastSettledAt: pending.broadcast?.settledAt ?? null,
        portSettledAt: pending.port?.settledAt ?? null,
        portClosedAt,
      });
      break;
  }
};
