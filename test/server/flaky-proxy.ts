/**
 * A real HTTP proxy in front of a team server that can lose answers: the request reaches the server (which
 * commits the batch), and the client's connection is cut before the answer comes back, as when a laptop's
 * network drops mid-request; or the answer is held back, so that a test can close the tab while it waits.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyProxy {
  url: string;
  /** The next `count` batch answers are lost after the server has handled the batch. */
  loseBatchAnswers(count: number): void;
  /**
   * Lets `pass` batches through, then holds back the answer of the next one (which the server has handled)
   * and those after it; resolves when the first is held. Held connections are cut at close.
   */
  holdBatchAnswersAfter(pass: number): Promise<void>;
  /** Answers every request again from now on. */
  answerAll(): void;
  /** Batches the server handled whose answer was lost. */
  readonly lost: number;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  let toLose = 0;
  let lost = 0;
  let hold: { pass: number; held: () => void } | undefined;
  const server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers.set(name, value);
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${target}${request.url}`, {
        method: request.method,
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
    } catch {
      request.socket.destroy();
      return;
    }
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (request.method === 'POST' && request.url === '/v1/batches') {
      if (toLose > 0) {
        toLose--;
        lost++;
        request.socket.destroy();
        return;
      }
      if (hold && hold.pass-- <= 0) {
        lost++;
        hold.held();
        return; // never answered
      }
    }
    const answerHeaders = Object.fromEntries(
      [...upstream.headers].filter(([name]) => !['content-length', 'transfer-encoding', 'connection'].includes(name)),
    );
    response.writeHead(upstream.status, answerHeaders);
    response.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    loseBatchAnswers: (count) => {
      toLose = count;
    },
    answerAll: () => {
      toLose = 0;
      hold = undefined;
    },
    holdBatchAnswersAfter: (pass) =>
      new Promise<void>((held) => {
        hold = { pass, held };
      }),
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
