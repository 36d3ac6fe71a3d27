import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { fixupPluginRules } from '@eslint/compat';
import neverthrowPlugin from 'eslint-plugin-neverthrow';

// eslint-plugin-neverthrow still uses the ESLint 8 rule context (`context.parserServices`,
// `context.getScope()`); @eslint/compat restores those methods for it.
const fixed = fixupPluginRules(neverthrowPlugin);
const mustUse = fixed.rules['must-use-result'];

/** A Result passed as an argument is handed on (like a returned one): the callee handles it. */
function passedOn(node) {
  const parent = node?.parent;
  if (!parent) return false;
  if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(node)) return true;
  if (parent.type === 'ConditionalExpression' && parent.test !== node) return passedOn(parent);
  // `x().andThen(f)` handed on as a whole: follow the chain up to its last call.
  if (parent.type === 'MemberExpression' && parent.object === node && parent.parent?.type === 'CallExpression' && parent.parent.callee === parent) {
    return passedOn(parent.parent);
  }
  return parent.type === 'AwaitExpression' && passedOn(parent);
}

const neverthrow = {
  ...fixed,
  rules: {
    ...fixed.rules,
    'must-use-result': {
      ...mustUse,
      create(context) {
        const view = Object.create(context, {
          report: { value: (d) => (passedOn(d.node) ? undefined : context.report(d)) },
        });
        return mustUse.create(view);
      },
    },
  },
};

/**
 * Each vendor SDK lives in exactly one package (see ARCHITECTURE.md). The owner's scope tag
 * may import it; every other project is banned from it.
 */
const vendorOwners = {
  '@anthropic-ai/sdk': 'scope:llm-orchestrator',
  openai: 'scope:llm-orchestrator',
  'node-llama-cpp': 'scope:llm-orchestrator',
  'web-tree-sitter': 'scope:gnn',
  'tree-sitter-python': 'scope:gnn',
  graphology: 'scope:gnn',
  'graphology-*': 'scope:gnn',
  'isomorphic-git': 'scope:git-mcp',
  '@modelcontextprotocol/sdk': 'scope:git-mcp',
  'chrome-remote-interface': 'scope:browser-validate',
  chromadb: 'scope:learning',
  'onnxruntime-node': 'scope:learning',
  '@huggingface/transformers': 'scope:learning',
  electron: 'scope:desktop',
};
const scopes = [
  'shared', 'gnn', 'llm-orchestrator', 'security', 'browser-validate', 'git-mcp', 'learning',
  'test-engine', 'codegen', 'desktop',
].map((s) => `scope:${s}`);
const bannedFor = (scope) =>
  Object.entries(vendorOwners).filter(([, owner]) => owner !== scope).map(([name]) => name);

export const depConstraints = [
  // Tiers: base < capability < composer < app. Capabilities never import one another.
  { sourceTag: 'tier:base', onlyDependOnLibsWithTags: ['tier:base'] },
  { sourceTag: 'tier:capability', onlyDependOnLibsWithTags: ['tier:base'] },
  { sourceTag: 'scope:test-engine', onlyDependOnLibsWithTags: ['tier:base', 'scope:gnn', 'scope:llm-orchestrator'] },
  { sourceTag: 'scope:codegen', onlyDependOnLibsWithTags: ['tier:base', 'tier:capability', 'scope:test-engine'] },
  { sourceTag: 'tier:app', onlyDependOnLibsWithTags: ['tier:base', 'tier:capability', 'tier:composer'] },
  ...scopes.map((scope) => ({ sourceTag: scope, bannedExternalImports: bannedFor(scope) })),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/out-tsc/**', '**/node_modules/**', '**/fixtures/**', '**/*.config.ts', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx, neverthrow },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      'neverthrow/must-use-result': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Libraries take an injected Logger; CLIs write through CliIO.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Tests inspect Results directly (`_unsafeUnwrap`, `isErr`) after awaiting them.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { 'neverthrow/must-use-result': 'off' },
  },
);
