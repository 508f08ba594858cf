export { MigrateButton } from './MigrateButton';
export { MigrateDialog } from './MigrateDialog';
export type { MigrateDialogProps } from './MigrateDialog';
export { MigrationContext } from './MigrationContext';
export type { MigrationActions } from './MigrationContext';
export { MigrationsCard } from './MigrationsCard';
export type { MigrationsCardProps } from './MigrationsCard';
