import '@testing-library/jest-dom';

// jsdom has no layout, so no ResizeObserver: the charts' responsive
// container needs the constructor to exist; with no layout it never fires.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;

// The dialogs' tests type through userEvent into Material UI fields: 2–4 s
// each on an idle 2-core machine, over jest's 5 s default when the machine
// is busy (a full lab running beside the tests). A hung test still fails.
jest.setTimeout(30_000);
