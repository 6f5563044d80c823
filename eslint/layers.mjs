// The one direction of dependencies (conventions.md, 12): core ← features ← pipeline ← app.
// An import from a lower layer into a higher one is an error, and so is a feature reaching into
// another feature's repository (features talk to each other through services).
import { dirname, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** The layers, lowest first; a file is in the first whose test matches its path under src/. */
export const LAYERS = [
  { name: 'core', test: (p) => p.startsWith('core/') },
  {
    name: 'feature',
    test: (p) =>
      /^(access|api-keys|audit|dashboard|examples|gateway|health|imports|oauth|platform|rate-limits|redis|scopes|sessions|tenants|users|workspaces)\//.test(
        p,
      ),
  },
  { name: 'pipeline', test: (p) => p.startsWith('pipeline/') },
  { name: 'app', test: () => true },
];

function layerOf(path) {
  return LAYERS.findIndex((layer) => layer.test(path));
}

const feature = (path) => path.split('/')[0];

export const layersPlugin = {
  rules: {
    'one-direction': {
      meta: {
        type: 'problem',
        docs: {
          description: 'core ← features ← pipeline ← app: no upward import, no other feature’s repository',
        },
        messages: {
          upward:
            '{{from}} ({{fromLayer}}) may not import {{to}} ({{toLayer}}): dependencies point core ← features ← pipeline ← app.',
          repository:
            '{{from}} may not use {{to}}: another feature’s repository. Call that feature’s service instead.',
        },
        schema: [],
      },
      create(context) {
        const file = relative(SRC, context.filename).split(sep).join('/');
        if (file.startsWith('..')) return {};
        const from = layerOf(file);
        const check = (node, source) => {
          if (typeof source !== 'string' || !source.startsWith('.')) return;
          const target = relative(SRC, resolve(dirname(context.filename), source))
            .split(sep)
            .join('/');
          if (target.startsWith('..')) return;
          const to = layerOf(target);
          const data = { from: file, to: target, fromLayer: LAYERS[from].name, toLayer: LAYERS[to].name };
          if (to > from) context.report({ node, messageId: 'upward', data });
          else if (
            from === 1 &&
            to === 1 &&
            feature(target) !== feature(file) &&
            target.endsWith('.repository')
          ) {
            context.report({ node, messageId: 'repository', data });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
        };
      },
    },
  },
};
