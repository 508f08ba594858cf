export { openebsStorageApiRef } from './OpenebsStorageApi';
export type { OpenebsStorageApi } from './OpenebsStorageApi';
export { OpenebsStorageClient } from './OpenebsStorageClient';
export { openebsStorageApiFactory } from './openebsStorageApiFactory';
