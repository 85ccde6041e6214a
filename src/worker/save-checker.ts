/**
 * The save checker: a worker that the store's worker starts for large insertMany calls (checked-saves.ts). It
 * prepares the items it is sent with the store's own code (prepareItem) and posts their prepared forms back, while
 * the store's worker writes the ones before. It holds no database and nothing between requests.
 */
import { type CheckReply, type CheckRequest, checkItems } from './save-check.js';

/** This worker's side of its port (DedicatedWorkerGlobalScope, not among the DOM library's types). */
const scope = globalThis as unknown as {
  postMessage(message: CheckReply): void;
  onmessage: ((event: MessageEvent<CheckRequest>) => void) | null;
};

scope.onmessage = ({ data }) => scope.postMessage(checkItems(data));
