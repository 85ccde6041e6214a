/** Registers a custom element once: a HUD may load the panels' module more than once. */
export function defineElement(name: string, elementClass: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, elementClass);
}

/** A composed, bubbling event, so that it crosses the shadow roots of embedding panels. */
export function panelEvent<T>(type: string, detail: T): CustomEvent<T> {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}
