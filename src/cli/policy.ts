/** `--policy <module>`: a threading policy of your own (src/policies/module.ts) instead of `--model`. */
import { Option } from 'commander';

export function policyOption(): Option {
  return new Option(
    '--policy <module>',
    'a policy module of your own, used instead of the model: its default export is a Policy class or a (scenario) => Policy function (docs/guide/write-a-policy.md)',
  );
}
