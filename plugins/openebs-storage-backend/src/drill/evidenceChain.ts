import { DrillEvidenceCheck } from '@openebs-portal/plugin-openebs-storage-common';
import canonicalize from 'canonicalize';
import { createHash, createHmac } from 'crypto';

/** One sealed drill record as stored: its place in the chain and its hash. */
export interface SealedEvidence {
  seq: number;
  drillId: string;
  /** The record's evidence as canonical JSON (RFC 8785), exactly as hashed. */
  evidence: string;
  /** The same, read from the row's columns now (what the tab shows). */
  current: string;
  prevHash: string;
  hash: string;
}

/** The hash the first record chains to. */
export const GENESIS = 'openebs-storage-drills';

/** The evidence as the chain hashes it: key order and spacing fixed. */
export function canonicalEvidence(evidence: object): string {
  const text = canonicalize(evidence);
  if (text === undefined) {
    throw new Error('Drill evidence cannot be serialised');
  }
  return text;
}

/**
 * The record's hash over the previous hash and its evidence: an HMAC with
 * the platform's key when one is configured (nobody without the key can
 * write a record that verifies), else a plain SHA-256 chain (an edit is
 * still detected unless every later hash is rewritten too).
 */
export function sealHash(
  key: string | undefined,
  prevHash: string,
  evidence: string,
): string {
  const digest = key
    ? createHmac('sha256', key)
    : createHash('sha256').update('unsigned:');
  return digest.update(prevHash).update('\n').update(evidence).digest('hex');
}

/**
 * Walks the chain in sequence order: each record must follow the one before
 * (no gap: nothing removed), name its hash as `prevHash`, and hash to what
 * it says. The first problem is named.
 */
export function checkEvidenceChain(
  records: SealedEvidence[],
  key: string | undefined,
): DrillEvidenceCheck {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const result = { records: sorted.length, signed: Boolean(key) };
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const record of sorted) {
    const problem =
      (record.seq !== expectedSeq &&
        `record ${expectedSeq} is missing (the next is ${record.seq}): evidence was removed`) ||
      (record.prevHash !== prevHash &&
        `record ${record.seq} (drill ${
          record.drillId
        }) does not follow record ${record.seq - 1}`) ||
      ((sealHash(key, record.prevHash, record.evidence) !== record.hash ||
        record.current !== record.evidence) &&
        `record ${record.seq} (drill ${record.drillId}) was changed after it was sealed`);
    if (problem) return { ...result, intact: false, problem };
    prevHash = record.hash;
    expectedSeq = record.seq + 1;
  }
  return { ...result, intact: true };
}
