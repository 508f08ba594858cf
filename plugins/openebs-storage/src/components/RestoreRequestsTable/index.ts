export { RestoreRequestsTable } from './RestoreRequestsTable';
export type { RestoreRequestsTableProps } from './RestoreRequestsTable';
