import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import { catalogModuleOpenebsTemplateHosts } from './module';

async function processorsWith(data: JsonObject) {
  const processors: CatalogProcessor[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        {
          addProcessor: (...p: Array<CatalogProcessor | CatalogProcessor[]>) =>
            processors.push(...p.flat()),
        },
      ],
    ],
    features: [
      catalogModuleOpenebsTemplateHosts,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return processors;
}

describe('catalogModuleOpenebsTemplateHosts', () => {
  it("adds the processor with the portal's hosts", async () => {
    const processors = await processorsWith({
      openebsScaffolder: { allowedHosts: ['git.example.com'] },
    });
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'OpenebsTemplateHostsProcessor',
    ]);
  });

  it('adds nothing when no hosts are configured (templates keep their list)', async () => {
    expect(await processorsWith({})).toEqual([]);
  });
});
