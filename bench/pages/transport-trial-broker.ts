/**
 * The trial's SharedWorker broker (wa-sqlite's SharedService pattern): the holding tab registers, another tab asks
 * for a port, and the broker carries the request to the holding tab and the port it makes back. A dedicated worker
 * cannot reach a SharedWorker itself (the constructor exists only in pages), so the pages relay.
 */
/** The SharedWorker's global: DOM's types have no SharedWorkerGlobalScope. */
const scope = globalThis as unknown as { onconnect: ((event: MessageEvent) => void) | null };

let holder: MessagePort | null = null;
const askers = new Map<string, MessagePort>();

scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0]!;
  port.onmessage = ({ data, ports }: MessageEvent) => {
    if (data.type === 'hold') holder = port;
    else if (data.type === 'ask') {
      askers.set(data.requestId, port);
      holder?.postMessage({ type: 'ask', requestId: data.requestId });
    } else if (data.type === 'port') {
      const asker = askers.get(data.requestId);
      askers.delete(data.requestId);
      asker?.postMessage({ type: 'port', requestId: data.requestId }, [ports[0]!]);
    }
  };
};
