import fs from 'fs';
import inspector from 'inspector';
import path from 'path';
import { REPO_ROOT } from './paths';

export interface HotFunction {
  function: string;
  location: string;
  selfMs: number;
  selfPercent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  top: HotFunction[];
}

function post<T>(
  session: inspector.Session,
  method: string,
  params?: object,
): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) =>
      error ? reject(error) : resolve(result as T),
    ),
  );
}

/**
 * Runs fn under the V8 sampling profiler (in this process, so the HTTP
 * server and client both show), writes the .cpuprofile (open it in Chrome
 * DevTools or speedscope) and returns the functions with most self time.
 */
export async function profile(
  file: string,
  fn: () => Promise<void>,
  topN = 12,
): Promise<ProfileSummary> {
  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
    await fn();
    const { profile: cpuProfile } = await post<{ profile: any }>(
      session,
      'Profiler.stop',
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(cpuProfile));

    // Self time per node = its samples × the mean sampling interval.
    const totalMs = (cpuProfile.endTime - cpuProfile.startTime) / 1000;
    const hits = new Map<number, number>();
    for (const id of cpuProfile.samples as number[])
      hits.set(id, (hits.get(id) ?? 0) + 1);
    const msPerSample = totalMs / Math.max(1, cpuProfile.samples.length);
    const byFunction = new Map<string, HotFunction>();
    for (const node of cpuProfile.nodes) {
      const samples = hits.get(node.id) ?? 0;
      if (!samples) continue;
      // The file only: line numbers of TypeScript sources refer to the
      // transpiled code, not to the .ts file.
      const { functionName, url } = node.callFrame;
      const location = url
        ? url.replace(/^file:\/\//, '').replace(`${REPO_ROOT}/`, '')
        : '(native)';
      const name = functionName || '(anonymous)';
      const key = `${name} ${location}`;
      const entry = byFunction.get(key) ?? {
        function: name,
        location,
        selfMs: 0,
        selfPercent: 0,
      };
      entry.selfMs += samples * msPerSample;
      byFunction.set(key, entry);
    }
    const top = Array.from(byFunction.values())
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, topN)
      .map(f => ({
        ...f,
        selfMs: Math.round(f.selfMs * 10) / 10,
        selfPercent: Math.round((f.selfMs / totalMs) * 1000) / 10,
      }));
    return {
      file: path.relative(REPO_ROOT, file),
      totalMs: Math.round(totalMs),
      top,
    };
  } finally {
    await post(session, 'Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
