export { VolumesTable } from './VolumesTable';
export type { VolumesTableProps } from './VolumesTable';
