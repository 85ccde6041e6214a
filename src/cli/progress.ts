/** A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal (pipes, CI, --json). */
export interface Progress {
  update(done: number, total: number, detail: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(done, total, detail) {
      const now = Date.now();
      if (now - last < 80 && done < total) return; // a terminal redrawn at most ~12 times a second
      last = now;
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${detail}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 80) - 1)}\u001b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}
