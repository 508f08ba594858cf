import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

/** One sample line of a Prometheus scrape. */
export type Series = {
  name: string;
  labels: Record<string, string>;
  value: number;
};

/** Prometheus text exposition, one entry per sample line. */
export function parseExposition(text: string): Series[] {
  return text
    .split('\n')
    .filter(line => line && !line.startsWith('#'))
    .map(line => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!match) throw new Error(`Not an exposition line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(
        /(\w+)="((?:[^"\\]|\\.)*)"/g,
      )) {
        labels[key] = value;
      }
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/**
 * What a deployment's instrumentation sets up: a global OpenTelemetry
 * MeterProvider with the Prometheus exporter, served over HTTP. Install it
 * before the backend starts, as Backstage's metrics service takes its meter
 * from the global provider when it is created.
 */
export async function startPrometheusScrape() {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  const server = createServer((req, res) =>
    exporter.getMetricsRequestHandler(req, res),
  );
  await new Promise<void>(resolve => server.listen(0, resolve));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/metrics`;
  return {
    /** One scrape, over HTTP, of what the exporter serves. */
    async scrape(): Promise<Series[]> {
      const response = await fetch(url);
      if (response.status !== 200) {
        throw new Error(`Scrape of ${url} answered ${response.status}`);
      }
      return parseExposition(await response.text());
    },
    async stop() {
      await new Promise(resolve => server.close(resolve));
      await provider.shutdown();
      metrics.disable();
    },
  };
}
