// The layering of docs/ARCHITECTURE.md as rules a machine checks (`make test` runs `npm run layers`, which also runs
// scripts/check-index-files.mjs: an index.ts only re-exports). Paths are relative to the repository root; tests and
// benches may reach anywhere and are not cruised.

/**
 * Modules that touch the machine (files, processes, network): the edges. Everything else in lib/ is analysis. A
 * folder's index.ts that re-exports an edge is an edge too, so analysis cannot reach one through it.
 */
const EDGES = [
  '^lib/(k6|run|sandbox|bundle)/',
  '^lib/(capacity|collect|thresholds)/index\\.ts$',
  '^lib/collect/(make|process|prometheus|scrape)\\.ts$',
  '^lib/capacity/(ladder/|store\\.ts$|sweep\\.ts$)',
  '^lib/gate/(command|verdict-file)\\.ts$',
  '^lib/report/(load|templates|verdict-load|write)\\.ts$',
  '^lib/(history/store|result/store|thresholds/load|ingest/lines|ingest/ingest|ingest/live|ingest/inflate-worker|schemas/write)\\.ts$',
  '^lib/(atomic-file|free-port|validate|input-files|package-files)\\.ts$',
  '^lib/live/(server|session)\\.ts$',
].join('|');

/** The pure analysis modules: judging, capacity models, report views, ingest parsing, thresholds maths. */
const ANALYSIS = '^lib/(gate|capacity|thresholds|history|ingest|slo|live|histogram\\.ts$|units\\.ts$|input-limits\\.ts$)|^lib/report/(view|capacity-|downsample|format|insights|run-|verdict-view)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular', severity: 'error',
      comment: 'No module depends on itself through others, type-only imports included: a cycle of types is still two ' +
        'modules that cannot be understood, moved or tested apart.',
      from: {}, to: { circular: true },
    },
    {
      name: 'nothing-imports-cli', severity: 'error',
      comment: 'cli/ is the edge: only cli/main.ts lists the commands; no cli file imports another, nothing below imports cli/.',
      from: { pathNot: '^cli/main\\.ts$' }, to: { path: '^cli/', pathNot: '^cli/flags\\.ts$' },
    },
    {
      name: 'cli-imports-lib', severity: 'error',
      comment: 'cli/ is commander wiring over lib/: it imports lib/, npm packages and Node, never sandbox/ or scenarios/ directly.',
      from: { path: '^cli/' }, to: { path: '^(sandbox|scenarios|bench|test)/' },
    },
    {
      name: 'sandbox-knows-no-lib', severity: 'error',
      comment: 'The bundled target stack stands alone: it imports nothing of lib/ (a package it may use directly).',
      from: { path: '^sandbox/' }, to: { path: '^(lib|cli|scenarios)/' },
    },
    {
      name: 'scenarios-import-only-k6', severity: 'error',
      comment: 'scenarios/ runs inside k6: it imports only k6, k6/* and its own files.',
      from: { path: '^scenarios/' }, to: { pathNot: '^(scenarios/|k6$|k6/)|(^|/)node_modules/@types/k6/' },
    },
    {
      name: 'lib-imports-no-edge-above', severity: 'error',
      comment: 'lib/ never imports the CLI, tests or benches; of sandbox/ only its control (lib/sandbox) reads the serve options.',
      from: { path: '^lib/', pathNot: '^lib/sandbox/' }, to: { path: '^(cli|sandbox|test|bench)/' },
    },
    {
      name: 'sandbox-control-imports-options-only', severity: 'error',
      comment: 'lib/sandbox starts the sandbox as a process: it may read its option and fault formats, and drive the full ' +
        "stack's launchers (sandbox/full/, the processes it starts), never the API's code.",
      from: { path: '^lib/sandbox/' },
      to: { path: '^(cli|test|bench)/|^sandbox/(?!(options|faults|process|cgroup)\\.ts$)(?!full/(?!api)[^/]+\\.ts$)' },
    },
    {
      name: 'nothing-below-capacity-imports-it', severity: 'error',
      comment: 'Collectors, the gate, thresholds, ingest and runs own their types; capacity builds on them, not the reverse.',
      from: { path: '^lib/(collect|gate|thresholds|ingest|result|run|history|k6|bundle)/' }, to: { path: '^lib/capacity/' },
    },
    {
      name: 'analysis-is-pure', severity: 'error',
      comment: 'Analysis modules import no side-effect module (file, process, network): side effects stay at the edges.',
      from: { path: ANALYSIS, pathNot: EDGES }, to: { path: EDGES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'analysis-no-io-builtins', severity: 'error',
      comment: 'Analysis modules use no Node I/O module.',
      from: { path: ANALYSIS, pathNot: EDGES },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads|readline)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed but stays in the graph, so an npm import where none belongs is seen.
    exclude: { path: '^(dist|test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    // k6 modules exist only inside k6: left unresolved on purpose (the scenarios rule names them).
  },
};
