import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { TenancyConfig } from '../config';
import { globToRegExp } from '../storage/namespaceScope';

/** The naming rule's globs for one source namespace. */
export function targetPatternsFor(
  config: TenancyConfig,
  source: string,
): string[] {
  return config.targetNamespacePatterns.map(p =>
    p.split('{source}').join(source),
  );
}

/**
 * Checks a new namespace's name against the platform's rules: never a
 * reserved namespace, always one the naming rule allows.
 */
export function checkTargetName(
  config: TenancyConfig,
  source: string,
  target: string,
): void {
  const reserved = config.reservedNamespaces.find(glob =>
    globToRegExp(glob).test(target),
  );
  if (reserved) {
    throw new NotAllowedError(
      `Namespace ${target} is reserved (${reserved}) and cannot receive a restore`,
    );
  }
  const patterns = targetPatternsFor(config, source);
  if (!patterns.some(glob => globToRegExp(glob).test(target))) {
    throw new InputError(
      `Namespace ${target} does not follow the platform's naming rule for restores of ${source}: use ${patterns.join(
        ' or ',
      )}`,
    );
  }
}

/**
 * An existing target namespace must be recorded as the source's owner's:
 * restoring into it would otherwise hand data to someone else, or put
 * workloads where they do not belong. A target that does not exist yet may
 * still be recorded as someone's (a tenancy that keeps its own inventory):
 * then it must be the source's owner's too.
 */
export function checkTargetOwner(
  target: string,
  exists: boolean,
  targetOwner: string | undefined,
  sourceOwner: string | undefined,
): void {
  if (exists && (!sourceOwner || targetOwner !== sourceOwner)) {
    throw new ConflictError(
      `Namespace ${target} already exists and is not recorded as ${
        sourceOwner ?? 'the same owner'
      }'s; choose a new namespace`,
    );
  }
  if (!exists && targetOwner !== undefined && targetOwner !== sourceOwner) {
    throw new ConflictError(
      `Namespace ${target} is recorded as ${targetOwner}'s; choose another namespace`,
    );
  }
}
