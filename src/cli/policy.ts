/** `--policy <module>`: a threading policy of your own (src/policies/module.ts) instead of `--model`. */
import { Option } from 'commander';

export function policyOption(use = 'used instead of the model'): Option {
  return new Option(
    '--policy <module>',
    `a policy module of your own, ${use}: its default export is a Policy class or a (scenario) => Policy function (docs/guide/write-a-policy.md)`,
  );
}
