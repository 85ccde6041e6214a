/**
 * A tab of the transport trial (bench/transport-trial.ts drives it through `window.trial`). The holding tab's page
 * relays the broker's port requests to its worker; another tab's page relays the port it gets to its own worker.
 */
const worker = new Worker(new URL('./transport-trial-worker.ts', import.meta.url), { type: 'module' });
const broker = new SharedWorker(new URL('./transport-trial-broker.ts', import.meta.url), { type: 'module' });

function next(type: string): Promise<MessageEvent> {
  return new Promise((resolve) => {
    const listen = (event: MessageEvent) => {
      if (event.data.type !== type) return;
      worker.removeEventListener('message', listen);
      resolve(event);
    };
    worker.addEventListener('message', listen);
  });
}

broker.port.onmessage = ({ data, ports }: MessageEvent) => {
  if (data.type === 'ask') worker.postMessage({ type: 'mint-port', requestId: data.requestId });
  else if (data.type === 'port') worker.postMessage({ type: 'use-port', port: ports[0] }, [ports[0]!]);
};
worker.addEventListener('message', ({ data, ports }: MessageEvent) => {
  if (data.type === 'port') broker.port.postMessage({ type: 'port', requestId: data.requestId }, [ports[0]!]);
});

const trial = {
  async hold(): Promise<void> {
    const ready = next('ready');
    worker.postMessage({ type: 'hold' });
    broker.port.postMessage({ type: 'hold' });
    await ready;
  },
  /** Milliseconds from asking the broker to the port being usable in this tab's worker. */
  async connect(): Promise<number> {
    const start = performance.now();
    const ready = next('ready');
    broker.port.postMessage({ type: 'ask', requestId: String(Math.random()) });
    await ready;
    return performance.now() - start;
  },
  async measure(sizesMiB: number[], viewChunksUpToMiB: number): Promise<Record<string, number>> {
    const figures = next('figures');
    worker.postMessage({ type: 'measure', sizesMiB, viewChunksUpToMiB });
    return (await figures).data.figures;
  },
  async startHangingCalls(): Promise<number> {
    const started = next('started');
    worker.postMessage({ type: 'start-hanging-calls' });
    return (await started).data.at;
  },
  async hangingState(): Promise<Record<string, number | null>> {
    const state = next('state');
    worker.postMessage({ type: 'hanging-state' });
    return (await state).data;
  },
};

declare global {
  interface Window {
    trial: typeof trial;
  }
}
window.trial = trial;
