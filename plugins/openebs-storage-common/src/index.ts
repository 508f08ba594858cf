/**
 * Types, permissions and API shapes shared by the OpenEBS storage plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './serviceLevels';
export * from './types';
export * from './annotations';
export * from './restores';
export * from './format';
export * from './drills';
export * from './metrics';
export * from './alerts';
export * from './migrations';
export * from './paths';
