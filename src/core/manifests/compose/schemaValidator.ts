// The heavy half of Compose schema validation: ajv. Nothing imports this
// module statically; schemaFindings.ts requires it on the first validation so
// activating the extension never loads ajv (the bundler gives it a file of its
// own). The schema itself comes from the caller, which also uses it for
// completion and hover, so it is bundled once.

import Ajv, { type ErrorObject } from 'ajv';

export type SchemaCheck = (value: unknown) => ErrorObject[];

export function compileSchema(schema: object): SchemaCheck {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : [...(validate.errors ?? [])]);
}
