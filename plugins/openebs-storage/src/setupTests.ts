import '@testing-library/jest-dom';

// jsdom has no layout, so no ResizeObserver: the charts' responsive
// container needs the constructor to exist; with no layout it never fires.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;
