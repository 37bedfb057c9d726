import type { Document } from 'yaml';

/** Most alias expansions one YAML document may make (the `yaml` package's default, stated here once). */
export const MAX_YAML_ALIASES = 100;

/** A YAML document's data, or why it has none. */
export type YamlData = { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly reason: string; readonly error: unknown };

/**
 * The plain data of a parsed YAML document (one without syntax errors), with alias expansion capped
 * at {@link MAX_YAML_ALIASES}. A file whose aliases expand exponentially ("billion laughs") makes
 * `toJS` throw a `ReferenceError`; here it is a reason each file loader turns into its own error,
 * naming the file.
 */
export function yamlData(document: Document): YamlData {
  try {
    return { ok: true, data: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${error instanceof Error ? error.message : String(error)}`, error };
  }
}
