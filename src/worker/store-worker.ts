/** The worker entry a page starts: the store's API, exposed to the page over Comlink. */
import * as Comlink from 'comlink';
import { createWorkerApi } from './api.js';

Comlink.expose(createWorkerApi());
