import { Knex } from 'knex';
import {
  DRILL_ANNOTATION,
  DRILL_CADENCES,
  DrillCadence,
  DrillEnrolment,
} from '@openebs-portal/plugin-openebs-storage-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

const TABLE = 'restore_drill_enrolments';

type EnrolmentRow = {
  entity_ref: string;
  cadence: string;
  set_by: string;
  set_at: string;
};

/** What the tab sets: a cadence, or `off` (stop what an annotation asks). */
export type TabEnrolment = DrillCadence | 'off';

/** The entity's cadence from its annotation, if it names one. */
export function annotatedCadence(entity: Entity): DrillCadence | undefined {
  const value = entity.metadata.annotations?.[DRILL_ANNOTATION];
  return value && value in DRILL_CADENCES ? (value as DrillCadence) : undefined;
}

/**
 * Enrolments set on the tab, beside the annotation. The tab's choice, when
 * made, is the owners' latest word and wins; cleared, the annotation
 * decides again. Either way only the cadence changes: what a drill may
 * restore is decided by tenancy, as for any restore.
 */
export class DrillEnrolments {
  constructor(private readonly db: Knex) {}

  /**
   * The entity's enrolment (the tab's choice if set, else its annotation's),
   * with both, for the tab to show what it overrides.
   */
  async of(entity: Entity): Promise<{
    enrolled?: DrillEnrolment;
    annotated?: DrillCadence;
    tabChoice?: TabEnrolment;
  }> {
    const annotated = annotatedCadence(entity);
    const row = await this.db<EnrolmentRow>(TABLE)
      .where({ entity_ref: stringifyEntityRef(entity) })
      .first();
    if (!row) {
      return {
        annotated,
        enrolled: annotated && { cadence: annotated, source: 'annotation' },
      };
    }
    const tabChoice = row.cadence as TabEnrolment;
    return {
      annotated,
      tabChoice,
      enrolled:
        tabChoice === 'off'
          ? undefined
          : {
              cadence: tabChoice,
              source: 'tab',
              setBy: row.set_by,
              setAt: row.set_at,
            },
    };
  }

  /** Entities with a tab enrolment other than `off`. */
  async enrolledOnTab(): Promise<string[]> {
    const rows = await this.db<EnrolmentRow>(TABLE)
      .whereNot({ cadence: 'off' })
      .select('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  /** Sets the tab's choice, or clears it (`undefined`). */
  async set(
    entityRef: string,
    cadence: TabEnrolment | undefined,
    setBy: string,
    at: Date,
  ): Promise<void> {
    if (cadence === undefined) {
      await this.db(TABLE).where({ entity_ref: entityRef }).delete();
      return;
    }
    await this.db<EnrolmentRow>(TABLE)
      .insert({
        entity_ref: entityRef,
        cadence,
        set_by: setBy,
        set_at: at.toISOString(),
      })
      .onConflict('entity_ref')
      .merge();
  }
}
