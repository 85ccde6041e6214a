/**
 * The leader's calls in arrival order, one per task, whoever sent them.
 *
 * Calls reach the leader by two routes: its own page's through the worker's
 * message port, other tabs' over a BroadcastChannel. Run as they are
 * delivered, Chromium kept delivering BroadcastChannel messages first: a
 * stream of other tabs' writes held the leader's own page back for seconds
 * (measured: an export waited 6 s behind 16 writes). So delivery only queues
 * a call, and the queue runs one call per task, letting the event loop
 * deliver whatever else has arrived in between.
 */
interface Job {
  /** The next job waits for a job that returns a promise. */
  run(): void | Promise<void>;
  /** The queue closed before the job ran. */
  abandon(): void;
}

export class CallQueue {
  private readonly jobs: Job[] = [];
  private closed = false;
  private readonly wake = new MessageChannel();
  private scheduled = false;
  private running = false;

  constructor() {
    this.wake.port1.onmessage = () => {
      this.scheduled = false;
      const job = this.closed ? undefined : this.jobs.shift();
      if (!job) return;
      this.running = true;
      const next = () => {
        this.running = false;
        this.schedule();
      };
      try {
        const ran = job.run();
        if (ran) void ran.catch(() => {}).then(next);
        else next();
      } catch {
        next(); // a job reports its own failures
      }
    };
  }

  /** Queues `job`; it runs after every job queued before it, in a task of its own, unless the queue closes first. */
  push(job: Job): void {
    if (this.closed) return job.abandon();
    this.jobs.push(job);
    this.schedule();
  }

  /**
   * Queues `work`; resolves or rejects with its result once it has run (the next job waits for a promise it
   * returns), or with `abandoned()` if it never runs.
   */
  run<T>(work: () => T | Promise<T>, abandoned: () => Error): Promise<T> {
    return new Promise((resolve, reject) =>
      this.push({
        async run() {
          try {
            resolve(await work());
          } catch (error) {
            reject(error);
          }
        },
        abandon: () => reject(abandoned()),
      }),
    );
  }

  /** Runs no more jobs; those still queued are abandoned. */
  close(): void {
    this.closed = true;
    this.wake.port1.close();
    for (const job of this.jobs.splice(0)) job.abandon();
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.jobs.length === 0) return;
    this.scheduled = true;
    this.wake.port2.postMessage(null);
  }
}
