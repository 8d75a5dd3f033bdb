// Layer rules for src/ (issue 9). Each layer may import only the layers below it:
//
//   core  ←  formats, config  ←  stores, keyring, buffer (drivers)  ←  sources / transforms / sinks
//         ←  pipeline  ←  query, report, retention, fleet, generate  ←  edges: cli, server, aws
//
// Runs first in `npm test` (scripts/run-tests.mjs → scripts/check-layers.mjs). Tests (*.test.ts) may reach
// across layers; the rules apply to the code they test. docs/architecture.md explains each layer.
const L = {
  core: '^src/core/',
  formats: '^src/(formats|config)/',
  drivers: '^src/(stores|keyring|buffer)/',
  sources: '^src/sources/',
  transforms: '^src/transforms/',
  sinks: '^src/sinks/',
  pipeline: '^src/pipeline/',
  apps: '^src/(query|report|retention|fleet|generate|export)/',
  edges: '^src/(cli|server|aws)/',
};
const any = (...names) => names.map((n) => L[n]);
const notTest = '\\.test\\.ts$';

/** One rule per layer: what it must not import. */
function layer(name, forbidden, comment) {
  return {
    name: `layer-${name}`,
    severity: 'error',
    comment,
    from: { path: L[name], pathNot: notTest },
    to: { path: any(...forbidden) },
  };
}

module.exports = {
  forbidden: [
    layer('core', ['formats', 'drivers', 'sources', 'transforms', 'sinks', 'pipeline', 'apps', 'edges'],
      'core holds shared types, errors and pure helpers; it imports nothing of ours'),
    layer('formats', ['drivers', 'sources', 'transforms', 'sinks', 'pipeline', 'apps', 'edges'],
      'formats and config parse and render text; they know no store, keyring, stage or pipeline'),
    layer('drivers', ['formats', 'sources', 'transforms', 'sinks', 'pipeline', 'apps', 'edges'],
      'store, keyring and buffer drivers implement core interfaces; they know no format or stage'),
    layer('sources', ['transforms', 'sinks', 'pipeline', 'apps', 'edges'],
      'a source yields objects and records; the pipeline connects it to transforms and sinks'),
    layer('transforms', ['sources', 'sinks', 'pipeline', 'apps', 'edges'],
      'a transform is a pure step between source and sink'),
    layer('sinks', ['sources', 'transforms', 'pipeline', 'apps', 'edges'],
      'a sink receives what the pipeline hands it; it does not call sources or transforms'),
    layer('pipeline', ['apps', 'edges'], 'the pipeline wires stages; it is called by apps and edges, never the reverse'),
    layer('apps', ['edges'], 'query, report, retention, fleet, generate and export are libraries the edges call'),
    {
      name: 'unplaced-folder',
      severity: 'error',
      comment: 'every folder of src/ belongs to a layer: add it to .dependency-cruiser.cjs and docs/architecture.md',
      from: { path: '^src/', pathNot: `${Object.values(L).join('|')}` },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle makes two modules one; split the shared part out (usually into core)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-library',
      severity: 'error',
      comment: 'library code must not import tests or test helpers',
      from: { path: '^src/', pathNot: notTest },
      to: { path: ['^test/', '\\.test\\.ts$'] },
    },
    {
      name: 'no-dev-dependency-in-library',
      severity: 'error',
      comment: 'a devDependency is not installed for users (type-only imports are erased, so @types/* are fine)',
      from: { path: '^src/', pathNot: notTest },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
