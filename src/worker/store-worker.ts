/** The worker entry a page starts: the store's API, exposed to the page over Comlink. */
// First, so that SQLite loads while the modules below evaluate (start-sqlite.ts).
import './start-sqlite.js';
import * as Comlink from 'comlink';
import { createWorkerApi } from './api.js';

Comlink.expose(createWorkerApi());
