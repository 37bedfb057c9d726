'use strict';
// What `require()` of this package loads: the package is ESM only, so say so instead of the loader's
// confusing error. package.json "exports" points its "require" condition here ("import" comes first).
const { name } = require('../package.json');

const error = new Error(
  `${name} is an ES module package and cannot be loaded with require(). ` +
    `Use \`import { Task } from '${name}'\` in an ES module (a .mjs file, or "type": "module" in your package.json), ` +
    `or \`const { Task } = await import('${name}')\` from CommonJS.`,
);
error.code = 'ERR_REQUIRE_ESM';
throw error;
